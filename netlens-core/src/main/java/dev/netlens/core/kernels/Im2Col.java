package dev.netlens.core.kernels;

/**
 * Lowering of one image and one group of a convolution to a matrix (im2col) and back (col2im).
 *
 * <p>The column matrix has {@link ConvGeometry#colRows()} rows — one per (channel, ki, kj) — and
 * {@link ConvGeometry#outArea()} columns. Both directions work on a block of consecutive rows held
 * in a Java array, so callers can fill the whole matrix in place (pure-Java kernels) or stage it
 * block by block into off-heap memory (OpenBLAS kernels). Short runs are copied with plain loops:
 * at small spatial sizes a call to {@code System.arraycopy} per run would dominate.
 */
final class Im2Col {
    private static final int ARRAYCOPY_MIN = 24;

    private Im2Col() {
    }

    /**
     * Writes rows [rowFrom, rowTo) of the column matrix of the group whose channels start at
     * {@code xOffset} in {@code x}; row {@code rowFrom} lands at {@code dstOffset} in {@code dst}.
     */
    static void im2col(ConvGeometry g, float[] x, int xOffset, int rowFrom, int rowTo, float[] dst, int dstOffset) {
        im2col(g, x, xOffset, rowFrom, rowTo, 0, g.outHeight, dst, dstOffset);
    }

    /**
     * Like {@link #im2col(ConvGeometry, float[], int, int, int, float[], int)} for output rows
     * [yFrom, yTo) only: each matrix row then has (yTo − yFrom)·outWidth columns.
     */
    static void im2col(ConvGeometry g, float[] x, int xOffset, int rowFrom, int rowTo, int yFrom, int yTo,
                       float[] dst, int dstOffset) {
        im2colStrided(g, x, xOffset, rowFrom, rowTo, yFrom, yTo, dst, dstOffset, (yTo - yFrom) * g.outWidth);
    }

    /**
     * Like {@link #im2col(ConvGeometry, float[], int, int, int, int, int, float[], int)} with matrix
     * rows {@code dstRowStride} floats apart (several images' columns side by side).
     */
    static void im2colStrided(ConvGeometry g, float[] x, int xOffset, int rowFrom, int rowTo, int yFrom, int yTo,
                              float[] dst, int dstOffset, int dstRowStride) {
        final int kh = g.kernelHeight;
        final int kw = g.kernelWidth;
        final int h = g.inHeight;
        final int w = g.inWidth;
        final int ow = g.outWidth;
        final int sw = g.strideWidth;
        for (int r = rowFrom; r < rowTo; r++) {
            int d = dstOffset + (r - rowFrom) * dstRowStride;
            int c = r / (kh * kw);
            int ki = (r / kw) % kh;
            int kj = r % kw;
            int iwStart = kj * g.dilationWidth - g.padLeft;
            int lo = firstInside(iwStart, sw, ow);
            int hi = Math.max(lo, lastInsideExclusive(iwStart, sw, w, ow));
            for (int y = yFrom; y < yTo; y++, d += ow) {
                int ih = y * g.strideHeight - g.padTop + ki * g.dilationHeight;
                if (ih < 0 || ih >= h) {
                    zero(dst, d, d + ow);
                    continue;
                }
                int src = xOffset + (c * h + ih) * w + iwStart;
                zero(dst, d, d + lo);
                if (sw == 1) {
                    if (hi - lo >= ARRAYCOPY_MIN) {
                        System.arraycopy(x, src + lo, dst, d + lo, hi - lo);
                    } else {
                        for (int xo = lo; xo < hi; xo++) {
                            dst[d + xo] = x[src + xo];
                        }
                    }
                } else {
                    for (int xo = lo; xo < hi; xo++) {
                        dst[d + xo] = x[src + xo * sw];
                    }
                }
                zero(dst, d + hi, d + ow);
            }
        }
    }

    /**
     * Adds rows [rowFrom, rowTo) of a column matrix, held at {@code srcOffset} in {@code src}, onto
     * the group's input gradient starting at {@code dxOffset}. Rows of one channel only touch that
     * channel, so callers parallelise over whole channels (or over bands of input rows with
     * {@link #col2imRow}); the summation order is fixed.
     */
    static void col2im(ConvGeometry g, float[] src, int srcOffset, int rowFrom, int rowTo, float[] dx, int dxOffset) {
        col2imStrided(g, src, srcOffset, g.outArea(), rowFrom, rowTo, dx, dxOffset);
    }

    /** Like {@link #col2im} with matrix rows {@code srcRowStride} floats apart. */
    static void col2imStrided(ConvGeometry g, float[] src, int srcOffset, int srcRowStride, int rowFrom, int rowTo,
                              float[] dx, int dxOffset) {
        for (int r = rowFrom; r < rowTo; r++) {
            col2imRow(g, src, srcOffset + (r - rowFrom) * srcRowStride, r, 0, g.outHeight, 0, g.inHeight, dx, dxOffset);
        }
    }

    /**
     * Adds output rows [yFrom, yTo) of column-matrix row {@code r}, held at {@code srcOffset}
     * (output row {@code yFrom} first), onto input rows [ihFrom, ihTo) of the input gradient;
     * contributions to other input rows are skipped.
     */
    static void col2imRow(ConvGeometry g, float[] src, int srcOffset, int r, int yFrom, int yTo,
                          int ihFrom, int ihTo, float[] dx, int dxOffset) {
        final int kh = g.kernelHeight;
        final int kw = g.kernelWidth;
        final int h = g.inHeight;
        final int w = g.inWidth;
        final int ow = g.outWidth;
        final int sw = g.strideWidth;
        int c = r / (kh * kw);
        int ki = (r / kw) % kh;
        int kj = r % kw;
        int iwStart = kj * g.dilationWidth - g.padLeft;
        int lo = firstInside(iwStart, sw, ow);
        int hi = Math.max(lo, lastInsideExclusive(iwStart, sw, w, ow));
        int s = srcOffset;
        for (int y = yFrom; y < yTo; y++, s += ow) {
            int ih = y * g.strideHeight - g.padTop + ki * g.dilationHeight;
            if (ih < Math.max(0, ihFrom) || ih >= Math.min(h, ihTo)) {
                continue;
            }
            int dst = dxOffset + (c * h + ih) * w + iwStart;
            if (sw == 1) {
                for (int xo = lo; xo < hi; xo++) {
                    dx[dst + xo] += src[s + xo];
                }
            } else {
                for (int xo = lo; xo < hi; xo++) {
                    dx[dst + xo * sw] += src[s + xo];
                }
            }
        }
    }

    /** The output rows [yFrom, yTo) whose row {@code ki} of the kernel lands in input rows [ihFrom, ihTo). */
    static int[] outputRowsReaching(ConvGeometry g, int ki, int ihFrom, int ihTo) {
        int offset = g.padTop - ki * g.dilationHeight;
        int yFrom = Math.max(0, Math.floorDiv(ihFrom + offset + g.strideHeight - 1, g.strideHeight));
        int yTo = Math.min(g.outHeight, Math.floorDiv(ihTo + offset + g.strideHeight - 1, g.strideHeight));
        return new int[] {yFrom, Math.max(yFrom, yTo)};
    }

    private static void zero(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = 0f;
        }
    }

    /** Smallest output column whose input column iwStart + xo·stride is ≥ 0 (clamped to [0, ow]). */
    private static int firstInside(int iwStart, int stride, int ow) {
        if (iwStart >= 0) {
            return 0;
        }
        return Math.min(ow, (-iwStart + stride - 1) / stride);
    }

    /** One past the largest output column whose input column is < w (clamped to [0, ow]). */
    private static int lastInsideExclusive(int iwStart, int stride, int w, int ow) {
        if (iwStart >= w) {
            return 0;
        }
        int last = Math.floorDiv(w - 1 - iwStart, stride);
        return Math.max(0, Math.min(ow, last + 1));
    }
}
