package dev.netlens.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct 3×3 convolutions on the Vector API for thin layers (forward pass, data and filter gradient
 * of stride 1 and 2, the stride-2 data gradient on the output-channel kernels only;
 * {@link DirectConvChoice} decides when), where im2col + GEMM
 * spends much of its time building column matrices and OpenBLAS runs short inner dimensions below
 * its peak. Direct convolution with register blocking, as oneDNN's JIT CPU kernels do it; see
 * Chellapilla et al., "High Performance Convolutional Neural Networks for Document Processing"
 * (2006) for the im2col alternative it replaces here.
 *
 * <p>Each image's channels are copied into zero-padded planes of width {@code wp = W + padLeft +
 * padRight}. In that layout the output at flattened position p = oh·wp + ow reads the input at
 * p + kh·wp + kw, so one output row's neighbours, and the wrap into the next row, are consecutive
 * floats: a block of 3 vectors of consecutive positions (24, or 48 with 16-float vectors) is a
 * contiguous load for every tap.
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
 * Sums run in a fixed order (filter gradients: one partial sum per chunk of at most 16 images,
 * or one reduction group, added in chunk order), so results depend neither on timing nor on the
 * thread count, but they are not bit-identical to the im2col path's. Loaded only when the Vector
 * API is present ({@link Simd}).
 *
 * <p><b>Output-channel kernels</b> ({@link #wide}, CPUs with 16-float vectors). With 16 or more
 * input channels the vectors run along the output channels instead, as in oneDNN's blocked-layout
 * kernels: a block keeps 7 positions of one output row × 32 channels (or 14 × 16) in 14
 * accumulators and, per input channel and tap, loads 2 (1) weight vectors and broadcasts 7 (14)
 * input values — half the instructions per multiply-add of the 8-float kernel, and no positions
 * wasted at the ends of 7-wide rows. Forward passes and stride-1 data gradients take two rows of
 * a 32-channel block at once (28 accumulators, {@link #wide2x7x32}), reading the filters half as
 * often. Each image's results for one channel block are transposed
 * into the output planes ({@link #unblock}); with fewer than 16 input channels that costs more
 * than the kernel saves, and those layers stay with {@link #kernel}. The filter gradient of
 * layers with 64 or more output channels accumulates 4 input channels × 64 output channels of one
 * tap (8 × 32, or 16 × 16, when the channels do not divide by 64) over all the positions of a
 * group of images, from dY transposed to [image][position][M], with no horizontal sums. The
 * stride-2 data gradient runs these kernels on four sub-pixel phases ({@link #backwardDataStrided}).
 * Measured at batch 128, 2 threads (ms, 8-float kernels → these): 64 → 64 at 7² forward 3.5 → 2.8,
 * data gradient 3.5 → 2.8, filter gradient 5.0 → 4.2; stride 2 32 → 64 forward 2.7 → 1.9;
 * 32 → 32 at 14² forward 3.2 → 2.9.
 */
final class DirectConv {
    /**
     * 16-float vectors when they were asked for ({@link Simd#WIDE}) and the CPU has them (AVX-512),
     * else 8: one width for all the kernels of this class, since mixing widths in one JVM makes the
     * second one run boxed ({@link Simd}). With 16-float vectors the position blocks below hold 48
     * positions.
     */
    private static final VectorSpecies<Float> S = Simd.WIDE && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    /** The vector width in bits. */
    static final int BITS = S.vectorBitSize();
    /** 16-float vectors for the output-channel kernels ({@link #wide}). */
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_512;
    /**
     * Whether the output-channel kernels run: when this CPU has 512-bit vectors (so that they share
     * the width of the other kernels), unless the system property {@code netlens.direct.wide} is
     * {@code off}. Not final so that tests can run both kernel families on any CPU.
     */
    static boolean wide = BITS >= 512 && !"off".equals(System.getProperty("netlens.direct.wide"));
    private static final int LANES = S.length();
    /** Output positions per block: 3 vectors. */
    private static final int BLOCK = 3 * LANES;
    /** Output channels per block. */
    private static final int MB = 4;

    /** Per-thread scratch arrays: 0 padded input planes, 1 kernel outputs, 2 filter-gradient dY. */
    private static final ThreadScratch SCRATCH = new ThreadScratch(3);

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
        return SCRATCH.get(slot, size);
    }

    // ------------------------------------------------------------------ forward and data gradient

    /** y ← conv(x, w) + bias (bias may be null). */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        Layout in = new Layout(g.inChannels, g.inHeight, g.inWidth, g.padTop, g.padLeft, g.padBottom, g.padRight,
                g.strideHeight);
        if (wideForward(g)) {
            convolveWide(g.batch, in, g.outChannels, pack(w, g.outChannels, g.inChannels, false, wideBlock(g.outChannels)), bias, x, y,
                    null);
            return;
        }
        float[] packed = pack(w, g.outChannels, g.inChannels, false, MB);
        convolve(g.batch, in, g.outChannels, packed, bias, x, y);
    }

    /** dx ← the data gradient: dy convolved with the flipped, transposed filters, padding 2 − p. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        backwardData(g, dy, w, dx, null);
    }

    /**
     * Whether {@link #backwardData} with an addend adds it while writing dX (the output-channel
     * kernels, whose results pass through {@link #unblock}); else it needs a separate pass.
     */
    static boolean adds(ConvGeometry g) {
        return wideStridedData(g) || (g.strideHeight == 1 && wideData(g));
    }

    /**
     * dx ← addend + the data gradient when addend is not null (only where {@link #adds}), as
     * {@code addend[i] + gradient[i]}.
     */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx, float[] addend) {
        if (addend != null && !adds(g)) {
            throw new IllegalArgumentException("the direct data gradient adds an addend only on the output-channel "
                    + "kernels (DirectConv.adds), not for " + g.inChannels + " -> " + g.outChannels + " channels");
        }
        if (wideStridedData(g)) {
            backwardDataStrided(g, dy, w, dx, addend);
            return;
        }
        if (g.strideHeight != 1) {
            throw new IllegalArgumentException("direct data gradients need stride 1, or stride 2 with "
                    + "the wide kernels (16 or 32 input channels per block, 32 or more output channels), got stride "
                    + g.strideHeight + " with " + g.inChannels + " -> " + g.outChannels + " channels");
        }
        Layout in = new Layout(g.outChannels, g.outHeight, g.outWidth, 2 - g.padTop, 2 - g.padLeft, 2 - g.padBottom,
                2 - g.padRight, 1);
        if (wideData(g)) {
            convolveWide(g.batch, in, g.inChannels, pack(w, g.outChannels, g.inChannels, true, wideBlock(g.inChannels)), null, dy, dx,
                    addend);
            return;
        }
        float[] packed = pack(w, g.outChannels, g.inChannels, true, MB);
        convolve(g.batch, in, g.inChannels, packed, null, dy, dx);
    }

    /**
     * Filters packed for the kernels: [⌈out/B⌉][in][9][B] for blocks of B output channels (4 for
     * {@link #kernel}, {@link #wideBlock} for the wide kernels), zero for channels past the last.
     * With {@code transposed}, the data-gradient filters w′[c][m][i][j] = w[m][c][2 − i][2 − j]
     * (out = c).
     */
    private static float[] pack(float[] w, int m, int c, boolean transposed, int block) {
        int out = transposed ? c : m;
        int in = transposed ? m : c;
        int blocks = (out + block - 1) / block;
        float[] p = new float[blocks * in * 9 * block];
        for (int o = 0; o < out; o++) {
            int b = o / block;
            int j = o % block;
            for (int i = 0; i < in; i++) {
                for (int k = 0; k < 9; k++) {
                    float v = transposed ? w[(i * c + o) * 9 + (8 - k)] : w[(o * c + i) * 9 + k];
                    p[((b * in + i) * 9 + k) * block + j] = v;
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


    // ------------------------------------------------------------------ output-channel vectors

    /** Output channels per wide block: 32 when they divide evenly, else 16. */
    private static int wideBlock(int outChannels) {
        return outChannels % 32 == 0 ? 32 : 16;
    }

    /** Positions per wide block: 7 with 32 channels (14 accumulators), 14 with 16. */
    private static int wideRun(int outChannels) {
        return wideBlock(outChannels) == 32 ? 7 : 14;
    }

    /**
     * Whether the wide kernel takes a convolution from {@code inChannels} to {@code outChannels}
     * planes: at least 16 input channels, whole 16-channel output blocks, rows at least one run
     * wide. With the scattering transposition its results once had, 16 input channels were
     * slower than {@link #kernel} (16 → 16 at 28² 4.7 against 3.3 ms); with {@link #unblock}'s
     * gathers they are faster (batch 128, 2 threads, medians of 8 alternating runs, ms: 16 → 16 at
     * 28² forward 2.72 → 2.47, data gradient 2.68 → 2.51; 16 → 32 stride 2 from 28² forward
     * 2.10 → 1.75).
     */
    private static boolean wideApplies(int inChannels, int outChannels, int outWidth) {
        return wide && inChannels >= 16 && outChannels % 16 == 0 && outWidth >= wideRun(outChannels);
    }

    /** Whether {@link #forward} runs the wide kernel for g. */
    static boolean wideForward(ConvGeometry g) {
        return wideApplies(g.inChannels, g.outChannels, g.outWidth);
    }

    /** Whether {@link #backwardData} runs the wide kernel for g (its outputs are g's input planes). */
    static boolean wideData(ConvGeometry g) {
        return wideApplies(g.outChannels, g.inChannels, g.inWidth);
    }

    /** y ← the convolution (+ bias when not null) (+ addend when not null: addend[i] + result[i]). */
    private static void convolveWide(int batch, Layout in, int outChannels, float[] packed, float[] bias, float[] x,
                                     float[] y, float[] addend) {
        final int bw = wideBlock(outChannels);
        final int run = wideRun(outChannels);
        final int blocks = outChannels / bw;
        final int oh = in.outHeight();
        final int ow = in.outWidth();
        final int rl = in.rowLength();
        final int channels = in.channels();
        final int[] taps = in.taps();
        final int[] xoff = new int[9 * channels];
        final int area = oh * ow;
        final int[] across = across(bw);
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < 9; k++) {
                xoff[c * 9 + k] = c * in.block() + taps[k];
            }
        }
        Parallel.dynamic(batch, 1, (from, to) -> {
            float[] xp = scratch(0, in.floats());
            float[] blk = scratch(1, area * bw);
            for (int n = from; n < to; n++) {
                in.pad(x, n, xp);
                for (int b = 0; b < blocks; b++) {
                    int wb = b * channels * 9 * bw;
                    for (int r = 0; r < oh; ) {
                        // 32-channel blocks take two rows per call where there are two left
                        // (wide2x7x32: batch 128, 2 threads, medians of 5 alternating runs, ms:
                        // 64 -> 64 at 7² forward 2.11 -> 1.92, data gradient 2.13 -> 1.93;
                        // 32 -> 32 at 14² 1.91 -> 1.80 and 1.93 -> 1.82)
                        boolean pair = bw == 32 && r + 1 < oh;
                        for (int c0 = 0; c0 < ow; c0 += run) {
                            int o0 = Math.min(c0, ow - run);
                            int p = r * rl + o0;
                            int t = (r * ow + o0) * bw;
                            if (pair) {
                                wide2x7x32(xp, packed, wb, xoff, 9 * channels, p, rl, blk, t, bw, ow * bw);
                            } else if (bw == 32) {
                                wide7x32(xp, packed, wb, xoff, 9 * channels, p, blk, t, bw);
                            } else {
                                wide14x16(xp, packed, wb, xoff, 9 * channels, p, blk, t, bw);
                            }
                        }
                        r += pair ? 2 : 1;
                    }
                    unblock(blk, bw, area, bias, b * bw, y, (n * outChannels + b * bw) * area, across, addend);
                }
            }
        });
    }

    /**
     * Writes one channel block of an image's results — blk[p·bw + o] for the {@code area}
     * positions p, as the wide kernels leave them — into its planes: y[d + o·area + p] =
     * blk[p·bw + o] + (bias[m0 + o], or +0 without a bias), and with an addend (a gradient this one
     * is summed with) y[i] = addend[i] + that, in the same pass. Sixteen positions of one channel at a
     * time, gathered from the block ({@code across}: lane i at i·bw) and stored as one vector:
     * the loads of a transposition are cheaper than its stores, which now go to consecutive
     * floats. Against scattering each position's 16 channels across the planes as the kernel
     * finished them (32 → 32 at 14², batch 128, 2 threads, medians of 8 alternating runs): forward
     * 2.16 → 2.07 ms, data gradient 2.20 → 2.09 ms; skipping the transposition altogether (wrong
     * results, a bound) took 0.5 ms off either. The same float additions as element by element.
     *
     * <p>A block larger than {@link #L1_FLOATS} is written 16 positions at a time for all its
     * channels, so that the 16 lines a gather reads stay in L1 while every channel takes its
     * lane; a smaller one (in L1 whole) channel by channel, each plane's stores consecutive
     * (measured on 16-channel blocks of 784 positions, 5 alternating runs, ms: 16 → 16 at 28²
     * forward 2.78 → 2.55, data gradient 2.71 → 2.51, stride-2 data gradient into 16 → 32 1.76 →
     * 1.57; on 32-channel blocks of 196 or 49 positions the channel order was 0–3 % faster).
     */
    private static void unblock(float[] blk, int bw, int area, float[] bias, int m0, float[] y, int d,
                                int[] across, float[] addend) {
        int whole = area - area % 16;
        if ((long) area * bw > L1_FLOATS) {
            for (int p = 0; p < whole; p += 16) {
                int src = p * bw;
                for (int o = 0; o < bw; o++) {
                    float add = bias == null ? 0f : bias[m0 + o];
                    int q = d + o * area + p;
                    FloatVector v = FloatVector.fromArray(W, blk, src + o, across, 0).add(add);
                    if (addend != null) {
                        v = FloatVector.fromArray(W, addend, q).add(v);
                    }
                    v.intoArray(y, q);
                }
            }
        } else {
            for (int o = 0; o < bw; o++) {
                FloatVector add = FloatVector.broadcast(W, bias == null ? 0f : bias[m0 + o]);
                int q = d + o * area;
                if (addend == null) {
                    for (int p = 0; p < whole; p += 16) {
                        FloatVector.fromArray(W, blk, p * bw + o, across, 0).add(add).intoArray(y, q + p);
                    }
                } else {
                    for (int p = 0; p < whole; p += 16) {
                        FloatVector v = FloatVector.fromArray(W, blk, p * bw + o, across, 0).add(add);
                        FloatVector.fromArray(W, addend, q + p).add(v).intoArray(y, q + p);
                    }
                }
            }
        }
        for (int o = 0; o < bw; o++) {
            float add = bias == null ? 0f : bias[m0 + o];
            int q = d + o * area;
            for (int p = whole; p < area; p++) {
                float v = blk[p * bw + o] + add;
                y[q + p] = addend == null ? v : addend[q + p] + v;
            }
        }
    }

    /** Floats of a result block {@link #unblock} treats as L1-resident (32 KB). */
    private static final int L1_FLOATS = 8192;

    /** The gather map of {@link #unblock}: lane i to i · stride. */
    private static int[] across(int stride) {
        int[] map = new int[16];
        for (int i = 0; i < 16; i++) {
            map[i] = i * stride;
        }
        return map;
    }

    /**
     * Two rows of 7 consecutive positions (from p and from p + rowStride) × 32 output channels:
     * tmp[t + u·ps + o] for the first row, tmp[t + second + u·ps + o] for the second. Each weight
     * vector feeds 14 FMAs instead of {@link #wide7x32}'s 7, so the filters are read half as often.
     */
    private static void wide2x7x32(float[] xp, float[] pw, int wb, int[] xoff, int n, int p, int rowStride,
                                   float[] tmp, int t, int ps, int second) {
        FloatVector z = FloatVector.zero(W);
        FloatVector a00_0 = z;
        FloatVector a00_1 = z;
        FloatVector a01_0 = z;
        FloatVector a01_1 = z;
        FloatVector a02_0 = z;
        FloatVector a02_1 = z;
        FloatVector a03_0 = z;
        FloatVector a03_1 = z;
        FloatVector a04_0 = z;
        FloatVector a04_1 = z;
        FloatVector a05_0 = z;
        FloatVector a05_1 = z;
        FloatVector a06_0 = z;
        FloatVector a06_1 = z;
        FloatVector a10_0 = z;
        FloatVector a10_1 = z;
        FloatVector a11_0 = z;
        FloatVector a11_1 = z;
        FloatVector a12_0 = z;
        FloatVector a12_1 = z;
        FloatVector a13_0 = z;
        FloatVector a13_1 = z;
        FloatVector a14_0 = z;
        FloatVector a14_1 = z;
        FloatVector a15_0 = z;
        FloatVector a15_1 = z;
        FloatVector a16_0 = z;
        FloatVector a16_1 = z;
        for (int j = 0; j < n; j++) {
            int s = p + xoff[j];
            int s2 = s + rowStride;
            int wi = wb + j * 32;
            FloatVector w0 = FloatVector.fromArray(W, pw, wi + 0);
            FloatVector w1 = FloatVector.fromArray(W, pw, wi + 16);
            FloatVector x = FloatVector.broadcast(W, xp[s + 0]);
            a00_0 = w0.fma(x, a00_0);
            a00_1 = w1.fma(x, a00_1);
            x = FloatVector.broadcast(W, xp[s + 1]);
            a01_0 = w0.fma(x, a01_0);
            a01_1 = w1.fma(x, a01_1);
            x = FloatVector.broadcast(W, xp[s + 2]);
            a02_0 = w0.fma(x, a02_0);
            a02_1 = w1.fma(x, a02_1);
            x = FloatVector.broadcast(W, xp[s + 3]);
            a03_0 = w0.fma(x, a03_0);
            a03_1 = w1.fma(x, a03_1);
            x = FloatVector.broadcast(W, xp[s + 4]);
            a04_0 = w0.fma(x, a04_0);
            a04_1 = w1.fma(x, a04_1);
            x = FloatVector.broadcast(W, xp[s + 5]);
            a05_0 = w0.fma(x, a05_0);
            a05_1 = w1.fma(x, a05_1);
            x = FloatVector.broadcast(W, xp[s + 6]);
            a06_0 = w0.fma(x, a06_0);
            a06_1 = w1.fma(x, a06_1);
            x = FloatVector.broadcast(W, xp[s2 + 0]);
            a10_0 = w0.fma(x, a10_0);
            a10_1 = w1.fma(x, a10_1);
            x = FloatVector.broadcast(W, xp[s2 + 1]);
            a11_0 = w0.fma(x, a11_0);
            a11_1 = w1.fma(x, a11_1);
            x = FloatVector.broadcast(W, xp[s2 + 2]);
            a12_0 = w0.fma(x, a12_0);
            a12_1 = w1.fma(x, a12_1);
            x = FloatVector.broadcast(W, xp[s2 + 3]);
            a13_0 = w0.fma(x, a13_0);
            a13_1 = w1.fma(x, a13_1);
            x = FloatVector.broadcast(W, xp[s2 + 4]);
            a14_0 = w0.fma(x, a14_0);
            a14_1 = w1.fma(x, a14_1);
            x = FloatVector.broadcast(W, xp[s2 + 5]);
            a15_0 = w0.fma(x, a15_0);
            a15_1 = w1.fma(x, a15_1);
            x = FloatVector.broadcast(W, xp[s2 + 6]);
            a16_0 = w0.fma(x, a16_0);
            a16_1 = w1.fma(x, a16_1);
        }
        a00_0.intoArray(tmp, t + 0 * ps);
        a00_1.intoArray(tmp, t + 0 * ps + 16);
        a01_0.intoArray(tmp, t + 1 * ps);
        a01_1.intoArray(tmp, t + 1 * ps + 16);
        a02_0.intoArray(tmp, t + 2 * ps);
        a02_1.intoArray(tmp, t + 2 * ps + 16);
        a03_0.intoArray(tmp, t + 3 * ps);
        a03_1.intoArray(tmp, t + 3 * ps + 16);
        a04_0.intoArray(tmp, t + 4 * ps);
        a04_1.intoArray(tmp, t + 4 * ps + 16);
        a05_0.intoArray(tmp, t + 5 * ps);
        a05_1.intoArray(tmp, t + 5 * ps + 16);
        a06_0.intoArray(tmp, t + 6 * ps);
        a06_1.intoArray(tmp, t + 6 * ps + 16);
        a10_0.intoArray(tmp, t + second + 0 * ps);
        a10_1.intoArray(tmp, t + second + 0 * ps + 16);
        a11_0.intoArray(tmp, t + second + 1 * ps);
        a11_1.intoArray(tmp, t + second + 1 * ps + 16);
        a12_0.intoArray(tmp, t + second + 2 * ps);
        a12_1.intoArray(tmp, t + second + 2 * ps + 16);
        a13_0.intoArray(tmp, t + second + 3 * ps);
        a13_1.intoArray(tmp, t + second + 3 * ps + 16);
        a14_0.intoArray(tmp, t + second + 4 * ps);
        a14_1.intoArray(tmp, t + second + 4 * ps + 16);
        a15_0.intoArray(tmp, t + second + 5 * ps);
        a15_1.intoArray(tmp, t + second + 5 * ps + 16);
        a16_0.intoArray(tmp, t + second + 6 * ps);
        a16_1.intoArray(tmp, t + second + 6 * ps + 16);
    }

    /** 7 consecutive positions from p × 32 output channels: tmp[t + u·ps + o]. */
    private static void wide7x32(float[] xp, float[] pw, int wb, int[] xoff, int n, int p, float[] tmp, int t,
                                 int ps) {
        FloatVector z = FloatVector.zero(W);
        FloatVector a0_0 = z;
        FloatVector a0_1 = z;
        FloatVector a1_0 = z;
        FloatVector a1_1 = z;
        FloatVector a2_0 = z;
        FloatVector a2_1 = z;
        FloatVector a3_0 = z;
        FloatVector a3_1 = z;
        FloatVector a4_0 = z;
        FloatVector a4_1 = z;
        FloatVector a5_0 = z;
        FloatVector a5_1 = z;
        FloatVector a6_0 = z;
        FloatVector a6_1 = z;
        for (int j = 0; j < n; j++) {
            int s = p + xoff[j];
            int wi = wb + j * 32;
            FloatVector w0 = FloatVector.fromArray(W, pw, wi + 0);
            FloatVector w1 = FloatVector.fromArray(W, pw, wi + 16);
            FloatVector x = FloatVector.broadcast(W, xp[s + 0]);
            a0_0 = w0.fma(x, a0_0);
            a0_1 = w1.fma(x, a0_1);
            x = FloatVector.broadcast(W, xp[s + 1]);
            a1_0 = w0.fma(x, a1_0);
            a1_1 = w1.fma(x, a1_1);
            x = FloatVector.broadcast(W, xp[s + 2]);
            a2_0 = w0.fma(x, a2_0);
            a2_1 = w1.fma(x, a2_1);
            x = FloatVector.broadcast(W, xp[s + 3]);
            a3_0 = w0.fma(x, a3_0);
            a3_1 = w1.fma(x, a3_1);
            x = FloatVector.broadcast(W, xp[s + 4]);
            a4_0 = w0.fma(x, a4_0);
            a4_1 = w1.fma(x, a4_1);
            x = FloatVector.broadcast(W, xp[s + 5]);
            a5_0 = w0.fma(x, a5_0);
            a5_1 = w1.fma(x, a5_1);
            x = FloatVector.broadcast(W, xp[s + 6]);
            a6_0 = w0.fma(x, a6_0);
            a6_1 = w1.fma(x, a6_1);
        }
        a0_0.intoArray(tmp, t + 0 * ps);
        a0_1.intoArray(tmp, t + 0 * ps + 16);
        a1_0.intoArray(tmp, t + 1 * ps);
        a1_1.intoArray(tmp, t + 1 * ps + 16);
        a2_0.intoArray(tmp, t + 2 * ps);
        a2_1.intoArray(tmp, t + 2 * ps + 16);
        a3_0.intoArray(tmp, t + 3 * ps);
        a3_1.intoArray(tmp, t + 3 * ps + 16);
        a4_0.intoArray(tmp, t + 4 * ps);
        a4_1.intoArray(tmp, t + 4 * ps + 16);
        a5_0.intoArray(tmp, t + 5 * ps);
        a5_1.intoArray(tmp, t + 5 * ps + 16);
        a6_0.intoArray(tmp, t + 6 * ps);
        a6_1.intoArray(tmp, t + 6 * ps + 16);
    }

    /** 14 consecutive positions from p × 16 output channels: tmp[t + u·ps + o]. */
    private static void wide14x16(float[] xp, float[] pw, int wb, int[] xoff, int n, int p, float[] tmp, int t,
                                  int ps) {
        FloatVector z = FloatVector.zero(W);
        FloatVector a0_0 = z;
        FloatVector a1_0 = z;
        FloatVector a2_0 = z;
        FloatVector a3_0 = z;
        FloatVector a4_0 = z;
        FloatVector a5_0 = z;
        FloatVector a6_0 = z;
        FloatVector a7_0 = z;
        FloatVector a8_0 = z;
        FloatVector a9_0 = z;
        FloatVector a10_0 = z;
        FloatVector a11_0 = z;
        FloatVector a12_0 = z;
        FloatVector a13_0 = z;
        for (int j = 0; j < n; j++) {
            int s = p + xoff[j];
            int wi = wb + j * 16;
            FloatVector w0 = FloatVector.fromArray(W, pw, wi + 0);
            FloatVector x = FloatVector.broadcast(W, xp[s + 0]);
            a0_0 = w0.fma(x, a0_0);
            x = FloatVector.broadcast(W, xp[s + 1]);
            a1_0 = w0.fma(x, a1_0);
            x = FloatVector.broadcast(W, xp[s + 2]);
            a2_0 = w0.fma(x, a2_0);
            x = FloatVector.broadcast(W, xp[s + 3]);
            a3_0 = w0.fma(x, a3_0);
            x = FloatVector.broadcast(W, xp[s + 4]);
            a4_0 = w0.fma(x, a4_0);
            x = FloatVector.broadcast(W, xp[s + 5]);
            a5_0 = w0.fma(x, a5_0);
            x = FloatVector.broadcast(W, xp[s + 6]);
            a6_0 = w0.fma(x, a6_0);
            x = FloatVector.broadcast(W, xp[s + 7]);
            a7_0 = w0.fma(x, a7_0);
            x = FloatVector.broadcast(W, xp[s + 8]);
            a8_0 = w0.fma(x, a8_0);
            x = FloatVector.broadcast(W, xp[s + 9]);
            a9_0 = w0.fma(x, a9_0);
            x = FloatVector.broadcast(W, xp[s + 10]);
            a10_0 = w0.fma(x, a10_0);
            x = FloatVector.broadcast(W, xp[s + 11]);
            a11_0 = w0.fma(x, a11_0);
            x = FloatVector.broadcast(W, xp[s + 12]);
            a12_0 = w0.fma(x, a12_0);
            x = FloatVector.broadcast(W, xp[s + 13]);
            a13_0 = w0.fma(x, a13_0);
        }
        a0_0.intoArray(tmp, t + 0 * ps);
        a1_0.intoArray(tmp, t + 1 * ps);
        a2_0.intoArray(tmp, t + 2 * ps);
        a3_0.intoArray(tmp, t + 3 * ps);
        a4_0.intoArray(tmp, t + 4 * ps);
        a5_0.intoArray(tmp, t + 5 * ps);
        a6_0.intoArray(tmp, t + 6 * ps);
        a7_0.intoArray(tmp, t + 7 * ps);
        a8_0.intoArray(tmp, t + 8 * ps);
        a9_0.intoArray(tmp, t + 9 * ps);
        a10_0.intoArray(tmp, t + 10 * ps);
        a11_0.intoArray(tmp, t + 11 * ps);
        a12_0.intoArray(tmp, t + 12 * ps);
        a13_0.intoArray(tmp, t + 13 * ps);
    }

    // ------------------------------------------------------------------ warm-up

    /**
     * Calls each inner kernel {@code calls} times on the smallest input it takes (one block of
     * positions, one channel or tap), so that the JIT compiles it: see {@link DirectConvWarmup}.
     * A kernel runs in the interpreter for its first few hundred calls; on a training batch each
     * of those takes milliseconds, here microseconds.
     */
    static void warmUp(int calls) {
        float[] a = new float[4096];
        float[] b = new float[4096];
        float[] out = new float[4096];
        int[] taps = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        int[] first = {0};
        float[] planes = new float[4096];
        int[] across = across(32);
        // a block of 32 × 257 floats: more than L1_FLOATS, so unblock's other loop order
        float[] large = new float[32 * 257];
        float[] largePlanes = new float[32 * 257];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7 - 3) * 0.125f;
            b[i] = (i % 5 - 2) * 0.25f;
        }
        for (int i = 0; i < calls; i++) {
            kernel(a, b, 0, 1, taps, 64, BLOCK, out);
            addRow(out, 0, 0.5f, out, 2048, LANES + 1);
            filterRow(a, 0, 1, 2, b, 0, LANES, LANES, out, 0, 3);
            if (wide) {
                wide7x32(a, b, 0, first, 1, 0, out, 0, 32);
                wide2x7x32(a, b, 0, first, 1, 0, 1, out, 0, 32, 224);
                wide14x16(a, b, 0, first, 1, 0, out, 0, 16 * (1 + (i & 1)));
                unblock(out, 32, 49, (i & 1) == 0 ? null : b, 0, planes, 0, across, (i & 2) == 0 ? null : planes);
                unblock(large, 32, 257, (i & 1) == 0 ? null : b, 0, largePlanes, 0, across,
                        (i & 2) == 0 ? null : largePlanes);
                wideFilter4x64(a, 0, 1, first, 1, b, 0, 64, out);
                wideFilter8x32(a, 0, 1, first, 1, b, 0, 32, out);
                wideFilter16x16(a, 0, 1, first, 1, b, 0, 16, out);
                ChannelFilterGradient.warmUp(a, b, out, first);
            }
            BatchNormSimd.warmUp(a, b, out);
            ElementwiseSimd.reluBackward(a, b, out, 0, 33);
        }
    }

    // ------------------------------------------------------------------ stride-2 data gradient

    /**
     * Whether {@link #backwardData} takes a stride-2 geometry, one sub-pixel phase at a time on the
     * wide kernels ({@link #backwardDataStrided}): 16-float vectors, input channels (the data
     * gradient's outputs) a multiple of 16, at least 32 output channels (the phases' reductions run
     * over them; the limit the wide kernels had when this was measured, not re-measured since
     * {@link #wideApplies} took 16), and every column phase at least one {@link #wideRun} wide.
     */
    static boolean wideStridedData(ConvGeometry g) {
        if (!wide || g.strideHeight != 2 || g.strideWidth != 2 || g.outChannels < 32 || g.inChannels % 16 != 0) {
            return false;
        }
        for (int b = 0; b < 2; b++) {
            if (phaseLast(g.inWidth, g.padLeft, b) - phaseFirst(g.padLeft, b) + 1 < wideRun(g.inChannels)) {
                return false;
            }
        }
        return true;
    }

    /** The first index i of phase a along an axis with padding p: input index 2i + a − p ≥ 0. */
    private static int phaseFirst(int pad, int a) {
        return Math.floorDiv(pad - a + 1, 2);
    }

    /** The last index i of phase a along an axis of the given size: 2i + a − p &lt; size. */
    private static int phaseLast(int size, int pad, int a) {
        return Math.floorDiv(size - 1 + pad - a, 2);
    }

    /**
     * The data gradient of a stride-2 3×3 convolution as four stride-1 convolutions of dY, one per
     * sub-pixel phase of dX (Shi et al., "Is the deconvolution layer the same as a convolutional
     * layer?", 2016). Input row ih receives the taps kh ≡ ih + padTop (mod 2) — kh = 1 from output row
     * i, or kh = 0 from row i and kh = 2 from row i − 1, where i = ⌊(ih + padTop) / 2⌋ — and likewise
     * for columns, so phase (a, b) has 1, 2, 2 or 4 taps, 9 in all. Each phase runs on the wide
     * kernels over dY's planes zero-padded by one row and column on every side, vectors along dX's
     * channels, and its results go to every second position of the image's [position][channel]
     * block, which {@link #unblock} then writes into dX's planes.
     */
    private static void backwardDataStrided(ConvGeometry g, float[] dy, float[] w, float[] dx, float[] addend) {
        final int c = g.inChannels;
        final int m = g.outChannels;
        final int bw = wideBlock(c);
        final int run = wideRun(c);
        final int blocks = c / bw;
        final int[] rowFirst = {phaseFirst(g.padTop, 0), phaseFirst(g.padTop, 1)};
        final int[] rowLast = {phaseLast(g.inHeight, g.padTop, 0), phaseLast(g.inHeight, g.padTop, 1)};
        final int[] colFirst = {phaseFirst(g.padLeft, 0), phaseFirst(g.padLeft, 1)};
        final int[] colLast = {phaseLast(g.inWidth, g.padLeft, 0), phaseLast(g.inWidth, g.padLeft, 1)};
        // reads reach dY rows i − 1 .. i and columns j − 1 .. j: one zero row and column on each side
        // suffice, since the last phase index ⌊(H − 1 + padTop) / 2⌋ is at most outHeight (and
        // likewise for columns)
        final Layout in = new Layout(m, g.outHeight, g.outWidth, 1, 1, 1, 1, 1);
        final int rl = in.rowLength();
        final int[][] xoff = new int[4][];
        final int area = g.inHeight * g.inWidth;
        final int[] across = across(bw);
        final float[][] packed = new float[4][];
        for (int phase = 0; phase < 4; phase++) {
            int[] kh = (phase >> 1) == 0 ? new int[] {0, 2} : new int[] {1};
            int[] kw = (phase & 1) == 0 ? new int[] {0, 2} : new int[] {1};
            int taps = kh.length * kw.length;
            int n = m * taps;
            xoff[phase] = new int[n];
            packed[phase] = new float[blocks * n * bw];
            for (int o = 0; o < m; o++) {
                for (int t = 0; t < taps; t++) {
                    int h = kh[t / kw.length];
                    int v = kw[t % kw.length];
                    int j = o * taps + t;
                    // dY row i + ((phase row) − kh) / 2, one padding row above: row offset 1 or 0
                    xoff[phase][j] = o * in.block() + (((phase >> 1) - h) / 2 + 1) * rl + ((phase & 1) - v) / 2 + 1;
                    for (int ch = 0; ch < c; ch++) {
                        packed[phase][((ch / bw) * n + j) * bw + ch % bw] = w[((o * c + ch) * 3 + h) * 3 + v];
                    }
                }
            }
        }
        Parallel.dynamic(g.batch, 1, (from, to) -> {
            float[] xp = scratch(0, in.floats());
            float[] blkOut = scratch(1, area * bw);
            for (int img = from; img < to; img++) {
                in.pad(dy, img, xp);
                for (int blk = 0; blk < blocks; blk++) {
                    for (int phase = 0; phase < 4; phase++) {
                        int a = phase >> 1;
                        int b = phase & 1;
                        int n = xoff[phase].length;
                        int wb = blk * n * bw;
                        for (int i = rowFirst[a]; i <= rowLast[a]; i++) {
                            int ih = 2 * i + a - g.padTop;
                            for (int j = colFirst[b]; j <= colLast[b]; j += run) {
                                int js = Math.min(j, colLast[b] + 1 - run);
                                int iw = 2 * js + b - g.padLeft;
                                int t = (ih * g.inWidth + iw) * bw;
                                if (bw == 32) {
                                    wide7x32(xp, packed[phase], wb, xoff[phase], n, i * rl + js, blkOut, t, 2 * bw);
                                } else {
                                    wide14x16(xp, packed[phase], wb, xoff[phase], n, i * rl + js, blkOut, t, 2 * bw);
                                }
                            }
                        }
                    }
                    unblock(blkOut, bw, area, null, 0, dx, (img * c + blk * bw) * area, across, addend);
                }
            }
        });
    }

    // ------------------------------------------------------------------ filter gradient

    /**
     * Output positions per filter-gradient reduction of {@link #backwardFilterWide}: images with
     * fewer positions are processed in groups laid out one after another (7×7 planes: 63 positions
     * each).
     */
    private static final int REDUCTION_POSITIONS = 1024;

    /**
     * The same for {@link #filterRow}, whose every reduction ends in 12 horizontal sums: longer
     * reductions repay them better. 4096 against 1024, resnet8 on Fashion-MNIST, 200 training steps
     * at batch 128 (6 alternating runs, s): 22.6 22.8 24.5 23.0 22.0 21.6 against 24.2 23.8 24.1 23.0
     * 22.8 22.8 (medians 22.7 vs 23.4); filter gradient alone 32→32 at 14² 4.0–5.0 vs 4.4–5.7 ms.
     */
    private static final int REDUCTION_POSITIONS_ROW = 4096;

    /**
     * dW[m][c][kh][kw] = Σ_n Σ_(oh,ow) dy[n][m][oh][ow] · x[n][c][oh + kh − padTop][ow + kw − padLeft]
     * (overwritten), and the bias gradient when dbias is not null.
     */
    static void backwardFilter(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        if (ChannelFilterGradient.applies(g)) {
            ChannelFilterGradient.compute(g, x, dy, dw, dbias);
            return;
        }
        if (wideFilterApplies(g)) {
            backwardFilterWide(g, x, dy, dw, dbias);
            return;
        }
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
        final int reduction = Math.max(1, Math.min(g.batch, REDUCTION_POSITIONS_ROW / in.positions()));
        final int chunks = filterChunks(g.batch, reduction);
        final int group = Math.min(reduction, (g.batch + chunks - 1) / chunks);
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
        float[][] partial = new float[chunks][];
        Parallel.dynamic(chunks, 1, (fromChunk, toChunk) -> {
            float[] xg = scratch(0, xFloats);
            float[] dyg = scratch(2, blocks * MB * phaseStride);
            for (int chunk = fromChunk; chunk < toChunk; chunk++) {
                int n0 = (int) ((long) g.batch * chunk / chunks);
                int n1 = (int) ((long) g.batch * (chunk + 1) / chunks);
                float[] mine = new float[blocks * MB * c * 9];
                Arrays.fill(dyg, 0, blocks * MB * phaseStride, 0f);
                // the padding stays zero from group to group: pad writes the same interiors
                Arrays.fill(xg, 0, xFloats, 0f);
                for (int g0 = n0; g0 < n1; g0 += group) {
                    int count = Math.min(group, n1 - g0);
                    if (count < group) {
                        // dropped positions of the last image read into the next slot: zeros, as
                        // in a full group's padding, not the previous group's images
                        for (int q = 0; q < c * phases; q++) {
                            Arrays.fill(xg, q * phaseStride + count * plane, (q + 1) * phaseStride, 0f);
                        }
                    }
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
        sumInOrder(partial, dw, m * c * 9);
        JavaKernels.biasGradient(g, dy, dbias);
    }

    /**
     * Most images per filter-gradient chunk, unless one reduction group holds more: each chunk sums
     * its images into its own partial filters, and the chunks are claimed by whichever thread is
     * free, so that a thread slowed down by another process takes fewer of them. Their number
     * depends on the batch and the geometry alone, so the sums — partials added in chunk order —
     * are the same bits on any number of threads.
     */
    static final int FILTER_CHUNK_IMAGES = 16;

    /** Chunks for a batch whose reductions take up to {@code group} images at a time (never split). */
    static int filterChunks(int batch, int group) {
        int images = Math.max(FILTER_CHUNK_IMAGES, group);
        return Math.max(1, (batch + images - 1) / images);
    }

    /** dw[i] = the sum of the chunks' partial sums, added in chunk order, for i &lt; n. */
    static void sumInOrder(float[][] partial, float[] dw, int n) {
        for (int i = 0; i < n; i++) {
            float s = partial[0][i];
            for (int k = 1; k < partial.length; k++) {
                s += partial[k][i];
            }
            dw[i] = s;
        }
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

    /**
     * Whether the wide filter gradient takes a geometry that {@link ChannelFilterGradient} does not:
     * 64 or more output channels (measured with the
     * 8 × 32 blocks: 64 → 64 at 7×7 4.2 ms against 5.0 for {@link #filterRow}; with 16 or 32 output
     * channels equal or slower; the 4 × 64 blocks then took it to 3.1–4.1 ms).
     */
    static boolean wideFilterApplies(ConvGeometry g) {
        return wide && !ChannelFilterGradient.applies(g) && g.outChannels >= 64 && g.outChannels % 16 == 0
                && g.inChannels % wideFilterChannels(g.outChannels) == 0;
    }

    /**
     * Output channels per wide filter-gradient block: 64 when they divide evenly, else
     * {@link #wideBlock}. Every input value broadcast feeds one FMA per 16 output channels, so wider
     * blocks broadcast less per FMA: 4 × 64 channels ran at 95–97 GFLOP/s on one thread where
     * 8 × 32 ran at 60 (scratch harness, 980 positions per call, data in L2).
     */
    static int wideFilterBlock(int outChannels) {
        return outChannels % 64 == 0 ? 64 : wideBlock(outChannels);
    }

    /** Input channels per wide filter-gradient block: 4 with 64 output channels, 8 with 32, 16 with 16. */
    private static int wideFilterChannels(int outChannels) {
        return switch (wideFilterBlock(outChannels)) {
            case 64 -> 4;
            case 32 -> 8;
            default -> 16;
        };
    }

    /**
     * The filter gradient with vectors along the output channels: dY transposed to [image][position][M]
     * per group, so that one block of 4 (8, 16) input channels × 64 (32, 16) output channels of one tap
     * accumulates in registers over all the group's positions, without horizontal sums.
     */
    private static void backwardFilterWide(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        Layout in = new Layout(g.inChannels, g.inHeight, g.inWidth, g.padTop, g.padLeft, g.padBottom, g.padRight,
                g.strideHeight);
        final int m = g.outChannels;
        final int c = g.inChannels;
        final int bw = wideFilterBlock(m);
        final int bc = wideFilterChannels(m);
        final int rl = in.rowLength();
        final int oh = in.outHeight();
        final int ow = in.outWidth();
        final int area = oh * ow;
        final int plane = in.phasePlane();
        final int phases = g.strideHeight * g.strideHeight;
        final int reduction = Math.max(1, Math.min(g.batch, REDUCTION_POSITIONS / in.positions()));
        final int chunks = filterChunks(g.batch, reduction);
        final int group = Math.min(reduction, (g.batch + chunks - 1) / chunks);
        final int phaseStride = group * plane;
        final int channelStride = phases * phaseStride;
        final int xFloats = c * channelStride + in.tail();
        final int[] taps = new int[9];
        for (int k = 0; k < 9; k++) {
            taps[k] = in.tap(k / 3, k % 3, phaseStride);
        }
        // the kept positions of a group's images, as offsets into a (phase) plane row of images
        final int[] offsets = new int[group * area];
        for (int i = 0, t = 0; i < group; i++) {
            for (int r = 0; r < oh; r++) {
                for (int col = 0; col < ow; col++) {
                    offsets[t++] = i * plane + r * rl + col;
                }
            }
        }
        float[][] partial = new float[chunks][];
        Parallel.dynamic(chunks, 1, (fromChunk, toChunk) -> {
            float[] xg = scratch(0, xFloats);
            float[] dyT = scratch(2, group * area * m);
            float[] tmp = scratch(1, bw * bc);
            for (int chunk = fromChunk; chunk < toChunk; chunk++) {
                int n0 = (int) ((long) g.batch * chunk / chunks);
                int n1 = (int) ((long) g.batch * (chunk + 1) / chunks);
                float[] mine = new float[m * c * 9];
                // the padding stays zero from group to group (pad writes the same interiors), and
                // the kept positions read only their own image's planes
                Arrays.fill(xg, 0, xFloats, 0f);
                for (int g0 = n0; g0 < n1; g0 += group) {
                    int count = Math.min(group, n1 - g0);
                    for (int i = 0; i < count; i++) {
                        int n = g0 + i;
                        in.pad(x, n, xg, i * plane, channelStride, phaseStride);
                        for (int o = 0; o < m; o++) {
                            int src = (n * m + o) * area;
                            int dst = i * area * m + o;
                            for (int q = 0; q < area; q++) {
                                dyT[dst + q * m] = dy[src + q];
                            }
                        }
                    }
                    for (int k = 0; k < 9; k++) {
                        for (int c0 = 0; c0 < c; c0 += bc) {
                            for (int o0 = 0; o0 < m; o0 += bw) {
                                int x0 = c0 * channelStride + taps[k];
                                if (bw == 64) {
                                    wideFilter4x64(xg, x0, channelStride, offsets, count * area, dyT, o0, m, tmp);
                                } else if (bw == 32) {
                                    wideFilter8x32(xg, x0, channelStride, offsets, count * area, dyT, o0, m, tmp);
                                } else {
                                    wideFilter16x16(xg, x0, channelStride, offsets, count * area, dyT, o0, m, tmp);
                                }
                                for (int u = 0; u < bc; u++) {
                                    for (int o = 0; o < bw; o++) {
                                        mine[((o0 + o) * c + c0 + u) * 9 + k] += tmp[u * bw + o];
                                    }
                                }
                            }
                        }
                    }
                }
                partial[chunk] = mine;
            }
        });
        sumInOrder(partial, dw, m * c * 9);
        JavaKernels.biasGradient(g, dy, dbias);
    }

    /**
     * tmp[i·64 + o] = Σ over the group's kept positions of dyT[.., o] · x[channel i][.. + tap]: 4 input
     * channels (planes {@code cs} apart from x0) × 64 output channels, for one tap.
     */
    private static void wideFilter4x64(float[] xg, int x0, int cs, int[] offsets, int count, float[] dyT, int d0,
                                        int m, float[] tmp) {
        FloatVector z = FloatVector.zero(W);
        FloatVector a0_0 = z;
        FloatVector a0_1 = z;
        FloatVector a0_2 = z;
        FloatVector a0_3 = z;
        FloatVector a1_0 = z;
        FloatVector a1_1 = z;
        FloatVector a1_2 = z;
        FloatVector a1_3 = z;
        FloatVector a2_0 = z;
        FloatVector a2_1 = z;
        FloatVector a2_2 = z;
        FloatVector a2_3 = z;
        FloatVector a3_0 = z;
        FloatVector a3_1 = z;
        FloatVector a3_2 = z;
        FloatVector a3_3 = z;
        for (int t = 0, d = d0; t < count; t++, d += m) {
            int s = x0 + offsets[t];
            FloatVector y0 = FloatVector.fromArray(W, dyT, d + 0);
            FloatVector y1 = FloatVector.fromArray(W, dyT, d + 16);
            FloatVector y2 = FloatVector.fromArray(W, dyT, d + 32);
            FloatVector y3 = FloatVector.fromArray(W, dyT, d + 48);
            FloatVector x = FloatVector.broadcast(W, xg[s + 0 * cs]);
            a0_0 = y0.fma(x, a0_0);
            a0_1 = y1.fma(x, a0_1);
            a0_2 = y2.fma(x, a0_2);
            a0_3 = y3.fma(x, a0_3);
            x = FloatVector.broadcast(W, xg[s + 1 * cs]);
            a1_0 = y0.fma(x, a1_0);
            a1_1 = y1.fma(x, a1_1);
            a1_2 = y2.fma(x, a1_2);
            a1_3 = y3.fma(x, a1_3);
            x = FloatVector.broadcast(W, xg[s + 2 * cs]);
            a2_0 = y0.fma(x, a2_0);
            a2_1 = y1.fma(x, a2_1);
            a2_2 = y2.fma(x, a2_2);
            a2_3 = y3.fma(x, a2_3);
            x = FloatVector.broadcast(W, xg[s + 3 * cs]);
            a3_0 = y0.fma(x, a3_0);
            a3_1 = y1.fma(x, a3_1);
            a3_2 = y2.fma(x, a3_2);
            a3_3 = y3.fma(x, a3_3);
        }
        a0_0.intoArray(tmp, 0);
        a0_1.intoArray(tmp, 16);
        a0_2.intoArray(tmp, 32);
        a0_3.intoArray(tmp, 48);
        a1_0.intoArray(tmp, 64);
        a1_1.intoArray(tmp, 80);
        a1_2.intoArray(tmp, 96);
        a1_3.intoArray(tmp, 112);
        a2_0.intoArray(tmp, 128);
        a2_1.intoArray(tmp, 144);
        a2_2.intoArray(tmp, 160);
        a2_3.intoArray(tmp, 176);
        a3_0.intoArray(tmp, 192);
        a3_1.intoArray(tmp, 208);
        a3_2.intoArray(tmp, 224);
        a3_3.intoArray(tmp, 240);
    }

    /**
     * tmp[i·32 + o] = Σ over the group's kept positions of dyT[.., o] · x[channel i][.. + tap]: 8 input
     * channels (planes {@code cs} apart from x0) × 32 output channels, for one tap.
     */
    private static void wideFilter8x32(float[] xg, int x0, int cs, int[] offsets, int count, float[] dyT, int d0,
                                        int m, float[] tmp) {
        FloatVector z = FloatVector.zero(W);
        FloatVector a0_0 = z;
        FloatVector a0_1 = z;
        FloatVector a1_0 = z;
        FloatVector a1_1 = z;
        FloatVector a2_0 = z;
        FloatVector a2_1 = z;
        FloatVector a3_0 = z;
        FloatVector a3_1 = z;
        FloatVector a4_0 = z;
        FloatVector a4_1 = z;
        FloatVector a5_0 = z;
        FloatVector a5_1 = z;
        FloatVector a6_0 = z;
        FloatVector a6_1 = z;
        FloatVector a7_0 = z;
        FloatVector a7_1 = z;
        for (int t = 0, d = d0; t < count; t++, d += m) {
            int s = x0 + offsets[t];
            FloatVector y0 = FloatVector.fromArray(W, dyT, d + 0);
            FloatVector y1 = FloatVector.fromArray(W, dyT, d + 16);
            FloatVector x = FloatVector.broadcast(W, xg[s + 0 * cs]);
            a0_0 = y0.fma(x, a0_0);
            a0_1 = y1.fma(x, a0_1);
            x = FloatVector.broadcast(W, xg[s + 1 * cs]);
            a1_0 = y0.fma(x, a1_0);
            a1_1 = y1.fma(x, a1_1);
            x = FloatVector.broadcast(W, xg[s + 2 * cs]);
            a2_0 = y0.fma(x, a2_0);
            a2_1 = y1.fma(x, a2_1);
            x = FloatVector.broadcast(W, xg[s + 3 * cs]);
            a3_0 = y0.fma(x, a3_0);
            a3_1 = y1.fma(x, a3_1);
            x = FloatVector.broadcast(W, xg[s + 4 * cs]);
            a4_0 = y0.fma(x, a4_0);
            a4_1 = y1.fma(x, a4_1);
            x = FloatVector.broadcast(W, xg[s + 5 * cs]);
            a5_0 = y0.fma(x, a5_0);
            a5_1 = y1.fma(x, a5_1);
            x = FloatVector.broadcast(W, xg[s + 6 * cs]);
            a6_0 = y0.fma(x, a6_0);
            a6_1 = y1.fma(x, a6_1);
            x = FloatVector.broadcast(W, xg[s + 7 * cs]);
            a7_0 = y0.fma(x, a7_0);
            a7_1 = y1.fma(x, a7_1);
        }
        a0_0.intoArray(tmp, 0);
        a0_1.intoArray(tmp, 16);
        a1_0.intoArray(tmp, 32);
        a1_1.intoArray(tmp, 48);
        a2_0.intoArray(tmp, 64);
        a2_1.intoArray(tmp, 80);
        a3_0.intoArray(tmp, 96);
        a3_1.intoArray(tmp, 112);
        a4_0.intoArray(tmp, 128);
        a4_1.intoArray(tmp, 144);
        a5_0.intoArray(tmp, 160);
        a5_1.intoArray(tmp, 176);
        a6_0.intoArray(tmp, 192);
        a6_1.intoArray(tmp, 208);
        a7_0.intoArray(tmp, 224);
        a7_1.intoArray(tmp, 240);
    }

    /**
     * tmp[i·16 + o] = Σ over the group's kept positions of dyT[.., o] · x[channel i][.. + tap]: 16 input
     * channels (planes {@code cs} apart from x0) × 16 output channels, for one tap.
     */
    private static void wideFilter16x16(float[] xg, int x0, int cs, int[] offsets, int count, float[] dyT, int d0,
                                        int m, float[] tmp) {
        FloatVector z = FloatVector.zero(W);
        FloatVector a0_0 = z;
        FloatVector a1_0 = z;
        FloatVector a2_0 = z;
        FloatVector a3_0 = z;
        FloatVector a4_0 = z;
        FloatVector a5_0 = z;
        FloatVector a6_0 = z;
        FloatVector a7_0 = z;
        FloatVector a8_0 = z;
        FloatVector a9_0 = z;
        FloatVector a10_0 = z;
        FloatVector a11_0 = z;
        FloatVector a12_0 = z;
        FloatVector a13_0 = z;
        FloatVector a14_0 = z;
        FloatVector a15_0 = z;
        for (int t = 0, d = d0; t < count; t++, d += m) {
            int s = x0 + offsets[t];
            FloatVector y0 = FloatVector.fromArray(W, dyT, d + 0);
            FloatVector x = FloatVector.broadcast(W, xg[s + 0 * cs]);
            a0_0 = y0.fma(x, a0_0);
            x = FloatVector.broadcast(W, xg[s + 1 * cs]);
            a1_0 = y0.fma(x, a1_0);
            x = FloatVector.broadcast(W, xg[s + 2 * cs]);
            a2_0 = y0.fma(x, a2_0);
            x = FloatVector.broadcast(W, xg[s + 3 * cs]);
            a3_0 = y0.fma(x, a3_0);
            x = FloatVector.broadcast(W, xg[s + 4 * cs]);
            a4_0 = y0.fma(x, a4_0);
            x = FloatVector.broadcast(W, xg[s + 5 * cs]);
            a5_0 = y0.fma(x, a5_0);
            x = FloatVector.broadcast(W, xg[s + 6 * cs]);
            a6_0 = y0.fma(x, a6_0);
            x = FloatVector.broadcast(W, xg[s + 7 * cs]);
            a7_0 = y0.fma(x, a7_0);
            x = FloatVector.broadcast(W, xg[s + 8 * cs]);
            a8_0 = y0.fma(x, a8_0);
            x = FloatVector.broadcast(W, xg[s + 9 * cs]);
            a9_0 = y0.fma(x, a9_0);
            x = FloatVector.broadcast(W, xg[s + 10 * cs]);
            a10_0 = y0.fma(x, a10_0);
            x = FloatVector.broadcast(W, xg[s + 11 * cs]);
            a11_0 = y0.fma(x, a11_0);
            x = FloatVector.broadcast(W, xg[s + 12 * cs]);
            a12_0 = y0.fma(x, a12_0);
            x = FloatVector.broadcast(W, xg[s + 13 * cs]);
            a13_0 = y0.fma(x, a13_0);
            x = FloatVector.broadcast(W, xg[s + 14 * cs]);
            a14_0 = y0.fma(x, a14_0);
            x = FloatVector.broadcast(W, xg[s + 15 * cs]);
            a15_0 = y0.fma(x, a15_0);
        }
        a0_0.intoArray(tmp, 0);
        a1_0.intoArray(tmp, 16);
        a2_0.intoArray(tmp, 32);
        a3_0.intoArray(tmp, 48);
        a4_0.intoArray(tmp, 64);
        a5_0.intoArray(tmp, 80);
        a6_0.intoArray(tmp, 96);
        a7_0.intoArray(tmp, 112);
        a8_0.intoArray(tmp, 128);
        a9_0.intoArray(tmp, 144);
        a10_0.intoArray(tmp, 160);
        a11_0.intoArray(tmp, 176);
        a12_0.intoArray(tmp, 192);
        a13_0.intoArray(tmp, 208);
        a14_0.intoArray(tmp, 224);
        a15_0.intoArray(tmp, 240);
    }
}
