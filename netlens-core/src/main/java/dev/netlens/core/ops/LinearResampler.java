package dev.netlens.core.ops;

import dev.netlens.core.kernels.Parallel;

/**
 * Two-tap linear interpolation along one axis, and its adjoint: a tensor viewed as
 * [outer, in, inner] becomes [outer, out, inner] with dst[o, j, :] = w0[j]·src[o, i0[j], :] +
 * w1[j]·src[o, i1[j], :].
 */
final class LinearResampler {
    private static final int GRAIN = 1 << 14;

    final int in;
    final int out;
    private final int[] i0;
    private final int[] i1;
    private final float[] w0;
    private final float[] w1;

    /** Weights for input coordinates {@code coords} (one per output index), clamped to [0, in − 1]. */
    LinearResampler(int in, double[] coords) {
        this.in = in;
        this.out = coords.length;
        i0 = new int[out];
        i1 = new int[out];
        w0 = new float[out];
        w1 = new float[out];
        for (int j = 0; j < out; j++) {
            double c = Math.max(0, Math.min(in - 1, coords[j]));
            int lo = (int) Math.floor(c);
            double lambda = c - lo;
            i0[j] = lo;
            i1[j] = Math.min(lo + 1, in - 1);
            w0[j] = (float) (1 - lambda);
            w1[j] = (float) lambda;
        }
    }

    /** Whether this is the identity (same length, every output reads its own index). */
    boolean isIdentity() {
        if (in != out) {
            return false;
        }
        for (int j = 0; j < out; j++) {
            if (i0[j] != j || w1[j] != 0f) {
                return false;
            }
        }
        return true;
    }

    void apply(float[] src, float[] dst, int outer, int inner) {
        int rows = outer * out;
        Parallel.range(rows, Math.max(1, GRAIN / Math.max(inner, 1)), (from, to) -> {
            for (int row = from; row < to; row++) {
                int o = row / out;
                int j = row % out;
                int a = (o * in + i0[j]) * inner;
                int b = (o * in + i1[j]) * inner;
                int d = row * inner;
                float p = w0[j];
                float q = w1[j];
                for (int k = 0; k < inner; k++) {
                    dst[d + k] = p * src[a + k] + q * src[b + k];
                }
            }
        });
    }

    /** gsrc[o, i, :] += Σ_j w(j, i) · g[o, j, :]; {@code gsrc} starts zeroed. */
    void adjoint(float[] g, float[] gsrc, int outer, int inner) {
        Parallel.range(outer, Math.max(1, GRAIN / Math.max(1, out * inner)), (from, to) -> {
            for (int o = from; o < to; o++) {
                for (int j = 0; j < out; j++) {
                    int a = (o * in + i0[j]) * inner;
                    int b = (o * in + i1[j]) * inner;
                    int s = (o * out + j) * inner;
                    float p = w0[j];
                    float q = w1[j];
                    for (int k = 0; k < inner; k++) {
                        gsrc[a + k] += p * g[s + k];
                    }
                    if (q != 0f) {
                        for (int k = 0; k < inner; k++) {
                            gsrc[b + k] += q * g[s + k];
                        }
                    }
                }
            }
        });
    }
}
