package dev.netlens.core.kernels;

import java.nio.FloatBuffer;

/**
 * Lowering of one image and one group of a convolution to a matrix (im2col) and back (col2im).
 *
 * <p>The column matrix has {@link ConvGeometry#colRows()} rows — one per (channel, ki, kj) — and
 * {@link ConvGeometry#outArea()} columns. It is addressed through a {@link FloatBuffer} with absolute
 * indices starting at 0, so the same code fills a heap array ({@code FloatBuffer.wrap}) for the
 * Java kernels and off-heap memory handed straight to OpenBLAS.
 */
final class Im2Col {
    private Im2Col() {
    }

    /**
     * Fills rows [rowFrom, rowTo) of the column matrix from the group's channels, which start at
     * {@code xOffset} in {@code x}.
     */
    static void im2col(ConvGeometry g, float[] x, int xOffset, FloatBuffer col, int rowFrom, int rowTo) {
        final int kh = g.kernelHeight;
        final int kw = g.kernelWidth;
        final int h = g.inHeight;
        final int w = g.inWidth;
        final int oh = g.outHeight;
        final int ow = g.outWidth;
        final float[] row = new float[ow];
        for (int r = rowFrom; r < rowTo; r++) {
            int c = r / (kh * kw);
            int ki = (r / kw) % kh;
            int kj = r % kw;
            int dst = r * oh * ow;
            int iwStart = kj * g.dilationWidth - g.padLeft;
            // Output columns whose input column lies inside the image: [lo, hi).
            int lo = firstInside(iwStart, g.strideWidth, ow);
            int hi = lastInsideExclusive(iwStart, g.strideWidth, w, ow);
            for (int y = 0; y < oh; y++, dst += ow) {
                int ih = y * g.strideHeight - g.padTop + ki * g.dilationHeight;
                if (ih < 0 || ih >= h || lo >= hi) {
                    java.util.Arrays.fill(row, 0f);
                    col.put(dst, row, 0, ow);
                    continue;
                }
                int src = xOffset + (c * h + ih) * w;
                if (g.strideWidth == 1) {
                    java.util.Arrays.fill(row, 0, lo, 0f);
                    System.arraycopy(x, src + iwStart + lo, row, lo, hi - lo);
                    java.util.Arrays.fill(row, hi, ow, 0f);
                } else {
                    java.util.Arrays.fill(row, 0, lo, 0f);
                    for (int xo = lo, iw = iwStart + lo * g.strideWidth; xo < hi; xo++, iw += g.strideWidth) {
                        row[xo] = x[src + iw];
                    }
                    java.util.Arrays.fill(row, hi, ow, 0f);
                }
                col.put(dst, row, 0, ow);
            }
        }
    }

    /**
     * Adds the column matrix back onto the group's channels [channelFrom, channelTo) (relative to
     * the group), which start at {@code dxOffset} in {@code dx}. Each channel receives only its own
     * rows, so disjoint channel ranges may run in parallel; the summation order is fixed.
     */
    static void col2im(ConvGeometry g, FloatBuffer col, float[] dx, int dxOffset, int channelFrom, int channelTo) {
        final int kh = g.kernelHeight;
        final int kw = g.kernelWidth;
        final int h = g.inHeight;
        final int w = g.inWidth;
        final int oh = g.outHeight;
        final int ow = g.outWidth;
        final float[] row = new float[ow];
        for (int c = channelFrom; c < channelTo; c++) {
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                    int r = (c * kh + ki) * kw + kj;
                    int iwStart = kj * g.dilationWidth - g.padLeft;
                    int lo = firstInside(iwStart, g.strideWidth, ow);
                    int hi = lastInsideExclusive(iwStart, g.strideWidth, w, ow);
                    if (lo >= hi) {
                        continue;
                    }
                    for (int y = 0; y < oh; y++) {
                        int ih = y * g.strideHeight - g.padTop + ki * g.dilationHeight;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        col.get(r * oh * ow + y * ow + lo, row, lo, hi - lo);
                        int dst = dxOffset + (c * h + ih) * w + iwStart;
                        if (g.strideWidth == 1) {
                            for (int xo = lo; xo < hi; xo++) {
                                dx[dst + xo] += row[xo];
                            }
                        } else {
                            for (int xo = lo; xo < hi; xo++) {
                                dx[dst + xo * g.strideWidth] += row[xo];
                            }
                        }
                    }
                }
            }
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
