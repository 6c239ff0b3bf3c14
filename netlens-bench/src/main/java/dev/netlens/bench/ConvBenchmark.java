package dev.netlens.bench;

import dev.netlens.core.kernels.ConvGeometry;
import dev.netlens.core.kernels.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Convolution kernels at ResNet-18 layer shapes: forward, input (data) gradient, weight gradient,
 * and forward + input gradient (what a saliency map costs per layer).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBenchmark {
    @Param({"conv1", "layer1", "layer2.0.conv1", "layer2", "layer2.downsample", "layer3.0.conv1", "layer3",
        "layer3.downsample", "layer4.0.conv1", "layer4", "layer4.downsample"})
    public String layer;

    @Param({"1"})
    public int batch;

    @Param({"openblas"})
    public String kernels;

    private ConvGeometry g;
    private Kernels k;
    private float[] x;
    private float[] w;
    private float[] bias;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private float[] dw;
    private float[] db;

    @Setup
    public void setUp() {
        g = ResNet18Layers.LAYERS.get(layer).geometry(batch);
        k = kernels.equals("java") ? Kernels.java() : Kernels.openblas();
        SplittableRandom r = new SplittableRandom(1);
        x = random(r, g.inputSize());
        w = random(r, g.weightSize());
        // Model weights: graph parameters are declared constant, so kernels cache derived forms.
        dev.netlens.core.kernels.ConstantArrays.declare(w);
        bias = random(r, g.outChannels);
        y = new float[g.outputSize()];
        dy = random(r, g.outputSize());
        dx = new float[g.inputSize()];
        dw = new float[g.weightSize()];
        db = new float[g.outChannels];
    }

    /** n values uniform in [−0.5, 0.5). */
    static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() - 0.5);
        }
        return a;
    }

    @Benchmark
    public float forward() {
        k.convForward(g, x, w, bias, y);
        return y[0];
    }

    @Benchmark
    public float backwardData() {
        k.convBackwardData(g, dy, w, dx);
        return dx[0];
    }

    @Benchmark
    public float backwardFilter() {
        k.convBackwardFilter(g, x, dy, dw, db);
        return dw[0];
    }

    @Benchmark
    public float forwardAndBackwardData() {
        k.convForward(g, x, w, bias, y);
        k.convBackwardData(g, dy, w, dx);
        return y[0] + dx[0];
    }
}
