package dev.netlens.core.kernels;

/**
 * Sums over one contiguous row with eight independent float accumulators (instruction-level
 * parallelism the JIT cannot create for a single ordered sum), combined in double. Rows are at
 * most a feature map; the float partial sums lose at most a few ulps relative to a double sum.
 * The order is fixed, so the result does not depend on threads. Used by batch normalisation and
 * by the convolution bias gradient ({@link JavaKernels}).
 */
public final class RowSums {
    private RowSums() {
    }

    /** Σ a[off .. off+len). */
    public static double sum(float[] a, int off, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int p = 0;
        for (; p + 8 <= len; p += 8) {
            int i = off + p;
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        double s = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
        for (; p < len; p++) {
            s += a[off + p];
        }
        return s;
    }

    /** Σ (a − mean)² over the row. */
    public static double squaredDeviations(float[] a, int off, int len, double mean) {
        float m = (float) mean;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int p = 0;
        for (; p + 8 <= len; p += 8) {
            int i = off + p;
            float d0 = a[i] - m;
            float d1 = a[i + 1] - m;
            float d2 = a[i + 2] - m;
            float d3 = a[i + 3] - m;
            float d4 = a[i + 4] - m;
            float d5 = a[i + 5] - m;
            float d6 = a[i + 6] - m;
            float d7 = a[i + 7] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        double s = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
        for (; p < len; p++) {
            double d = a[off + p] - mean;
            s += d * d;
        }
        return s;
    }

    /** Σ g·(x − mean) over the row. */
    public static double dotCentered(float[] g, float[] x, int off, int len, double mean) {
        return dotCentered(g, off, x, off, len, mean);
    }

    /** Σ g[gOff + p]·(x[xOff + p] − mean) for p in [0, len). */
    public static double dotCentered(float[] g, int gOff, float[] x, int xOff, int len, double mean) {
        float m = (float) mean;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int p = 0;
        for (; p + 8 <= len; p += 8) {
            int i = gOff + p;
            int j = xOff + p;
            s0 += g[i] * (x[j] - m);
            s1 += g[i + 1] * (x[j + 1] - m);
            s2 += g[i + 2] * (x[j + 2] - m);
            s3 += g[i + 3] * (x[j + 3] - m);
            s4 += g[i + 4] * (x[j + 4] - m);
            s5 += g[i + 5] * (x[j + 5] - m);
            s6 += g[i + 6] * (x[j + 6] - m);
            s7 += g[i + 7] * (x[j + 7] - m);
        }
        double s = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
        for (; p < len; p++) {
            s += g[gOff + p] * (x[xOff + p] - mean);
        }
        return s;
    }
}
