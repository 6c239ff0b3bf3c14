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
        if (planeShift(g)) {
            for (int r = rowFrom; r < rowTo; r++) {
                im2colShifted(g, x, xOffset, r, yFrom, yTo, dst, dstOffset + (r - rowFrom) * dstRowStride);
            }
            return;
        }
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
        if (planeShift(g)) {
            col2imShifted(g, src, srcOffset, srcRowStride, rowFrom, rowTo, dx, dxOffset);
            return;
        }
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

    /**
     * Whether a column-matrix row is the input plane shifted by (ki − padTop, kj − padLeft): stride
     * 1, no dilation and output rows as wide as input rows ("same" padding). Then a row of the
     * matrix is one block copy of the plane, with the rows that fall outside the plane zeroed and
     * the few columns that wrap around from the neighbouring row cleared — instead of a short copy
     * and two short zero fills per output row, which cost more than the copying on small planes.
     */
    static boolean planeShift(ConvGeometry g) {
        return g.strideHeight == 1 && g.strideWidth == 1 && g.dilationHeight == 1 && g.dilationWidth == 1
                && g.outWidth == g.inWidth;
    }

    /** Row r of the column matrix for output rows [yFrom, yTo) at dst[d…], when {@link #planeShift}. */
    private static void im2colShifted(ConvGeometry g, float[] x, int xOffset, int r, int yFrom, int yTo, float[] dst,
                                      int d) {
        final int kh = g.kernelHeight;
        final int kw = g.kernelWidth;
        final int h = g.inHeight;
        final int w = g.inWidth;
        int c = r / (kh * kw);
        int dy = (r / kw) % kh - g.padTop;
        int dx = r % kw - g.padLeft;
        int yA = Math.min(yTo, Math.max(yFrom, -dy));
        int yB = Math.max(yA, Math.min(yTo, h - dy));
        java.util.Arrays.fill(dst, d, d + (yA - yFrom) * w, 0f);
        java.util.Arrays.fill(dst, d + (yB - yFrom) * w, d + (yTo - yFrom) * w, 0f);
        if (yA >= yB) {
            return;
        }
        int jA = d + (yA - yFrom) * w;
        int jB = d + (yB - yFrom) * w;
        int lead = Math.max(0, -dx);
        int trail = Math.max(0, dx);
        int shift = xOffset + c * h * w + (yFrom + dy) * w + dx - d;   // x index = dst index + shift
        if (jB - trail > jA + lead) {
            System.arraycopy(x, jA + lead + shift, dst, jA + lead, (jB - trail) - (jA + lead));
        }
        clearWrapped(dst, jA, yB - yA, w, dx);
    }

    /**
     * Zeroes, in each of {@code rows} rows of width w starting at {@code start}, the columns a
     * shift by dx wraps in from the neighbouring row: the first −dx columns for dx &lt; 0, the last
     * dx for dx &gt; 0.
     */
    private static void clearWrapped(float[] a, int start, int rows, int w, int dx) {
        if (dx == 0) {
            return;
        }
        int from = dx < 0 ? 0 : Math.max(0, w - dx);
        int to = dx < 0 ? Math.min(w, -dx) : w;
        int end = start + rows * w;
        for (int i = from; i < to; i++) {
            for (int o = start + i; o < end; o += w) {
                a[o] = 0f;
            }
        }
    }

    /** Scratch planes of the calling thread for {@link #col2imShifted}. */
    private static final ThreadLocal<float[][]> PLANES = ThreadLocal.withInitial(() -> new float[2][0]);

    /**
     * {@link #col2imStrided} when {@link #planeShift}: per channel, the input-gradient plane is
     * accumulated in a scratch plane; each matrix row is block-copied into a second scratch plane
     * at its shifted place (wrapped columns cleared) and added with one loop over the whole plane
     * in which both arrays share one index — the form the JIT vectorises.
     */
    private static void col2imShifted(ConvGeometry g, float[] src, int srcOffset, int srcRowStride, int rowFrom,
                                      int rowTo, float[] dx, int dxOffset) {
        final int kk = g.kernelHeight * g.kernelWidth;
        final int h = g.inHeight;
        final int w = g.inWidth;
        final int area = h * w;
        float[][] planes = PLANES.get();
        if (planes[0].length < area) {
            planes[0] = new float[area];
            planes[1] = new float[area];
        }
        float[] acc = planes[0];
        float[] tmp = planes[1];
        for (int r0 = rowFrom; r0 < rowTo; ) {
            int c = r0 / kk;
            int r1 = Math.min(rowTo, (c + 1) * kk);
            int plane = dxOffset + c * area;
            System.arraycopy(dx, plane, acc, 0, area);
            for (int r = r0; r < r1; r++) {
                int dy = (r / g.kernelWidth) % g.kernelHeight - g.padTop;
                int dxs = r % g.kernelWidth - g.padLeft;
                int yA = Math.max(0, -dy);
                int yB = Math.min(g.outHeight, h - dy);
                if (yA >= yB) {
                    continue;
                }
                int kA = (yA + dy) * w;
                int kB = (yB + dy) * w;
                int lead = Math.max(0, dxs);
                int trail = Math.max(0, -dxs);
                // plane index k ↔ matrix index srcOff + k − (dy·w + dx)
                int shift = srcOffset + (r - rowFrom) * srcRowStride - dy * w - dxs;
                if (kB - trail > kA + lead) {
                    System.arraycopy(src, kA + lead + shift, tmp, kA + lead, (kB - trail) - (kA + lead));
                }
                clearWrapped(tmp, kA, yB - yA, w, -dxs);
                for (int k = kA; k < kB; k++) {
                    acc[k] += tmp[k];
                }
            }
            System.arraycopy(acc, 0, dx, plane, area);
            r0 = r1;
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
