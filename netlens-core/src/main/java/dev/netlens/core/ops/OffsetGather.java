package dev.netlens.core.ops;

import dev.netlens.core.kernels.Parallel;

/**
 * Data movement driven by separable offset tables, shared by the shape ops (Slice, Transpose,
 * Pad, nearest Resize). For an output of rank r, {@code tables[d][i]} is the offset (in elements)
 * that output index i along dimension d contributes to the source position, or -1 when that
 * output index has no source (constant padding). An output element's source is the sum of its
 * dimensions' offsets.
 */
final class OffsetGather {
    private static final int GRAIN = 1 << 15;

    private OffsetGather() {
    }

    /** dst[i] = src[Σ_d tables[d][i_d]], or {@code fill} where some table entry is -1. */
    static void gather(float[] src, int[][] tables, float[] dst, float fill) {
        int r = tables.length;
        if (r == 0) {
            dst[0] = src[0];
            return;
        }
        int[] last = tables[r - 1];
        int n = last.length;
        if (dst.length == 0 || n == 0) {
            return;
        }
        int rows = dst.length / n;
        Parallel.range(rows, Math.max(1, GRAIN / n), (from, to) -> {
            int[] idx = decode(tables, from);
            for (int row = from; row < to; row++) {
                int base = base(tables, idx);
                int p = row * n;
                if (base < 0) {
                    java.util.Arrays.fill(dst, p, p + n, fill);
                } else {
                    for (int k = 0; k < n; k++) {
                        int t = last[k];
                        dst[p + k] = t < 0 ? fill : src[base + t];
                    }
                }
                advance(tables, idx);
            }
        });
    }

    /** acc[Σ_d tables[d][i_d]] += g[i] for every output element i that has a source. */
    static void scatterAdd(float[] g, int[][] tables, float[] acc) {
        int r = tables.length;
        if (r == 0) {
            acc[0] += g[0];
            return;
        }
        int[] last = tables[r - 1];
        int n = last.length;
        if (g.length == 0 || n == 0) {
            return;
        }
        int rows = g.length / n;
        int[] idx = new int[r - 1];
        for (int row = 0; row < rows; row++) {
            int base = base(tables, idx);
            if (base >= 0) {
                int p = row * n;
                for (int k = 0; k < n; k++) {
                    int t = last[k];
                    if (t >= 0) {
                        acc[base + t] += g[p + k];
                    }
                }
            }
            advance(tables, idx);
        }
    }

    /** The table (start + k·step)·stride for k in [0, length). */
    static int[] strided(int length, int start, int step, int stride) {
        int[] t = new int[length];
        for (int k = 0; k < length; k++) {
            t[k] = (start + k * step) * stride;
        }
        return t;
    }

    private static int[] decode(int[][] tables, int row) {
        int[] idx = new int[tables.length - 1];
        for (int d = tables.length - 2; d >= 0; d--) {
            int len = tables[d].length;
            idx[d] = row % len;
            row /= len;
        }
        return idx;
    }

    private static int base(int[][] tables, int[] idx) {
        int base = 0;
        for (int d = 0; d < idx.length; d++) {
            int t = tables[d][idx[d]];
            if (t < 0) {
                return -1;
            }
            base += t;
        }
        return base;
    }

    private static void advance(int[][] tables, int[] idx) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < tables[d].length) {
                return;
            }
            idx[d] = 0;
        }
    }
}
