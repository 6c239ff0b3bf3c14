package dev.netlens.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the SGEMM peak and the convolution forward + input-gradient benchmarks in one JVM session
 * (three JVM forks each, medians over all samples) and prints, per ResNet-18 layer, the median time, the achieved GFLOP/s and its share of the
 * measured OpenBLAS 2048³ SGEMM peak, plus the occurrence-weighted whole-network figure.
 *
 * <pre>java -cp netlens-bench/target/benchmarks.jar dev.netlens.bench.ConvPeakReport [batch]</pre>
 */
public final class ConvPeakReport {
    /** Separate JVMs per benchmark: medians are taken over the samples of all of them. */
    private static final int FORKS = 3;
    private ConvPeakReport() {
    }

    public static void main(String[] args) throws RunnerException {
        String batch = args.length > 0 ? args[0] : "1";
        Options sgemm = new OptionsBuilder()
                .include(SgemmBenchmark.class.getSimpleName())
                .param("impl", "raw-openblas")
                .param("size", "2048")
                .forks(FORKS)
                .build();
        Collection<RunResult> peakRuns = new Runner(sgemm).run();
        double peakMs = median(peakRuns.iterator().next());
        double peak = SgemmBenchmark.flops(2048) / (peakMs * 1e6);

        Options conv = new OptionsBuilder()
                .include(ConvBenchmark.class.getSimpleName() + ".forwardAndBackwardData")
                .param("batch", batch)
                .forks(FORKS)
                .build();
        Collection<RunResult> convRuns = new Runner(conv).run();

        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "OpenBLAS sgemm 2048^3 peak: %.1f ms median = %.1f GFLOP/s%n%n", peakMs, peak));
        table.append(String.format(Locale.ROOT, "%-20s %10s %10s %10s%n", "layer (batch " + batch + ")",
                "fwd+bwd ms", "GFLOP/s", "% of peak"));
        double totalFlops = 0;
        double totalMs = 0;
        for (RunResult run : convRuns) {
            String name = run.getParams().getParam("layer");
            ResNet18Layers.Layer layer = ResNet18Layers.LAYERS.get(name);
            double flops = 4.0 * layer.geometry(Integer.parseInt(batch)).multiplyAdds();
            double ms = median(run);
            double rate = flops / (ms * 1e6);
            totalFlops += flops * layer.occurrences();
            totalMs += ms * layer.occurrences();
            table.append(String.format(Locale.ROOT, "%-20s %10.3f %10.1f %9.0f%%%n", name, ms, rate, 100 * rate / peak));
        }
        double overall = totalFlops / (totalMs * 1e6);
        table.append(String.format(Locale.ROOT, "%-20s %10.3f %10.1f %9.0f%%%n", "weighted (ResNet-18)", totalMs,
                overall, 100 * overall / peak));
        System.out.println();
        System.out.print(table);
    }

    private static double median(RunResult run) {
        return run.getPrimaryResult().getStatistics().getPercentile(50);
    }
}
