package dev.netlens.core.kernels;

import dev.netlens.core.tensor.FloatMasks;

/**
 * Element-wise loops that the JIT does not vectorise by itself, with a Vector API version
 * ({@link ElementwiseSimd}) when the JVM has it ({@link Simd}). Both give the same bits. (The
 * vector loop is the slower one until the JIT compiles it; see {@link BatchNormKernels}.)
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /**
     * The ReLU's VJP: out[i] = g[i] where x[i] &gt; 0, else +0 (NaN and −0 in x are not positive),
     * for i in [from, to) — {@link FloatMasks#ifPositive} element by element.
     */
    public static void reluBackward(float[] x, float[] g, float[] out, int from, int to) {
        if (Simd.ENABLED) {
            ElementwiseSimd.reluBackward(x, g, out, from, to);
        } else {
            scalarReluBackward(x, g, out, from, to);
        }
    }

    static void scalarReluBackward(float[] x, float[] g, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = FloatMasks.ifPositive(x[i], g[i]);
        }
    }

    /** dx[i] = addend[i] + dx[i] for i &lt; n, on the pool's threads: a gradient summed into another. */
    static void addInto(float[] addend, float[] dx, int n) {
        Parallel.range(n, 1 << 15, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[i] = addend[i] + dx[i];
            }
        });
    }
}
