package dev.netlens.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct 3×3 convolutions on the Vector API for thin layers (forward and filter gradient of stride
 * 1 and 2, data gradient of stride 1; {@link DirectConvChoice} decides when), where im2col + GEMM
 * spends much of its time building column matrices and OpenBLAS runs short inner dimensions below
 * its peak. Direct convolution with register blocking, as oneDNN's JIT CPU kernels do it; see
 * Chellapilla et al., "High Performance Convolutional Neural Networks for Document Processing"
 * (2006) for the im2col alternative it replaces here.
 *
 * <p>Each image's channels are copied into zero-padded planes of width {@code wp = W + padLeft +
 * padRight}. In that layout the output at flattened position p = oh·wp + ow reads the input at
 * p + kh·wp + kw, so one output row's neighbours, and the wrap into the next row, are consecutive
 * floats: a block of 24 consecutive positions (3 vectors of 8) is a contiguous load for every tap.
 * The {@code wp − outWidth} positions at the end of each row are computed and dropped. With stride
 * 2 each padded plane is first split into its four even/odd phases ({@code Layout}), which makes
 * the taps of consecutive outputs consecutive again. The kernel
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

    /** Per-thread scratch arrays: 0 padded input planes, 1 kernel outputs, 2 filter-gradient dY. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private DirectConv() {
    }

    /**
     * The zero-padded layout of one image's planes for a 3×3 convolution with stride 1 or 2. With
     * stride 2 each padded plane is split into its four phases (even/odd rows × even/odd columns),
     * each of width ⌈wp/2⌉: tap (kh, kw) of output (oh, ow) is then element (oh + kh/2, ow + kw/2)
     * of phase (kh mod 2, kw mod 2), so consecutive outputs read consecutive floats as with stride 1.
     */
    private record Layout(int channels, int height, int width, int padTop, int padLeft, int padBottom, int padRight,
                          int stride) {
        private int wp() {
            return width + padLeft + padRight;
        }

        private int hp() {
            return height + padTop + padBottom;
        }

        /** Row length of the (phase) planes: the stride between output rows in flattened positions. */
        int rowLength() {
            return (wp() + stride - 1) / stride;
        }

        int outHeight() {
            return (hp() - 3) / stride + 1;
        }

        int outWidth() {
            return (wp() - 3) / stride + 1;
        }

        /** Floats per (phase) plane, a whole number of vectors. */
        int phasePlane() {
            return ((hp() + stride - 1) / stride * rowLength() + LANES - 1) / LANES * LANES;
        }

        /**
         * Floats per channel: its plane, or its four phase planes. Reads for kept outputs stay inside
         * their own (phase) plane; reads for dropped positions may run into the next one (or into the
         * {@link #tail} after the last channel), which only those positions see.
         */
        int block() {
            return stride * stride * phasePlane();
        }

        /** Floats for the padded planes of one image, the tail included. */
        int floats() {
            return channels * block() + tail();
        }

        /** Zeros after the last plane: reads for dropped positions reach two rows and a block past it. */
        int tail() {
            return 2 * rowLength() + 2 * BLOCK;
        }

        /** Flattened output positions, the dropped ones at row ends included. */
        int positions() {
            return outHeight() * rowLength();
        }

        /**
         * The offset of tap (kh, kw) from an output's flattened position, within a channel whose
         * phase planes lie {@code phaseStride} apart.
         */
        int tap(int kh, int kw, int phaseStride) {
            int phase = (kh % stride) * stride + kw % stride;
            return phase * phaseStride + (kh / stride) * rowLength() + kw / stride;
        }

        /** The nine tap offsets, row-major, for one image's planes ({@link #pad} with the default strides). */
        int[] taps() {
            int[] t = new int[9];
            for (int k = 0; k < 9; k++) {
                t[k] = tap(k / 3, k % 3, phasePlane());
            }
            return t;
        }

        /** Copies image n of x into zero-padded (phase) planes: channel c's block at c · {@link #block}. */
        void pad(float[] x, int n, float[] xp) {
            Arrays.fill(xp, 0, floats(), 0f);
            pad(x, n, xp, 0, block(), phasePlane());
        }

        /**
         * Copies image n of x into already zeroed (phase) planes: phase φ of channel c at
         * {@code at + c · channelStride + φ · phaseStride}.
         */
        void pad(float[] x, int n, float[] xp, int at, int channelStride, int phaseStride) {
            int area = height * width;
            int rl = rowLength();
            for (int c = 0; c < channels; c++) {
                int src = (n * channels + c) * area;
                int base = at + c * channelStride;
                for (int h = 0; h < height; h++) {
                    int r = h + padTop;
                    if (stride == 1) {
                        System.arraycopy(x, src + h * width, xp, base + r * rl + padLeft, width);
                        continue;
                    }
                    int rowBase = base + (r % 2) * 2 * phaseStride + (r / 2) * rl;
                    int row = src + h * width;
                    // input columns w with w + padLeft even go to phase 0, the others to phase 1,
                    // at column (w + padLeft) / 2
                    int first = padLeft % 2;
                    int to = rowBase + (first + padLeft) / 2;
                    for (int w = first; w < width; w += 2) {
                        xp[to++] = x[row + w];
                    }
                    first = 1 - first;
                    to = rowBase + phaseStride + (first + padLeft) / 2;
                    for (int w = first; w < width; w += 2) {
                        xp[to++] = x[row + w];
                    }
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
        Layout in = new Layout(g.inChannels, g.inHeight, g.inWidth, g.padTop, g.padLeft, g.padBottom, g.padRight,
                g.strideHeight);
        float[] packed = pack(w, g.outChannels, g.inChannels, false);
        convolve(g.batch, in, g.outChannels, packed, bias, x, y);
    }

    /** dx ← the data gradient: dy convolved with the flipped, transposed filters, padding 2 − p. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        if (g.strideHeight != 1) {
            throw new IllegalArgumentException("direct data gradients need stride 1, got " + g.strideHeight);
        }
        Layout in = new Layout(g.outChannels, g.outHeight, g.outWidth, 2 - g.padTop, 2 - g.padLeft, 2 - g.padBottom,
                2 - g.padRight, 1);
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
        final int rl = in.rowLength();
        final int span = Math.max(in.positions(), BLOCK);
        final int[] taps = in.taps();
        // one image per claim, padded once ({@link DirectConvChoice} takes batches of 32 or more)
        Parallel.dynamic(batch, 1, (from, to) -> {
            float[] xp = scratch(0, in.floats());
            float[] out = scratch(1, MB * span);
            for (int n = from; n < to; n++) {
                in.pad(x, n, xp);
                for (int b = 0; b < blocks; b++) {
                    kernel(xp, packed, b, in.channels(), taps, in.block(), span, out);
                    for (int j = 0; j < MB && b * MB + j < outChannels; j++) {
                        int m = b * MB + j;
                        int dst = (n * outChannels + m) * oh * ow;
                        for (int r = 0; r < oh; r++) {
                            if (bias == null) {
                                System.arraycopy(out, j * span + r * rl, y, dst + r * ow, ow);
                            } else {
                                addRow(out, j * span + r * rl, bias[m], y, dst + r * ow, ow);
                            }
                        }
                    }
                }
            }
        });
    }

    /** y[d + i] = out[src + i] + b for i in [0, n). */
    private static void addRow(float[] out, int src, float b, float[] y, int d, int n) {
        FloatVector bv = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(S, out, src + i).add(bv).intoArray(y, d + i);
        }
        for (; i < n; i++) {
            y[d + i] = out[src + i] + b;
        }
    }

    /**
     * out[j][p] = Σ_c Σ_k w[b·4 + j][c][k] · xp[c·block + p + taps[k]] for p in [0, span), in blocks
     * of 24 positions (the last block moved back to end at span).
     */
    private static void kernel(float[] xp, float[] packed, int b, int channels, int[] taps, int block, int span,
                               float[] out) {
        int wBase = b * channels * 9 * MB;
        int t0 = taps[0];
        int t1 = taps[1];
        int t2 = taps[2];
        int t3 = taps[3];
        int t4 = taps[4];
        int t5 = taps[5];
        int t6 = taps[6];
        int t7 = taps[7];
        int t8 = taps[8];
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
                int xb = c * block + p0;
                int k = wBase + c * 9 * MB;
                {
                    int s = xb + t0;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 0]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 1]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 2]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 3]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
                }
                {
                    int s = xb + t1;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 4]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 5]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 6]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 7]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
                }
                {
                    int s = xb + t2;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 8]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 9]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 10]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 11]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
                }
                {
                    int s = xb + t3;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 12]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 13]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 14]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 15]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
                }
                {
                    int s = xb + t4;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 16]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 17]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 18]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 19]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
                }
                {
                    int s = xb + t5;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 20]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 21]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 22]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 23]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
                }
                {
                    int s = xb + t6;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 24]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 25]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 26]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 27]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
                }
                {
                    int s = xb + t7;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 28]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 29]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 30]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 31]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
                }
                {
                    int s = xb + t8;
                    FloatVector x0 = FloatVector.fromArray(S, xp, s);
                    FloatVector x1 = FloatVector.fromArray(S, xp, s + LANES);
                    FloatVector x2 = FloatVector.fromArray(S, xp, s + 2 * LANES);
                    FloatVector w = FloatVector.broadcast(S, packed[k + 32]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    a02 = x2.fma(w, a02);
                    w = FloatVector.broadcast(S, packed[k + 33]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    a12 = x2.fma(w, a12);
                    w = FloatVector.broadcast(S, packed[k + 34]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    a22 = x2.fma(w, a22);
                    w = FloatVector.broadcast(S, packed[k + 35]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    a32 = x2.fma(w, a32);
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
        Layout in = new Layout(g.inChannels, g.inHeight, g.inWidth, g.padTop, g.padLeft, g.padBottom, g.padRight,
                g.strideHeight);
        final int m = g.outChannels;
        final int c = g.inChannels;
        final int blocks = (m + MB - 1) / MB;
        final int rl = in.rowLength();
        final int oh = in.outHeight();
        final int ow = in.outWidth();
        final int plane = in.phasePlane();
        final int phases = g.strideHeight * g.strideHeight;
        final int group = Math.max(1, Math.min(g.batch, REDUCTION_POSITIONS / in.positions()));
        // A group's images side by side in each phase plane: x as [c][phase][image][plane], dY as
        // [m][image][plane] (zero at the dropped positions), so that one reduction runs over the
        // positions of all the group's images
        final int phaseStride = group * plane;
        final int channelStride = phases * phaseStride;
        final int xFloats = c * channelStride + in.tail();
        final int[][] rowTaps = new int[3][3];
        for (int kh = 0; kh < 3; kh++) {
            for (int kw = 0; kw < 3; kw++) {
                rowTaps[kh][kw] = in.tap(kh, kw, phaseStride);
            }
        }
        final int chunks = Math.max(1, Math.min(g.batch, Parallel.threads()));
        float[][] partial = new float[chunks][];
        Parallel.range(chunks, 1, (fromChunk, toChunk) -> {
            float[] xg = scratch(0, xFloats);
            float[] dyg = scratch(2, blocks * MB * phaseStride);
            for (int chunk = fromChunk; chunk < toChunk; chunk++) {
                int n0 = (int) ((long) g.batch * chunk / chunks);
                int n1 = (int) ((long) g.batch * (chunk + 1) / chunks);
                float[] mine = new float[blocks * MB * c * 9];
                Arrays.fill(dyg, 0, blocks * MB * phaseStride, 0f);
                for (int g0 = n0; g0 < n1; g0 += group) {
                    int count = Math.min(group, n1 - g0);
                    Arrays.fill(xg, 0, xFloats, 0f);
                    for (int i = 0; i < count; i++) {
                        int n = g0 + i;
                        in.pad(x, n, xg, i * plane, channelStride, phaseStride);
                        for (int o = 0; o < m; o++) {
                            int src = (n * m + o) * oh * ow;
                            int dst = o * phaseStride + i * plane;
                            for (int r = 0; r < oh; r++) {
                                System.arraycopy(dy, src + r * ow, dyg, dst + r * rl, ow);
                            }
                        }
                    }
                    int span = count * plane;
                    for (int ch = 0; ch < c; ch++) {
                        int xb = ch * channelStride;
                        for (int kh = 0; kh < 3; kh++) {
                            int[] t = rowTaps[kh];
                            for (int b = 0; b < blocks; b++) {
                                filterRow(xg, xb + t[0], xb + t[1], xb + t[2], dyg, b * MB * phaseStride, phaseStride,
                                        span, mine, ((b * MB) * c + ch) * 9 + kh * 3, c * 9);
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
     * dyp[d + j·rows + p] · xp[x_kw + p]: 4 output channels × the 3 taps of one kernel row.
     */
    private static void filterRow(float[] xp, int x0, int x1, int x2, float[] dyp, int d, int rows, int span,
                                  float[] acc, int at, int stride) {
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
            FloatVector v0 = FloatVector.fromArray(S, xp, x0 + p);
            FloatVector v1 = FloatVector.fromArray(S, xp, x1 + p);
            FloatVector v2 = FloatVector.fromArray(S, xp, x2 + p);
            FloatVector d0 = FloatVector.fromArray(S, dyp, d + p);
            FloatVector d1 = FloatVector.fromArray(S, dyp, d + rows + p);
            FloatVector d2 = FloatVector.fromArray(S, dyp, d + 2 * rows + p);
            FloatVector d3 = FloatVector.fromArray(S, dyp, d + 3 * rows + p);
            a00 = v0.fma(d0, a00);
            a01 = v1.fma(d0, a01);
            a02 = v2.fma(d0, a02);
            a10 = v0.fma(d1, a10);
            a11 = v1.fma(d1, a11);
            a12 = v2.fma(d1, a12);
            a20 = v0.fma(d2, a20);
            a21 = v1.fma(d2, a21);
            a22 = v2.fma(d2, a22);
            a30 = v0.fma(d3, a30);
            a31 = v1.fma(d3, a31);
            a32 = v2.fma(d3, a32);
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
