package dev.netlens.bench;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.kernels.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square SGEMM. {@code raw-openblas}: cblas_sgemm on off-heap buffers with OpenBLAS threads set
 * through the same binding class — the machine's OpenBLAS peak that convolution rates are compared
 * with. {@code openblas}/{@code java}: netlens' {@link Kernels#sgemm} on Java arrays (staging
 * included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SgemmBenchmark {
    @Param({"2048"})
    public int size;

    @Param({"raw-openblas", "openblas", "java"})
    public String impl;

    private float[] a;
    private float[] b;
    private float[] c;
    private FloatPointer pa;
    private FloatPointer pb;
    private FloatPointer pc;
    private Kernels kernels;

    @Setup
    public void setUp() {
        int n = size * size;
        SplittableRandom r = new SplittableRandom(1);
        a = new float[n];
        b = new float[n];
        c = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble();
            b[i] = (float) r.nextDouble();
        }
        kernels = impl.equals("java") ? Kernels.java() : Kernels.openblas();
        if (impl.equals("raw-openblas")) {
            // netlens runs OpenBLAS single-threaded and splits GEMMs itself; the reference peak is
            // OpenBLAS with all threads, set through the binding class whose cblas_sgemm is called.
            openblas_nolapack.blas_set_num_threads(Parallel.threads());
            pa = new FloatPointer(a);
            pb = new FloatPointer(b);
            pc = new FloatPointer((long) n);
        }
    }

    @TearDown
    public void tearDown() {
        if (pa != null) {
            pa.close();
            pb.close();
            pc.close();
        }
    }

    @Benchmark
    public float sgemm() {
        if (pa != null) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, size, size, size, 1f, pa, size, pb, size, 0f, pc, size);
            return pc.get(0);
        }
        kernels.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        return c[0];
    }

    /** FLOPs of one call. */
    static double flops(int size) {
        return 2.0 * size * size * size;
    }
}
