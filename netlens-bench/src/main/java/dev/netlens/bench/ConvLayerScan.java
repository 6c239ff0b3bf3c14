package dev.netlens.bench;

import dev.netlens.core.kernels.ConstantArrays;
import dev.netlens.core.kernels.ConvGeometry;
import dev.netlens.core.kernels.Kernels;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Quick per-layer scan without JMH: median time of convolution forward + input gradient at every
 * ResNet-18 layer shape, for one batch size, in this JVM (for comparing kernel strategies chosen
 * with system properties, e.g. {@code -Dnetlens.winograd=off|f2|f4}). JMH ({@link ConvPeakReport})
 * gives the reported figures; this gives a first look in seconds.
 *
 * <pre>java --add-modules jdk.incubator.vector -Dnetlens.threads=2 -cp netlens-bench/target/benchmarks.jar dev.netlens.bench.ConvLayerScan [batch] [runs]</pre>
 *
 * (without {@code --add-modules} the Winograd transforms run their scalar loops; see {@code Simd}).
 */
public final class ConvLayerScan {
    private ConvLayerScan() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Kernels k = Kernels.openblas();
        double weighted = 0;
        for (ResNet18Layers.Layer layer : ResNet18Layers.LAYERS.values()) {
            ConvGeometry g = layer.geometry(batch);
            SplittableRandom r = new SplittableRandom(1);
            float[] x = ConvBenchmark.random(r, g.inputSize());
            float[] w = ConvBenchmark.random(r, g.weightSize());
            ConstantArrays.declare(w);
            float[] bias = ConvBenchmark.random(r, g.outChannels);
            float[] y = new float[g.outputSize()];
            float[] dy = ConvBenchmark.random(r, g.outputSize());
            float[] dx = new float[g.inputSize()];
            double[] fwd = new double[runs];
            double[] bwd = new double[runs];
            for (int i = -Math.max(3, runs / 4); i < runs; i++) {
                long t0 = System.nanoTime();
                k.convForward(g, x, w, bias, y);
                long t1 = System.nanoTime();
                k.convBackwardData(g, dy, w, dx);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    fwd[i] = (t1 - t0) / 1e6;
                    bwd[i] = (t2 - t1) / 1e6;
                }
            }
            double f = median(fwd);
            double b = median(bwd);
            weighted += (f + b) * layer.occurrences();
            System.out.printf(Locale.ROOT, "%-20s fwd %8.3f ms  bwd %8.3f ms%n", layer.name(), f, b);
        }
        System.out.printf(Locale.ROOT, "%-20s %8.3f ms (forward + input gradient, every convolution)%n", "weighted", weighted);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
