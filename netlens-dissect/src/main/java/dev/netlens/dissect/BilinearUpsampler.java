package dev.netlens.dissect;

/**
 * Bilinear resampling of one activation map to the segmentation size with
 * {@code align_corners=False} semantics (PyTorch's {@code F.interpolate(..., mode="bilinear")}):
 * output pixel {@code d} samples source coordinate {@code (d + 0.5)·in/out − 0.5}, clamped at 0,
 * between its two neighbours (the upper one clamped to the last row or column).
 *
 * <p>Arithmetic is in double and rounded once to float, so every output lies between the smallest
 * and the largest input value — which lets the caller skip a map whose maximum is not above the
 * threshold without changing any result.
 */
final class BilinearUpsampler {
    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;
    private final int[] y0;
    private final int[] y1;
    private final double[] wy;
    private final int[] x0;
    private final int[] x1;
    private final double[] wx;

    BilinearUpsampler(int inH, int inW, int outH, int outW) {
        this.inH = inH;
        this.inW = inW;
        this.outH = outH;
        this.outW = outW;
        y0 = new int[outH];
        y1 = new int[outH];
        wy = new double[outH];
        axis(inH, outH, y0, y1, wy);
        x0 = new int[outW];
        x1 = new int[outW];
        wx = new double[outW];
        axis(inW, outW, x0, x1, wx);
    }

    private static void axis(int in, int out, int[] lo, int[] hi, double[] w) {
        double scale = (double) in / out;
        for (int d = 0; d < out; d++) {
            double src = Math.max(0, (d + 0.5) * scale - 0.5);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            lo[d] = i0;
            hi[d] = Math.min(i0 + 1, in - 1);
            w[d] = src - i0;
        }
    }

    boolean matches(int h, int w, int sh, int sw) {
        return h == inH && w == inW && sh == outH && sw == outW;
    }

    /** Resamples the map at {@code src[offset …]} ({@code inH × inW}) into {@code dst} ({@code outH × outW}). */
    void apply(float[] src, int offset, float[] dst) {
        for (int y = 0; y < outH; y++) {
            int r0 = offset + y0[y] * inW;
            int r1 = offset + y1[y] * inW;
            double ly = wy[y];
            int row = y * outW;
            for (int x = 0; x < outW; x++) {
                double lx = wx[x];
                double top = src[r0 + x0[x]] * (1 - lx) + src[r0 + x1[x]] * lx;
                double bottom = src[r1 + x0[x]] * (1 - lx) + src[r1 + x1[x]] * lx;
                dst[row + x] = (float) (top * (1 - ly) + bottom * ly);
            }
        }
    }

    /**
     * {@code mask[p] = up(src)[p] > threshold} for every output pixel, returning how many are set;
     * bit for bit what thresholding {@link #apply} gives, but the horizontal interpolation of each
     * source row is computed once ({@code inH × outW} values, the same expressions in the same
     * order) instead of once per output row.
     *
     * @param rows scratch of at least {@code inH · outW} doubles
     */
    int threshold(float[] src, int offset, float threshold, boolean[] mask, double[] rows) {
        return threshold(src, offset, threshold, mask, null, rows);
    }

    /**
     * As {@link #threshold(float[], int, float, boolean[], double[])}, also listing the indices of the
     * pixels above the threshold, in order, in {@code on} (when not null; at least {@code outH · outW} long).
     */
    int threshold(float[] src, int offset, float threshold, boolean[] mask, int[] on, double[] rows) {
        for (int r = 0; r < inH; r++) {
            int base = offset + r * inW;
            int at = r * outW;
            for (int x = 0; x < outW; x++) {
                double lx = wx[x];
                rows[at + x] = src[base + x0[x]] * (1 - lx) + src[base + x1[x]] * lx;
            }
        }
        int count = 0;
        for (int y = 0; y < outH; y++) {
            int t0 = y0[y] * outW;
            int t1 = y1[y] * outW;
            double ly = wy[y];
            int row = y * outW;
            for (int x = 0; x < outW; x++) {
                boolean in = (float) (rows[t0 + x] * (1 - ly) + rows[t1 + x] * ly) > threshold;
                mask[row + x] = in;
                if (in) {
                    if (on != null) {
                        on[count] = row + x;
                    }
                    count++;
                }
            }
        }
        return count;
    }

    /** Doubles of scratch {@link #threshold} needs. */
    int rowScratch() {
        return inH * outW;
    }
}
