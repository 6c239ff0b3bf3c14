package dev.netlens.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct 3×3 stride-1 convolutions (forward, data gradient and filter gradient) on the Vector API,
 * for thin layers, where im2col + GEMM spends most of its time building column matrices and
 * OpenBLAS runs short inner dimensions below its peak.
 *
 * <p>Each image's channels are copied into zero-padded planes of width {@code wp = W + padLeft +
 * padRight}. In that layout the output at flattened position p = oh·wp + ow reads the input at
 * p + kh·wp + kw, so one output row's neighbours, and the wrap into the next row, are consecutive
 * floats: a block of 24 consecutive positions (3 vectors of 8) is a contiguous load for every tap.
 * The {@code wp − outWidth} positions at the end of each row are computed and dropped. The kernel
 * keeps 4 output channels × 3 vectors in 12 accumulators and, per input channel and tap, loads 3
 * input vectors and broadcasts 4 weights (packed [channel block][input channel][tap][4]) — the
 * register blocking of direct convolution kernels such as oneDNN's, along the width instead of
 * along channels so that the NCHW layout needs no transposition.
 *
 * <p>The data gradient is the same kernel on the output gradient with the filters flipped and
 * transposed and the padding 2 − p; the filter gradient reduces dY · shifted X over the positions
 * (garbage positions of dY set to zero), 4 output channels × 3 taps of one kernel row at a time.
 * Sums run in a fixed order (filter gradients: one partial sum per contiguous range of images,
 * added in range order), so results do not depend on timing, but they are not bit-identical to the
 * im2col path's. Loaded only when the Vector API is present ({@link Simd}).
 */
final class DirectConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int LANES = 8;
    /** Output positions per block: 3 vectors. */
    private static final int BLOCK = 3 * LANES;
    /** Output channels per block. */
    private static final int MB = 4;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private DirectConv() {
    }

    /**
     * Whether a forward pass is computed here rather than by im2col + GEMM: the Vector API is
     * available (and {@code netlens.direct} is not {@code off}), the geometry {@link #applies}, and
     * the layer is thin — at most 64 channels on either side, at least 8 on both. Measured at batch
     * 128 (forward, im2col vs direct, ms): 16→16 at 28² 6.2 vs 4.0, 32→32 at 14² 4.6 vs 3.3, 64→64
     * at 7² 6.1 vs 3.6; 128→128 at 28² (batch 32) 44 vs 43; 1→16 at 28² 0.6 vs 0.8. Convolutions
     * whose filters Winograd transforms (declared constant) go there first.
     */
    static boolean forForward(ConvGeometry g) {
        return enabled() && applies(g) && thin(g.inChannels, g.outChannels);
    }

    /** As {@link #forForward} for the data gradient (the same kernel with in and out swapped). */
    static boolean forData(ConvGeometry g) {
        return enabled() && applies(g) && thin(g.outChannels, g.inChannels);
    }

    /**
     * Whether the filter gradient is computed here: at most 2048 (in × out) filters. Measured at
     * batch 128 (im2col vs direct, ms): 16→16 at 28² 6.9 vs 3.7, 32→32 at 14² 5.0 vs 3.6, 1→16 at
     * 28² 1.1 vs 0.5; but 64→64 at 7² 4.4 vs 5.0 and 128→128 at 28² (batch 32) 47 vs 52, where the
     * GEMM's long inner dimension wins.
     */
    static boolean forFilter(ConvGeometry g) {
        return enabled() && applies(g) && (long) g.inChannels * g.outChannels <= 2048;
    }

    private static boolean thin(int in, int out) {
        return in >= 8 && out >= 8 && in <= 64 && out <= 64;
    }

    private static boolean enabled() {
        return Simd.ENABLED && !"off".equals(System.getProperty("netlens.direct"));
    }

    /** Whether the geometry is one this class computes: 3×3, stride 1, no dilation, no groups, pads at most 2. */
    static boolean applies(ConvGeometry g) {
        return g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideHeight == 1 && g.strideWidth == 1
                && g.dilationHeight == 1 && g.dilationWidth == 1 && g.groups == 1
                && g.padTop <= 2 && g.padLeft <= 2 && g.padBottom <= 2 && g.padRight <= 2
                && g.outHeight >= 1 && g.outWidth >= 1;
    }

    /** The zero-padded layout of one image's planes for a 3×3 stride-1 convolution. */
    private record Layout(int channels, int height, int width, int padTop, int padLeft, int padBottom, int padRight) {
        int wp() {
            return width + padLeft + padRight;
        }

        int outHeight() {
            return height + padTop + padBottom - 2;
        }

        int outWidth() {
            return wp() - 2;
        }

        /**
         * Floats per padded plane, a whole number of vectors. Reads for kept outputs stay inside
         * their own plane; reads for dropped positions may run into the next plane (or into the
         * {@link #tail} after the last one), which only those positions see.
         */
        int plane() {
            return ((height + padTop + padBottom) * wp() + LANES - 1) / LANES * LANES;
        }

        /** Floats for the padded planes of one image, the tail included. */
        int floats() {
            return channels * plane() + tail();
        }

        /** Zeros after the last plane: reads for dropped positions reach two padded rows and a block past it. */
        int tail() {
            return 2 * wp() + 2 * BLOCK;
        }

        /** Flattened output positions, the dropped ones at row ends included. */
        int positions() {
            return outHeight() * wp();
        }

        /** Copies image n of x into xp as zero-padded planes. */
        void pad(float[] x, int n, float[] xp) {
            int wp = wp();
            int plane = plane();
            int area = height * width;
            Arrays.fill(xp, 0, floats(), 0f);
            for (int c = 0; c < channels; c++) {
                int src = (n * channels + c) * area;
                int dst = c * plane + padTop * wp + padLeft;
                for (int h = 0; h < height; h++) {
                    System.arraycopy(x, src + h * width, xp, dst + h * wp, width);
                }
            }
        }
    }

    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }

    // ------------------------------------------------------------------ forward and data gradient

    /** y ← conv(x, w) + bias (bias may be null). */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        Layout in = new Layout(g.inChannels, g.inHeight, g.inWidth, g.padTop, g.padLeft, g.padBottom, g.padRight);
        float[] packed = pack(w, g.outChannels, g.inChannels, false);
        convolve(g.batch, in, g.outChannels, packed, bias, x, y);
    }

    /** dx ← the data gradient: dy convolved with the flipped, transposed filters, padding 2 − p. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        Layout in = new Layout(g.outChannels, g.outHeight, g.outWidth, 2 - g.padTop, 2 - g.padLeft, 2 - g.padBottom,
                2 - g.padRight);
        float[] packed = pack(w, g.outChannels, g.inChannels, true);
        convolve(g.batch, in, g.inChannels, packed, null, dy, dx);
    }

    /**
     * Filters packed for the kernel: [⌈out/4⌉][in][9][4], zero for channels past the last. With
     * {@code transposed}, the data-gradient filters w′[c][m][i][j] = w[m][c][2 − i][2 − j] (out = c).
     */
    private static float[] pack(float[] w, int m, int c, boolean transposed) {
        int out = transposed ? c : m;
        int in = transposed ? m : c;
        int blocks = (out + MB - 1) / MB;
        float[] p = new float[blocks * in * 9 * MB];
        for (int o = 0; o < out; o++) {
            int b = o / MB;
            int j = o % MB;
            for (int i = 0; i < in; i++) {
                for (int k = 0; k < 9; k++) {
                    float v = transposed ? w[(i * c + o) * 9 + (8 - k)] : w[(o * c + i) * 9 + k];
                    p[((b * in + i) * 9 + k) * MB + j] = v;
                }
            }
        }
        return p;
    }

    private static void convolve(int batch, Layout in, int outChannels, float[] packed, float[] bias, float[] x,
                                 float[] y) {
        final int blocks = (outChannels + MB - 1) / MB;
        final int oh = in.outHeight();
        final int ow = in.outWidth();
        final int wp = in.wp();
        final int span = Math.max(in.positions(), BLOCK);
        Parallel.range(batch * blocks, 1, (from, to) -> {
            float[] xp = scratch(0, in.floats());
            float[] out = scratch(1, MB * span);
            int padded = -1;
            for (int item = from; item < to; item++) {
                int n = item / blocks;
                int b = item % blocks;
                if (n != padded) {
                    in.pad(x, n, xp);
                    padded = n;
                }
                kernel(xp, packed, b, in.channels(), wp, in.plane(), span, out);
                for (int j = 0; j < MB && b * MB + j < outChannels; j++) {
                    int m = b * MB + j;
                    int dst = (n * outChannels + m) * oh * ow;
                    float add = bias == null ? -0f : bias[m];
                    for (int r = 0; r < oh; r++) {
                        int src = j * span + r * wp;
                        int d = dst + r * ow;
                        for (int col = 0; col < ow; col++) {
                            y[d + col] = out[src + col] + add;
                        }
                    }
                }
            }
        });
    }

    /**
     * out[j][p] = Σ_c Σ_taps w[b·4 + j][c][tap] · xp[c][p + kh·wp + kw] for p in [0, span), in blocks
     * of 24 positions (the last block moved back to end at span).
     */
    private static void kernel(float[] xp, float[] packed, int b, int channels, int wp, int plane, int span,
                               float[] out) {
        int wBase = b * channels * 9 * MB;
        for (int p = 0; p < span; p += BLOCK) {
            int p0 = Math.min(p, span - BLOCK);
            FloatVector a00 = FloatVector.zero(S);
            FloatVector a01 = a00;
            FloatVector a02 = a00;
            FloatVector a10 = a00;
            FloatVector a11 = a00;
            FloatVector a12 = a00;
            FloatVector a20 = a00;
            FloatVector a21 = a00;
            FloatVector a22 = a00;
            FloatVector a30 = a00;
            FloatVector a31 = a00;
            FloatVector a32 = a00;
            for (int c = 0; c < channels; c++) {
                int xb = c * plane + p0;
                int wb = wBase + c * 9 * MB;
                for (int kh = 0; kh < 3; kh++) {
                    for (int kw = 0; kw < 3; kw++) {
                        int s = xb + kh * wp + kw;
                        int k = wb + (kh * 3 + kw) * MB;
                        FloatVector x0 = FloatVector.fromArray(S, xp, s);
                        FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                        FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                        FloatVector w0 = FloatVector.broadcast(S, packed[k]);
                        FloatVector w1 = FloatVector.broadcast(S, packed[k + 1]);
                        FloatVector w2 = FloatVector.broadcast(S, packed[k + 2]);
                        FloatVector w3 = FloatVector.broadcast(S, packed[k + 3]);
                        a00 = x0.fma(w0, a00);
                        a01 = x1.fma(w0, a01);
                        a02 = x2.fma(w0, a02);
                        a10 = x0.fma(w1, a10);
                        a11 = x1.fma(w1, a11);
                        a12 = x2.fma(w1, a12);
                        a20 = x0.fma(w2, a20);
                        a21 = x1.fma(w2, a21);
                        a22 = x2.fma(w2, a22);
                        a30 = x0.fma(w3, a30);
                        a31 = x1.fma(w3, a31);
                        a32 = x2.fma(w3, a32);
                    }
                }
            }
            a00.intoArray(out, p0);
            a01.intoArray(out, p0 + LANES);
            a02.intoArray(out, p0 + 2 * LANES);
            a10.intoArray(out, span + p0);
            a11.intoArray(out, span + p0 + LANES);
            a12.intoArray(out, span + p0 + 2 * LANES);
            a20.intoArray(out, 2 * span + p0);
            a21.intoArray(out, 2 * span + p0 + LANES);
            a22.intoArray(out, 2 * span + p0 + 2 * LANES);
            a30.intoArray(out, 3 * span + p0);
            a31.intoArray(out, 3 * span + p0 + LANES);
            a32.intoArray(out, 3 * span + p0 + 2 * LANES);
        }
    }

    // ------------------------------------------------------------------ filter gradient

    /**
     * Output positions per filter-gradient reduction: images with fewer positions are processed
     * in groups laid out one after another, so that each reduction is long enough to repay its
     * horizontal sums (7×7 planes: 63 positions each).
     */
    private static final int REDUCTION_POSITIONS = 1024;

    /**
     * dW[m][c][kh][kw] = Σ_n Σ_(oh,ow) dy[n][m][oh][ow] · x[n][c][oh + kh − padTop][ow + kw − padLeft]
     * (overwritten), and the bias gradient when dbias is not null.
     */
    static void backwardFilter(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        Layout in = new Layout(g.inChannels, g.inHeight, g.inWidth, g.padTop, g.padLeft, g.padBottom, g.padRight);
        final int m = g.outChannels;
        final int c = g.inChannels;
        final int blocks = (m + MB - 1) / MB;
        final int wp = in.wp();
        final int oh = in.outHeight();
        final int ow = in.outWidth();
        final int plane = in.plane();
        final int group = Math.max(1, Math.min(g.batch, REDUCTION_POSITIONS / in.positions()));
        // the planes of a group, channel-major ([c][image][plane]); dY likewise ([m][image][plane]),
        // zero at the dropped positions and in the slack
        final int rowStride = group * plane;
        final int chunks = Math.max(1, Math.min(g.batch, Parallel.threads()));
        float[][] partial = new float[chunks][];
        Parallel.range(chunks, 1, (fromChunk, toChunk) -> {
            float[] xg = scratch(0, c * rowStride + in.tail());
            float[] dyg = scratch(2, blocks * MB * rowStride);
            for (int chunk = fromChunk; chunk < toChunk; chunk++) {
                int n0 = (int) ((long) g.batch * chunk / chunks);
                int n1 = (int) ((long) g.batch * (chunk + 1) / chunks);
                float[] mine = new float[blocks * MB * c * 9];
                Arrays.fill(dyg, 0, blocks * MB * rowStride, 0f);
                for (int g0 = n0; g0 < n1; g0 += group) {
                    int count = Math.min(group, n1 - g0);
                    Arrays.fill(xg, 0, c * rowStride + in.tail(), 0f);
                    for (int i = 0; i < count; i++) {
                        int n = g0 + i;
                        for (int ch = 0; ch < c; ch++) {
                            int src = (n * c + ch) * g.inHeight * g.inWidth;
                            int dst = ch * rowStride + i * plane + g.padTop * wp + g.padLeft;
                            for (int h = 0; h < g.inHeight; h++) {
                                System.arraycopy(x, src + h * g.inWidth, xg, dst + h * wp, g.inWidth);
                            }
                        }
                        for (int o = 0; o < m; o++) {
                            int src = (n * m + o) * oh * ow;
                            int dst = o * rowStride + i * plane;
                            for (int r = 0; r < oh; r++) {
                                System.arraycopy(dy, src + r * ow, dyg, dst + r * wp, ow);
                            }
                        }
                    }
                    int span = count * plane;
                    for (int ch = 0; ch < c; ch++) {
                        for (int kh = 0; kh < 3; kh++) {
                            int xb = ch * rowStride + kh * wp;
                            for (int b = 0; b < blocks; b++) {
                                filterRow(xg, xb, dyg, b * MB * rowStride, rowStride, span, mine,
                                        ((b * MB) * c + ch) * 9 + kh * 3, c * 9);
                            }
                        }
                    }
                }
                partial[chunk] = mine;
            }
        });
        for (int i = 0; i < m * c * 9; i++) {
            float s = partial[0][i];
            for (int k = 1; k < chunks; k++) {
                s += partial[k][i];
            }
            dw[i] = s;
        }
        JavaKernels.biasGradient(g, dy, dbias);
    }

    /**
     * Adds to acc[at + j·stride + kw] (j &lt; 4, kw &lt; 3) the sums over p in [0, span) of
     * dyp[d + j·rows + p] · xp[xb + p + kw]: 4 output channels × 3 taps of one kernel row.
     */
    private static void filterRow(float[] xp, int xb, float[] dyp, int d, int rows, int span, float[] acc, int at,
                                  int stride) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        for (int p = 0; p < span; p += LANES) {
            FloatVector x0 = FloatVector.fromArray(S, xp, xb + p);
            FloatVector x1 = FloatVector.fromArray(S, xp, xb + p + 1);
            FloatVector x2 = FloatVector.fromArray(S, xp, xb + p + 2);
            FloatVector d0 = FloatVector.fromArray(S, dyp, d + p);
            FloatVector d1 = FloatVector.fromArray(S, dyp, d + rows + p);
            FloatVector d2 = FloatVector.fromArray(S, dyp, d + 2 * rows + p);
            FloatVector d3 = FloatVector.fromArray(S, dyp, d + 3 * rows + p);
            a00 = x0.fma(d0, a00);
            a01 = x1.fma(d0, a01);
            a02 = x2.fma(d0, a02);
            a10 = x0.fma(d1, a10);
            a11 = x1.fma(d1, a11);
            a12 = x2.fma(d1, a12);
            a20 = x0.fma(d2, a20);
            a21 = x1.fma(d2, a21);
            a22 = x2.fma(d2, a22);
            a30 = x0.fma(d3, a30);
            a31 = x1.fma(d3, a31);
            a32 = x2.fma(d3, a32);
        }
        acc[at] += a00.reduceLanes(VectorOperators.ADD);
        acc[at + 1] += a01.reduceLanes(VectorOperators.ADD);
        acc[at + 2] += a02.reduceLanes(VectorOperators.ADD);
        acc[at + stride] += a10.reduceLanes(VectorOperators.ADD);
        acc[at + stride + 1] += a11.reduceLanes(VectorOperators.ADD);
        acc[at + stride + 2] += a12.reduceLanes(VectorOperators.ADD);
        acc[at + 2 * stride] += a20.reduceLanes(VectorOperators.ADD);
        acc[at + 2 * stride + 1] += a21.reduceLanes(VectorOperators.ADD);
        acc[at + 2 * stride + 2] += a22.reduceLanes(VectorOperators.ADD);
        acc[at + 3 * stride] += a30.reduceLanes(VectorOperators.ADD);
        acc[at + 3 * stride + 1] += a31.reduceLanes(VectorOperators.ADD);
        acc[at + 3 * stride + 2] += a32.reduceLanes(VectorOperators.ADD);
    }
}
