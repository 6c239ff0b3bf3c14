package dev.netlens.core.kernels;

import java.util.Arrays;

/**
 * Max and average pooling loops, parallel over (image, channel) planes. Every plane is processed
 * independently, so results do not depend on the thread count.
 */
final class JavaPooling {
    /** What a window lying entirely in the padding yields (ONNX Runtime's lowest float). */
    static final float EMPTY_WINDOW = -Float.MAX_VALUE;

    private JavaPooling() {
    }

    /** First kernel tap whose position start + k·dilation is ≥ 0. */
    static int firstTap(int start, int dilation, int kernel) {
        return start >= 0 ? 0 : Math.min(kernel, (-start + dilation - 1) / dilation);
    }

    /** One past the last kernel tap whose position start + k·dilation is < extent. */
    static int endTap(int start, int dilation, int kernel, int extent) {
        if (start >= extent) {
            return 0;
        }
        return Math.min(kernel, (extent - 1 - start) / dilation + 1);
    }

    /**
     * Max pooling, separably and without data-dependent branches (a scan that branches on every
     * comparison mispredicts on real activations and costs several times more). Every element is
     * mapped to a long that orders like the float (NaN above everything, −0 equal to +0), with the
     * window position in its low bits so that ties go to the first tap in window order — the
     * semantics of a plain first-maximum scan. A vertical pass takes, per input column, the
     * maximum over the window's rows; a horizontal pass takes the maximum over the window's
     * columns. The winner's flat index comes out of the low bits and the output is the winning
     * element itself.
     */
    static void maxForward(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        final int ow = g.outWidth;
        final int w = g.inWidth;
        final int[] kjLo = new int[ow];
        final int[] kjHi = new int[ow];
        for (int ox = 0; ox < ow; ox++) {
            int ix0 = ox * g.strideWidth - g.padLeft;
            kjLo[ox] = firstTap(ix0, g.dilationWidth, g.kernelWidth);
            kjHi[ox] = Math.max(kjLo[ox], endTap(ix0, g.dilationWidth, g.kernelWidth, w));
        }
        if (g.kernelHeight >= (1 << 15) || g.kernelWidth >= (1 << 15)) {
            throw new IllegalArgumentException("MaxPool kernel " + g.kernelHeight + "x" + g.kernelWidth
                    + " is too large (at most 32767 along each axis)");
        }
        if (argmax == null) {
            maxValues(g, x, y, kjLo, kjHi);
            return;
        }
        if (Simd.ENABLED && PoolingSimd.supports(g)) {
            PoolingSimd.maxForward(g, x, y, argmax, kjLo, kjHi);
            return;
        }
        maxWithArgmax(g, x, y, argmax, kjLo, kjHi);
    }

    /** The scalar loops of {@link #maxForward} with argmax (what {@link PoolingSimd} computes with vectors). */
    static void maxWithArgmax(PoolGeometry g, float[] x, float[] y, int[] argmax, int[] kjLo, int[] kjHi) {
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        final int ow = g.outWidth;
        final int w = g.inWidth;
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            long[] column = new long[w];
            float[] rowCopy = new float[w];
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * inArea;
                int yOff = plane * outArea;
                for (int oy = 0; oy < g.outHeight; oy++) {
                    int iy0 = oy * g.strideHeight - g.padTop;
                    int kiLo = firstTap(iy0, g.dilationHeight, g.kernelHeight);
                    int kiHi = endTap(iy0, g.dilationHeight, g.kernelHeight, g.inHeight);
                    int yRow = yOff + oy * ow;
                    if (kiLo >= kiHi) {
                        emptyRow(y, argmax, yRow, ow);
                        continue;
                    }
                    verticalMax(g, x, xOff + (iy0 + kiLo * g.dilationHeight) * w, kiLo, kiHi, column, rowCopy);
                    for (int ox = 0; ox < ow; ox++) {
                        int lo = kjLo[ox];
                        int hi = kjHi[ox];
                        int o = yRow + ox;
                        if (lo >= hi) {
                            y[o] = EMPTY_WINDOW;
                            if (argmax != null) {
                                argmax[o] = -1;
                            }
                            continue;
                        }
                        int ix0 = ox * g.strideWidth - g.padLeft;
                        long best = Long.MIN_VALUE;
                        for (int kj = lo; kj < hi; kj++) {
                            best = Math.max(best, column[ix0 + kj * g.dilationWidth] | (g.kernelWidth - 1 - kj));
                        }
                        int ki = g.kernelHeight - 1 - (int) ((best >>> 16) & 0x7fff);
                        int kj = g.kernelWidth - 1 - (int) (best & 0x7fff);
                        int winner = xOff + (iy0 + ki * g.dilationHeight) * w + ix0 + kj * g.dilationWidth;
                        y[o] = x[winner];
                        if (argmax != null) {
                            argmax[o] = winner;
                        }
                    }
                }
            }
        });
    }

    /**
     * The maximum values alone: the same separable passes on floats ({@link Math#max} compiles to
     * branch-free, vectorised code), the horizontal one for every window start at once when the
     * windows' columns are consecutive ({@link #windowMax}; ResNet-18's 3×3 stride-2 max pool in a
     * forward pass, per-node medians over 200 passes, two runs: 0.91–0.93 → 0.56–0.57 ms). Math.max
     * ranks +0 above −0 where a first-maximum scan keeps whichever comes first, so a zero result is
     * settled by a scan; NaN wins either way.
     */
    private static void maxValues(PoolGeometry g, float[] x, float[] y, int[] kjLo, int[] kjHi) {
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        final int ow = g.outWidth;
        final int w = g.inWidth;
        final int kw = g.kernelWidth;
        // Windows of consecutive columns: their maxima for every start at once (see windowMax).
        final boolean sliding = g.dilationWidth == 1 && kw > 1 && kw <= w;
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            float[] column = new float[w];
            float[] next = new float[w];
            float[] window = sliding ? new float[w] : null;
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * inArea;
                int yOff = plane * outArea;
                for (int oy = 0; oy < g.outHeight; oy++) {
                    int iy0 = oy * g.strideHeight - g.padTop;
                    int kiLo = firstTap(iy0, g.dilationHeight, g.kernelHeight);
                    int kiHi = endTap(iy0, g.dilationHeight, g.kernelHeight, g.inHeight);
                    int yRow = yOff + oy * ow;
                    if (kiLo >= kiHi) {
                        emptyRow(y, null, yRow, ow);
                        continue;
                    }
                    int firstRow = xOff + (iy0 + kiLo * g.dilationHeight) * w;
                    System.arraycopy(x, firstRow, column, 0, w);
                    for (int ki = kiLo + 1, row = firstRow + g.dilationHeight * w; ki < kiHi;
                         ki++, row += g.dilationHeight * w) {
                        // Copied first: a loop reading both arrays at index i is one the JIT vectorises.
                        System.arraycopy(x, row, next, 0, w);
                        for (int i = 0; i < w; i++) {
                            column[i] = Math.max(column[i], next[i]);
                        }
                    }
                    if (sliding) {
                        windowMax(column, next, window, w, kw);
                    }
                    for (int ox = 0; ox < ow; ox++) {
                        int lo = kjLo[ox];
                        int hi = kjHi[ox];
                        if (lo >= hi) {
                            y[yRow + ox] = EMPTY_WINDOW;
                            continue;
                        }
                        int ix0 = ox * g.strideWidth - g.padLeft;
                        float best;
                        if (sliding && lo == 0 && hi == kw) {
                            best = window[ix0];
                        } else {
                            best = column[ix0 + lo * g.dilationWidth];
                            for (int kj = lo + 1; kj < hi; kj++) {
                                best = Math.max(best, column[ix0 + kj * g.dilationWidth]);
                            }
                        }
                        y[yRow + ox] = best == 0f ? firstZero(g, x, xOff, iy0, ix0, kiLo, kiHi, lo, hi) : best;
                    }
                }
            }
        });
    }

    /**
     * window[i] = max(…max(max(column[i], column[i + 1]), column[i + 2])…, column[i + k − 1]) for every
     * i ≤ w − k: the same maxima in the same order as the scalar loop over one window, for all
     * window starts at once. Each step reads a shifted copy ({@code shifted}) at the same index as
     * the result, a loop the JIT vectorises; the scalar loop it replaces (three loads and two
     * maxima per output of a 3-wide window) was nearly all of a max pool's time. ResNet-18's max
     * pool in a forward pass: see {@link #maxValues}.
     */
    private static void windowMax(float[] column, float[] shifted, float[] window, int w, int k) {
        int n = w - k + 1;
        System.arraycopy(column, 0, window, 0, n);
        for (int kj = 1; kj < k; kj++) {
            System.arraycopy(column, kj, shifted, 0, n);
            for (int i = 0; i < n; i++) {
                window[i] = Math.max(window[i], shifted[i]);
            }
        }
    }

    /** The first zero (±0) in window order: the value a first-maximum scan returns when the maximum is 0. */
    private static float firstZero(PoolGeometry g, float[] x, int xOff, int iy0, int ix0, int kiLo, int kiHi,
                                   int lo, int hi) {
        for (int ki = kiLo; ki < kiHi; ki++) {
            int row = xOff + (iy0 + ki * g.dilationHeight) * g.inWidth + ix0;
            for (int kj = lo; kj < hi; kj++) {
                float v = x[row + kj * g.dilationWidth];
                if (v == 0f) {
                    return v;
                }
            }
        }
        throw new AssertionError("a zero maximum has no zero in its window");
    }

    /** column[i] = max over the window rows kiLo..kiHi−1 of the ordered key of x, tagged with the row. */
    private static void verticalMax(PoolGeometry g, float[] x, int firstRow, int kiLo, int kiHi, long[] column,
                                    float[] row) {
        int w = g.inWidth;
        int rowStride = g.dilationHeight * w;
        long tag = (long) (g.kernelHeight - 1 - kiLo) << 16;
        // Rows are copied first: loops reading every array at index i are the ones the JIT vectorises.
        System.arraycopy(x, firstRow, row, 0, w);
        for (int i = 0; i < w; i++) {
            column[i] = orderedKey(row[i]) | tag;
        }
        for (int ki = kiLo + 1, at = firstRow + rowStride; ki < kiHi; ki++, at += rowStride) {
            long rowTag = (long) (g.kernelHeight - 1 - ki) << 16;
            System.arraycopy(x, at, row, 0, w);
            for (int i = 0; i < w; i++) {
                column[i] = Math.max(column[i], orderedKey(row[i]) | rowTag);
            }
        }
    }

    /**
     * A long whose signed order is the float order in the high 32 bits: −0 is first made +0 (so
     * they tie) and every NaN becomes the canonical positive NaN, which orders above +∞.
     */
    private static long orderedKey(float v) {
        int bits = Float.floatToIntBits(v + 0f);
        return (long) (bits ^ ((bits >> 31) & 0x7fffffff)) << 32;
    }

    /** A row of outputs whose windows lie entirely in the padding: {@link #EMPTY_WINDOW}, index −1. */
    static void emptyRow(float[] y, int[] argmax, int from, int count) {
        Arrays.fill(y, from, from + count, EMPTY_WINDOW);
        if (argmax != null) {
            Arrays.fill(argmax, from, from + count, -1);
        }
    }

    static void maxBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx) {
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        // A winner always lies in its own plane, so planes are independent.
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                Arrays.fill(dx, plane * inArea, (plane + 1) * inArea, 0f);
                for (int o = plane * outArea, end = o + outArea; o < end; o++) {
                    int idx = argmax[o];
                    if (idx >= 0) {
                        dx[idx] += dy[o];
                    }
                }
            }
        });
    }

    /** Number of window taps along one axis that land in [low, high). */
    private static int taps(int start, int kernel, int dilation, int low, int high) {
        int n = 0;
        for (int k = 0, i = start; k < kernel; k++, i += dilation) {
            if (i >= low && i < high) {
                n++;
            }
        }
        return n;
    }

    private static float divisor(PoolGeometry g, boolean countIncludePad, int iy0, int ix0) {
        int rows = countIncludePad
                ? taps(iy0, g.kernelHeight, g.dilationHeight, -g.padTop, g.inHeight + g.padBottom)
                : taps(iy0, g.kernelHeight, g.dilationHeight, 0, g.inHeight);
        int cols = countIncludePad
                ? taps(ix0, g.kernelWidth, g.dilationWidth, -g.padLeft, g.inWidth + g.padRight)
                : taps(ix0, g.kernelWidth, g.dilationWidth, 0, g.inWidth);
        return rows * cols;
    }

    /** Whether the one window of every plane is the whole plane (global pooling): no padding, no dilation. */
    private static boolean wholePlane(PoolGeometry g) {
        return g.kernelHeight == g.inHeight && g.kernelWidth == g.inWidth && g.outHeight == 1 && g.outWidth == 1
                && g.padTop == 0 && g.padLeft == 0 && g.padBottom == 0 && g.padRight == 0
                && (g.kernelHeight == 1 || g.dilationHeight == 1) && (g.kernelWidth == 1 || g.dilationWidth == 1);
    }

    /** Planes summed side by side by {@link #globalAvgForward}. */
    private static final int SIDE_BY_SIDE = 8;

    /**
     * Global average pooling: each plane's sum in element order, as the window loop computes it (so
     * bit-identical), but 8 planes at a time with independent accumulators — one plane's chain of
     * dependent additions left the loop latency-bound (0.3 ms for ResNet-8's 128 × 64 planes of
     * 7 × 7 at 2 threads).
     */
    private static void globalAvgForward(PoolGeometry g, float[] x, float[] y) {
        final int area = g.inArea();
        final float d = area;
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            int plane = from;
            for (; plane + SIDE_BY_SIDE <= to; plane += SIDE_BY_SIDE) {
                int o = plane * area;
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                float s4 = 0f;
                float s5 = 0f;
                float s6 = 0f;
                float s7 = 0f;
                for (int i = 0; i < area; i++) {
                    int k = o + i;
                    s0 += x[k];
                    s1 += x[k + area];
                    s2 += x[k + 2 * area];
                    s3 += x[k + 3 * area];
                    s4 += x[k + 4 * area];
                    s5 += x[k + 5 * area];
                    s6 += x[k + 6 * area];
                    s7 += x[k + 7 * area];
                }
                y[plane] = s0 / d;
                y[plane + 1] = s1 / d;
                y[plane + 2] = s2 / d;
                y[plane + 3] = s3 / d;
                y[plane + 4] = s4 / d;
                y[plane + 5] = s5 / d;
                y[plane + 6] = s6 / d;
                y[plane + 7] = s7 / d;
            }
            for (; plane < to; plane++) {
                float sum = 0f;
                for (int i = plane * area, end = i + area; i < end; i++) {
                    sum += x[i];
                }
                y[plane] = sum / d;
            }
        });
    }

    static void avgForward(PoolGeometry g, boolean countIncludePad, float[] x, float[] y) {
        if (wholePlane(g)) {
            globalAvgForward(g, x, y);
            return;
        }
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * inArea;
                int yOff = plane * outArea;
                for (int oy = 0; oy < g.outHeight; oy++) {
                    int iy0 = oy * g.strideHeight - g.padTop;
                    for (int ox = 0; ox < g.outWidth; ox++) {
                        int ix0 = ox * g.strideWidth - g.padLeft;
                        float sum = 0f;
                        for (int ki = 0; ki < g.kernelHeight; ki++) {
                            int iy = iy0 + ki * g.dilationHeight;
                            if (iy < 0 || iy >= g.inHeight) {
                                continue;
                            }
                            for (int kj = 0; kj < g.kernelWidth; kj++) {
                                int ix = ix0 + kj * g.dilationWidth;
                                if (ix >= 0 && ix < g.inWidth) {
                                    sum += x[xOff + iy * g.inWidth + ix];
                                }
                            }
                        }
                        float d = divisor(g, countIncludePad, iy0, ix0);
                        y[yOff + oy * g.outWidth + ox] = d == 0 ? 0f : sum / d;
                    }
                }
            }
        });
    }

    static void avgBackward(PoolGeometry g, boolean countIncludePad, float[] dy, float[] dx) {
        if (wholePlane(g)) {
            // every element of a plane gets 0 + dy / area, as the window loop adds it to a zeroed plane
            final int area = g.inArea();
            final float d = area;
            Parallel.range(g.batch * g.channels, 4, (from, to) -> {
                for (int plane = from; plane < to; plane++) {
                    Arrays.fill(dx, plane * area, (plane + 1) * area, 0f + dy[plane] / d);
                }
            });
            return;
        }
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * inArea;
                int yOff = plane * outArea;
                Arrays.fill(dx, xOff, xOff + inArea, 0f);
                for (int oy = 0; oy < g.outHeight; oy++) {
                    int iy0 = oy * g.strideHeight - g.padTop;
                    for (int ox = 0; ox < g.outWidth; ox++) {
                        int ix0 = ox * g.strideWidth - g.padLeft;
                        float d = divisor(g, countIncludePad, iy0, ix0);
                        if (d == 0) {
                            continue;
                        }
                        float share = dy[yOff + oy * g.outWidth + ox] / d;
                        for (int ki = 0; ki < g.kernelHeight; ki++) {
                            int iy = iy0 + ki * g.dilationHeight;
                            if (iy < 0 || iy >= g.inHeight) {
                                continue;
                            }
                            for (int kj = 0; kj < g.kernelWidth; kj++) {
                                int ix = ix0 + kj * g.dilationWidth;
                                if (ix >= 0 && ix < g.inWidth) {
                                    dx[xOff + iy * g.inWidth + ix] += share;
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
