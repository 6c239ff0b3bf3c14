package dev.netlens.core.kernels;

import dev.netlens.core.tensor.FloatMasks;

/**
 * The per-channel loops of batch normalisation over an [N, C, area] tensor: one channel's values
 * are N rows of {@code area} floats, row i at {@code off + i·stride}. Sums come back in double,
 * each built from float partial sums of one row (over area / 8 values per accumulator in the
 * scalar loops, area / lanes in the vector ones); which partial sums depends on the geometry
 * only, so results do not depend on threads.
 *
 * <p>With the Vector API ({@link Simd}) the sums run on vector accumulators
 * ({@link BatchNormSimd}); without it, eight scalar accumulators per row ({@link RowSums}). The two
 * sum in different orders, so training-mode statistics (and gradients) agree to rounding between
 * them; the element-wise loops ({@link #normalize}, {@link #inputGradient}) compute each element
 * with the same float operations either way, so given the same coefficients they are
 * bit-identical.
 *
 * <p>Like every Vector API loop, the vector ones run several times slower than the scalar loops
 * until the JIT has compiled them (a review measured a first {@code normalize} of 64 × 112² at 95
 * against 11 ms). The commands that run one model pass ({@code attribute}, {@code run}) start
 * without the Vector API and so take the scalar loops; training compiles these loops while it
 * reads its data ({@link DirectConvWarmup}).
 *
 * <p><b>ReLU masks.</b> {@link #gradientSums} can mask the incoming gradient by a fused ReLU's
 * output ({@code y > 0}) on the fly, writing the masked rows to a scratch array, and
 * {@link #inputGradientByImage} masks it again on its way — one pass over the full-size gradient
 * less than masking into a new tensor first, with the same values and the same sums as that (the
 * masked gradient is summed in the same order as an unmasked one).
 *
 * <p><b>Image by image.</b> The {@code …ByImage} passes run the per-channel loops over a range of
 * channels one image at a time, where the range's rows are consecutive floats: the batch
 * normalisation op uses them (see its memory-order note); per channel they give these loops' bits.
 */
public final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /** Σ x over the channel's rows. */
    public static double sum(float[] x, int off, int stride, int n, int area) {
        if (Simd.ENABLED) {
            return BatchNormSimd.sum(x, off, stride, n, area);
        }
        return scalarSum(x, off, stride, n, area);
    }

    static double scalarSum(float[] x, int off, int stride, int n, int area) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += RowSums.sum(x, off + i * stride, area);
        }
        return s;
    }

    /** Σ (x − mean)² over the channel's rows. */
    public static double squaredDeviations(float[] x, int off, int stride, int n, int area, double mean) {
        if (Simd.ENABLED) {
            return BatchNormSimd.squaredDeviations(x, off, stride, n, area, mean);
        }
        return scalarSquaredDeviations(x, off, stride, n, area, mean);
    }

    static double scalarSquaredDeviations(float[] x, int off, int stride, int n, int area, double mean) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += RowSums.squaredDeviations(x, off + i * stride, area, mean);
        }
        return s;
    }

    /**
     * y = (x − mean)·a + shift over the channel's rows, then max(·, 0) when {@code relu} — each
     * element in float, in that order (centred first: x·a + (shift − mean·a) would cancel
     * catastrophically when |mean·a| ≫ |shift|).
     */
    public static void normalize(float[] x, float[] y, int off, int stride, int n, int area, float mean, float a,
                                 float shift, boolean relu) {
        if (Simd.ENABLED) {
            BatchNormSimd.normalize(x, y, off, stride, n, area, mean, a, shift, relu);
        } else {
            scalarNormalize(x, y, off, stride, n, area, mean, a, shift, relu);
        }
    }

    static void scalarNormalize(float[] x, float[] y, int off, int stride, int n, int area, float mean, float a,
                                float shift, boolean relu) {
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            if (relu) {
                for (int p = o; p < o + area; p++) {
                    y[p] = Math.max((x[p] - mean) * a + shift, 0f);
                }
            } else {
                for (int p = o; p < o + area; p++) {
                    y[p] = (x[p] - mean) * a + shift;
                }
            }
        }
    }

    /**
     * y = max(((x − mean)·a + shift) + r, 0) over the channel's rows, each element in float in that
     * order: a batch normalisation, the Add of a residual r (of x's layout) and a ReLU.
     */
    public static void normalizeAddRelu(float[] x, float[] r, float[] y, int off, int stride, int n, int area,
                                        float mean, float a, float shift) {
        if (Simd.ENABLED) {
            BatchNormSimd.normalizeAddRelu(x, r, y, off, stride, n, area, mean, a, shift);
        } else {
            scalarNormalizeAddRelu(x, r, y, off, stride, n, area, mean, a, shift);
        }
    }

    static void scalarNormalizeAddRelu(float[] x, float[] r, float[] y, int off, int stride, int n, int area,
                                       float mean, float a, float shift) {
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            for (int p = o; p < o + area; p++) {
                y[p] = Math.max(((x[p] - mean) * a + shift) + r[p], 0f);
            }
        }
    }

    /**
     * {@code sums[0] = Σ g′} and {@code sums[1] = Σ g′·(x − mean)} over the channel's rows, where
     * g′ = g, or, when {@code reluOut} is not null, g where reluOut &gt; 0 and +0 elsewhere (NaN
     * and −0 are not positive); g′ is then also written to {@code masked} (row i at
     * {@code i·area}, at least n·area floats).
     */
    public static void gradientSums(float[] g, float[] reluOut, float[] x, int off, int stride, int n, int area,
                                    double mean, float[] masked, double[] sums) {
        if (Simd.ENABLED) {
            BatchNormSimd.gradientSums(g, reluOut, x, off, stride, n, area, mean, masked, sums);
        } else {
            scalarGradientSums(g, reluOut, x, off, stride, n, area, mean, masked, sums);
        }
    }

    static void scalarGradientSums(float[] g, float[] reluOut, float[] x, int off, int stride, int n, int area,
                                   double mean, float[] masked, double[] sums) {
        double sumG = 0;
        double sumGCentered = 0;
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            float[] src = g;
            int so = o;
            if (reluOut != null) {
                int mo = i * area;
                for (int p = 0; p < area; p++) {
                    masked[mo + p] = FloatMasks.ifPositive(reluOut[o + p], g[o + p]);
                }
                src = masked;
                so = mo;
            }
            sumG += RowSums.sum(src, so, area);
            sumGCentered += RowSums.dotCentered(src, so, x, o, area, mean);
        }
        sums[0] = sumG;
        sums[1] = sumGCentered;
    }

    /**
     * dx = g′·kG + ((x − mean)·kX + k0) over the channel's rows, each element in float in that
     * order; g′ row i is at {@code gOff + i·gStride} of {@code g} (the gradient itself, or the
     * masked rows of {@link #gradientSums} with gOff 0 and gStride area).
     */
    public static void inputGradient(float[] g, int gOff, int gStride, float[] x, float[] dx, int off, int stride,
                                     int n, int area, float mean, float kG, float kX, float k0) {
        if (Simd.ENABLED) {
            BatchNormSimd.inputGradient(g, gOff, gStride, x, dx, off, stride, n, area, mean, kG, kX, k0);
        } else {
            scalarInputGradient(g, gOff, gStride, x, dx, off, stride, n, area, mean, kG, kX, k0);
        }
    }

    static void scalarInputGradient(float[] g, int gOff, int gStride, float[] x, float[] dx, int off, int stride,
                                    int n, int area, float mean, float kG, float kX, float k0) {
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            int go = gOff + i * gStride;
            for (int p = 0; p < area; p++) {
                dx[o + p] = g[go + p] * kG + ((x[o + p] - mean) * kX + k0);
            }
        }
    }

    // ------------------------------------------------------------ image by image over a channel range

    /**
     * acc[c] += Σ x over channel c's rows, for the channels [from, to) of an [n, channels, area]
     * tensor, visiting image 0's rows of those channels, then image 1's, …: each image's rows of a
     * channel range are consecutive floats. Each row is summed as {@link #sum} sums it and added
     * in image order, so acc[c] (from 0) gets {@link #sum}'s bits.
     */
    public static void sumsByImage(float[] x, int n, int channels, int area, int from, int to, double[] acc) {
        int stride = channels * area;
        for (int i = 0; i < n; i++) {
            for (int c = from; c < to; c++) {
                acc[c] += sum(x, (i * channels + c) * area, stride, 1, area);
            }
        }
    }

    /** acc[c] += Σ (x − mean[c])² over channel c's rows, as {@link #sumsByImage} visits them. */
    public static void squaredDeviationsByImage(float[] x, int n, int channels, int area, int from, int to,
                                                double[] mean, double[] acc) {
        int stride = channels * area;
        for (int i = 0; i < n; i++) {
            for (int c = from; c < to; c++) {
                acc[c] += squaredDeviations(x, (i * channels + c) * area, stride, 1, area, mean[c]);
            }
        }
    }

    /**
     * {@link #normalize} (r null) or {@link #normalizeAddRelu} (r not null: the residual, and the
     * ReLU whatever {@code relu} says) of channels [from, to) with mean[c], a[c] and shift[c],
     * image by image.
     */
    public static void normalizeByImage(float[] x, float[] r, float[] y, int n, int channels, int area, int from,
                                        int to, float[] mean, float[] a, float[] shift, boolean relu) {
        int stride = channels * area;
        for (int i = 0; i < n; i++) {
            for (int c = from; c < to; c++) {
                int off = (i * channels + c) * area;
                if (r != null) {
                    normalizeAddRelu(x, r, y, off, stride, 1, area, mean[c], a[c], shift[c]);
                } else {
                    normalize(x, y, off, stride, 1, area, mean[c], a[c], shift[c], relu);
                }
            }
        }
    }

    /**
     * sumG[c] += Σ g′ and sumGCentred[c] += Σ g′·(x − mean[c]) over channel c's rows (g′ as in
     * {@link #gradientSums}), image by image: {@link #gradientSums}' bits.
     */
    public static void gradientSumsByImage(float[] g, float[] reluOut, float[] x, int n, int channels, int area,
                                           int from, int to, double[] mean, double[] sumG, double[] sumGCentred) {
        int stride = channels * area;
        float[] row = reluOut != null ? new float[area] : null;
        double[] sums = new double[2];
        for (int i = 0; i < n; i++) {
            for (int c = from; c < to; c++) {
                gradientSums(g, reluOut, x, (i * channels + c) * area, stride, 1, area, mean[c], row, sums);
                sumG[c] += sums[0];
                sumGCentred[c] += sums[1];
            }
        }
    }

    /**
     * dx = g′·kG[c] + ((x − mean[c])·kX[c] + k0[c]) over channels [from, to), image by image, where
     * g′ is g, or g masked by reluOut &gt; 0 when reluOut is not null (computed again here, with the
     * bits {@link #gradientSums} gives it): {@link #inputGradient}'s bits.
     */
    public static void inputGradientByImage(float[] g, float[] reluOut, float[] x, float[] dx, int n, int channels,
                                            int area, int from, int to, float[] mean, float[] kG, float[] kX,
                                            float[] k0) {
        int stride = channels * area;
        for (int i = 0; i < n; i++) {
            for (int c = from; c < to; c++) {
                int off = (i * channels + c) * area;
                if (reluOut == null) {
                    inputGradient(g, off, stride, x, dx, off, stride, 1, area, mean[c], kG[c], kX[c], k0[c]);
                } else if (Simd.ENABLED) {
                    BatchNormSimd.maskedInputGradient(g, reluOut, x, dx, off, area, mean[c], kG[c], kX[c], k0[c]);
                } else {
                    scalarMaskedInputGradient(g, reluOut, x, dx, off, area, mean[c], kG[c], kX[c], k0[c]);
                }
            }
        }
    }

    static void scalarMaskedInputGradient(float[] g, float[] reluOut, float[] x, float[] dx, int off, int area,
                                          float mean, float kG, float kX, float k0) {
        for (int p = off; p < off + area; p++) {
            dx[p] = FloatMasks.ifPositive(reluOut[p], g[p]) * kG + ((x[p] - mean) * kX + k0);
        }
    }
}
