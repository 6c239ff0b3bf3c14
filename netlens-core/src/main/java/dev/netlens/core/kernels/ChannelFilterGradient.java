package dev.netlens.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The filter gradient of a 3×3 convolution with 16, 32, 48 or 64 input channels, on 16-float vectors along
 * the input channels: dW[m][c][kh][kw] = Σ over images and output positions of
 * dY[n][m][r][q] · X[n][c][r·s + kh − padTop][q·s + kw − padLeft].
 *
 * <p><b>How.</b> Each chunk of images is copied into a zero-padded channels-last layout
 * ([image][row][column][channel]), where the input channels under one tap of one output position
 * are one or two whole vectors. A kernel then keeps, for one kernel row (3 taps) and a block of
 * output channels, all 24 accumulators in registers over every position of the chunk: per
 * position it loads the 3 (or 6) input vectors once and broadcasts one dY value per output
 * channel, 24 fused multiply-adds for 11 (or 10) loads. Where {@link DirectConv}'s row kernel
 * reduced along positions (12 FMAs for 7 loads, three of them misaligned, and zero-padded
 * positions computed too) and its output-channel kernels broadcast one input value per two FMAs,
 * this measured at batch 128, 2 threads (medians, ms): 16 → 16 at 28² 5.5–6.3 → 3.5–3.9, stride 2
 * 16 → 32 from 28² 4.1–4.4 → 2.4–2.9, 32 → 32 at 14² 5.1–6.0 → 2.7–2.8 (scratch harness, with
 * a scalar copy). Gathering each position's channels as one vector for the copy (instead of
 * scalar stores) and zeroing only the padding took them a further 6–9 %: 16 → 16 2.9 → 2.7,
 * 32 → 32 2.5 → 2.4.
 *
 * <p><b>Sums.</b> Each chunk of {@link DirectConv#FILTER_CHUNK_IMAGES} images (fewer for large
 * images, see {@link #SCRATCH_FLOATS}) sums into its own partial filters — every lane over ranges
 * of {@link #RANGE_POSITIONS} positions in order, each range's sum added to the partial — and the
 * partials are added in chunk order, so the bits do not depend on the number of threads.
 *
 * <p>Only on the 512-bit kernels ({@link DirectConv#wide}); loaded only when the JVM has the
 * Vector API ({@link Simd}).
 */
final class ChannelFilterGradient {
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_512;
    private static final int LANES = 16;
    /** Floats of a kernel's result block: 24 accumulators. */
    private static final int BLOCK = 24 * LANES;

    /**
     * Positions a kernel call sums in float before its results are added to the chunk's partial
     * filters: as the other filter-gradient kernels ({@link DirectConv}'s output-channel kernels sum
     * 1024 positions, its row kernel up to 4096). Summing a whole chunk in one chain (12 544
     * positions at 28², 50 176 at 56²) measured 20–60× the relative error of those kernels
     * against a double reference (up to 1.1e-5 instead of 2e-7).
     */
    static final int RANGE_POSITIONS = 1024;

    /**
     * Most floats of channels-last images a thread's scratch holds: fewer than 16 images per chunk
     * when the images are large (a 16-channel 224² image is 817 000 floats), so that the scratch
     * stays at most 4 MB per thread.
     */
    static final int SCRATCH_FLOATS = 1 << 20;

    /** Per-thread scratch: 0 the chunk's channels-last input, 1 the kernel's results. */
    private static final ThreadScratch SCRATCH = new ThreadScratch(2);
    private static final ThreadLocal<int[][]> OFFSETS = ThreadLocal.withInitial(() -> new int[2][0]);

    private ChannelFilterGradient() {
    }

    /**
     * Whether this computes g's filter gradient: the 16-float kernels are on, and the input channels
     * are a multiple of 16 up to 64, with output channels a multiple of {@link #outputBlock}.
     */
    static boolean applies(ConvGeometry g) {
        int c = g.inChannels;
        return DirectConv.wide && c % 16 == 0 && c <= 64 && g.outChannels % outputBlock(c) == 0;
    }

    /** Output channels per kernel call: 4 with a multiple of 32 input channels (two vectors per tap), else 8. */
    private static int outputBlock(int inChannels) {
        return inChannels % 32 == 0 ? 4 : 8;
    }

    /** dW (overwritten) and the bias gradient when dbias is not null. */
    static void compute(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        final int c = g.inChannels;
        final int m = g.outChannels;
        final int s = g.strideHeight;
        final int wp = g.inWidth + g.padLeft + g.padRight;
        final int hp = g.inHeight + g.padTop + g.padBottom;
        final int image = hp * wp * c;
        final int oh = g.outHeight;
        final int ow = g.outWidth;
        final int area = oh * ow;
        final int mb = outputBlock(c);
        final int vw = 128 / mb;
        final int perChunk = Math.max(1, Math.min(DirectConv.FILTER_CHUNK_IMAGES, SCRATCH_FLOATS / image));
        final int chunks = (g.batch + perChunk - 1) / perChunk;
        final int most = (g.batch + chunks - 1) / chunks;
        final int[] planes = new int[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            planes[lane] = lane * g.inHeight * g.inWidth;
        }
        float[][] partial = new float[chunks][];
        Parallel.dynamic(chunks, 1, (fromChunk, toChunk) -> {
            float[] xT = scratch(0, most * image);
            float[] tmp = scratch(1, BLOCK);
            int[] xo = offsets(0, most * area);
            int[] yo = offsets(1, most * area);
            for (int chunk = fromChunk; chunk < toChunk; chunk++) {
                int n0 = (int) ((long) g.batch * chunk / chunks);
                int n1 = (int) ((long) g.batch * (chunk + 1) / chunks);
                int count = n1 - n0;
                for (int i = 0; i < count; i++) {
                    channelsLast(g, x, n0 + i, xT, i * image, wp, hp, planes);
                }
                for (int i = 0, t = 0; i < count; i++) {
                    for (int r = 0; r < oh; r++) {
                        for (int q = 0; q < ow; q++, t++) {
                            xo[t] = i * image + (r * s * wp + q * s) * c;
                            yo[t] = (n0 + i) * m * area + r * ow + q;
                        }
                    }
                }
                int positions = count * area;
                float[] mine = new float[m * c * 9];
                for (int m0 = 0; m0 < m; m0 += mb) {
                    for (int kh = 0; kh < 3; kh++) {
                        // vw input channels per call: the 3 taps' vectors of one or two 16-channel slices
                        for (int c0 = 0; c0 < c; c0 += vw) {
                            int xk = kh * wp * c + c0;
                            for (int t0 = 0; t0 < positions; t0 += RANGE_POSITIONS) {
                                int t1 = Math.min(positions, t0 + RANGE_POSITIONS);
                                if (vw == 16) {
                                    taps3x8(xT, xo, xk, c, dy, yo, m0 * area, area, t0, t1, tmp);
                                } else {
                                    taps6x4(xT, xo, xk, c, dy, yo, m0 * area, area, t0, t1, tmp);
                                }
                                // tmp[(j·3 + kw)·vw + lane]: output channel m0 + j, input channel c0 + lane
                                for (int j = 0; j < mb; j++) {
                                    for (int kw = 0; kw < 3; kw++) {
                                        int src = (j * 3 + kw) * vw;
                                        int dst = ((m0 + j) * c + c0) * 9 + kh * 3 + kw;
                                        for (int lane = 0; lane < vw; lane++) {
                                            mine[dst + lane * 9] += tmp[src + lane];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                partial[chunk] = mine;
            }
        });
        DirectConv.sumInOrder(partial, dw, m * c * 9);
        JavaKernels.biasGradient(g, dy, dbias);
    }

    /** One call of each kernel on one position ({@link DirectConvWarmup}); a, b and out hold 4096 floats. */
    static void warmUp(float[] a, float[] b, float[] out, int[] first) {
        taps3x8(a, first, 0, 16, b, first, 0, 1, 0, 1, out);
        taps6x4(a, first, 0, 32, b, first, 0, 1, 0, 1, out);
    }

    /**
     * Image n of x into xT at {@code at} as [row][column][channel] of the padded image, padding
     * zeroed: each position's channels gathered as one vector ({@code planes} holds c·plane for each
     * lane c of a 16-channel slice).
     */
    private static void channelsLast(ConvGeometry g, float[] x, int n, float[] xT, int at, int wp, int hp,
                                     int[] planes) {
        int c = g.inChannels;
        int h = g.inHeight;
        int w = g.inWidth;
        int plane = h * w;
        int src = n * c * plane;
        Arrays.fill(xT, at, at + g.padTop * wp * c, 0f);
        Arrays.fill(xT, at + (g.padTop + h) * wp * c, at + hp * wp * c, 0f);
        for (int r = 0; r < h; r++) {
            int row = at + (r + g.padTop) * wp * c;
            Arrays.fill(xT, row, row + g.padLeft * c, 0f);
            Arrays.fill(xT, row + (g.padLeft + w) * c, row + wp * c, 0f);
            int dst = row + g.padLeft * c;
            for (int q = 0; q < w; q++) {
                int from = src + r * w + q;
                for (int c0 = 0; c0 < c; c0 += LANES) {
                    FloatVector.fromArray(W, x, from + c0 * plane, planes, 0).intoArray(xT, dst + q * c + c0);
                }
            }
        }
    }

    private static float[] scratch(int slot, int size) {
        return SCRATCH.get(slot, size);
    }

    private static int[] offsets(int slot, int size) {
        int[][] s = OFFSETS.get();
        if (s[slot].length < size) {
            s[slot] = new int[size];
        }
        return s[slot];
    }

    /**
     * 16 input channels: tmp[(j·3 + kw)·16 + lane] = Σ_{from ≤ t < to} dy[yo[t] + ym + j·area] ·
     * xT[xo[t] + xk + kw·cs + lane] for output channels j &lt; 8 and the 3 taps of one kernel row
     * (taps {@code cs} floats apart: the number of input channels).
     */
    private static void taps3x8(float[] xT, int[] xo, int xk, int cs, float[] dy, int[] yo, int ym, int area,
                                int from, int to, float[] tmp) {
        FloatVector z = FloatVector.zero(W);
        FloatVector a00 = z;
        FloatVector a01 = z;
        FloatVector a02 = z;
        FloatVector a10 = z;
        FloatVector a11 = z;
        FloatVector a12 = z;
        FloatVector a20 = z;
        FloatVector a21 = z;
        FloatVector a22 = z;
        FloatVector a30 = z;
        FloatVector a31 = z;
        FloatVector a32 = z;
        FloatVector a40 = z;
        FloatVector a41 = z;
        FloatVector a42 = z;
        FloatVector a50 = z;
        FloatVector a51 = z;
        FloatVector a52 = z;
        FloatVector a60 = z;
        FloatVector a61 = z;
        FloatVector a62 = z;
        FloatVector a70 = z;
        FloatVector a71 = z;
        FloatVector a72 = z;
        for (int t = from; t < to; t++) {
            int xb = xo[t] + xk;
            int yb = yo[t] + ym;
            FloatVector x0 = FloatVector.fromArray(W, xT, xb);
            FloatVector x1 = FloatVector.fromArray(W, xT, xb + cs);
            FloatVector x2 = FloatVector.fromArray(W, xT, xb + 2 * cs);
            FloatVector d = FloatVector.broadcast(W, dy[yb]);
            a00 = x0.fma(d, a00);
            a01 = x1.fma(d, a01);
            a02 = x2.fma(d, a02);
            d = FloatVector.broadcast(W, dy[yb + area]);
            a10 = x0.fma(d, a10);
            a11 = x1.fma(d, a11);
            a12 = x2.fma(d, a12);
            d = FloatVector.broadcast(W, dy[yb + 2 * area]);
            a20 = x0.fma(d, a20);
            a21 = x1.fma(d, a21);
            a22 = x2.fma(d, a22);
            d = FloatVector.broadcast(W, dy[yb + 3 * area]);
            a30 = x0.fma(d, a30);
            a31 = x1.fma(d, a31);
            a32 = x2.fma(d, a32);
            d = FloatVector.broadcast(W, dy[yb + 4 * area]);
            a40 = x0.fma(d, a40);
            a41 = x1.fma(d, a41);
            a42 = x2.fma(d, a42);
            d = FloatVector.broadcast(W, dy[yb + 5 * area]);
            a50 = x0.fma(d, a50);
            a51 = x1.fma(d, a51);
            a52 = x2.fma(d, a52);
            d = FloatVector.broadcast(W, dy[yb + 6 * area]);
            a60 = x0.fma(d, a60);
            a61 = x1.fma(d, a61);
            a62 = x2.fma(d, a62);
            d = FloatVector.broadcast(W, dy[yb + 7 * area]);
            a70 = x0.fma(d, a70);
            a71 = x1.fma(d, a71);
            a72 = x2.fma(d, a72);
        }
        a00.intoArray(tmp, 0);
        a01.intoArray(tmp, 16);
        a02.intoArray(tmp, 32);
        a10.intoArray(tmp, 48);
        a11.intoArray(tmp, 64);
        a12.intoArray(tmp, 80);
        a20.intoArray(tmp, 96);
        a21.intoArray(tmp, 112);
        a22.intoArray(tmp, 128);
        a30.intoArray(tmp, 144);
        a31.intoArray(tmp, 160);
        a32.intoArray(tmp, 176);
        a40.intoArray(tmp, 192);
        a41.intoArray(tmp, 208);
        a42.intoArray(tmp, 224);
        a50.intoArray(tmp, 240);
        a51.intoArray(tmp, 256);
        a52.intoArray(tmp, 272);
        a60.intoArray(tmp, 288);
        a61.intoArray(tmp, 304);
        a62.intoArray(tmp, 320);
        a70.intoArray(tmp, 336);
        a71.intoArray(tmp, 352);
        a72.intoArray(tmp, 368);
    }

    /**
     * 32 input channels: tmp[(j·3 + kw)·32 + lane] = Σ_{from ≤ t < to} dy[yo[t] + ym + j·area] ·
     * xT[xo[t] + xk + kw·cs + lane] for output channels j &lt; 4 and the 3 taps of one kernel row
     * (taps {@code cs} floats apart: the number of input channels).
     */
    private static void taps6x4(float[] xT, int[] xo, int xk, int cs, float[] dy, int[] yo, int ym, int area,
                                int from, int to, float[] tmp) {
        FloatVector z = FloatVector.zero(W);
        FloatVector a00 = z;
        FloatVector a01 = z;
        FloatVector a02 = z;
        FloatVector a03 = z;
        FloatVector a04 = z;
        FloatVector a05 = z;
        FloatVector a10 = z;
        FloatVector a11 = z;
        FloatVector a12 = z;
        FloatVector a13 = z;
        FloatVector a14 = z;
        FloatVector a15 = z;
        FloatVector a20 = z;
        FloatVector a21 = z;
        FloatVector a22 = z;
        FloatVector a23 = z;
        FloatVector a24 = z;
        FloatVector a25 = z;
        FloatVector a30 = z;
        FloatVector a31 = z;
        FloatVector a32 = z;
        FloatVector a33 = z;
        FloatVector a34 = z;
        FloatVector a35 = z;
        for (int t = from; t < to; t++) {
            int xb = xo[t] + xk;
            int yb = yo[t] + ym;
            FloatVector x0 = FloatVector.fromArray(W, xT, xb);
            FloatVector x1 = FloatVector.fromArray(W, xT, xb + 16);
            FloatVector x2 = FloatVector.fromArray(W, xT, xb + cs);
            FloatVector x3 = FloatVector.fromArray(W, xT, xb + cs + 16);
            FloatVector x4 = FloatVector.fromArray(W, xT, xb + 2 * cs);
            FloatVector x5 = FloatVector.fromArray(W, xT, xb + 2 * cs + 16);
            FloatVector d = FloatVector.broadcast(W, dy[yb]);
            a00 = x0.fma(d, a00);
            a01 = x1.fma(d, a01);
            a02 = x2.fma(d, a02);
            a03 = x3.fma(d, a03);
            a04 = x4.fma(d, a04);
            a05 = x5.fma(d, a05);
            d = FloatVector.broadcast(W, dy[yb + area]);
            a10 = x0.fma(d, a10);
            a11 = x1.fma(d, a11);
            a12 = x2.fma(d, a12);
            a13 = x3.fma(d, a13);
            a14 = x4.fma(d, a14);
            a15 = x5.fma(d, a15);
            d = FloatVector.broadcast(W, dy[yb + 2 * area]);
            a20 = x0.fma(d, a20);
            a21 = x1.fma(d, a21);
            a22 = x2.fma(d, a22);
            a23 = x3.fma(d, a23);
            a24 = x4.fma(d, a24);
            a25 = x5.fma(d, a25);
            d = FloatVector.broadcast(W, dy[yb + 3 * area]);
            a30 = x0.fma(d, a30);
            a31 = x1.fma(d, a31);
            a32 = x2.fma(d, a32);
            a33 = x3.fma(d, a33);
            a34 = x4.fma(d, a34);
            a35 = x5.fma(d, a35);
        }
        a00.intoArray(tmp, 0);
        a01.intoArray(tmp, 16);
        a02.intoArray(tmp, 32);
        a03.intoArray(tmp, 48);
        a04.intoArray(tmp, 64);
        a05.intoArray(tmp, 80);
        a10.intoArray(tmp, 96);
        a11.intoArray(tmp, 112);
        a12.intoArray(tmp, 128);
        a13.intoArray(tmp, 144);
        a14.intoArray(tmp, 160);
        a15.intoArray(tmp, 176);
        a20.intoArray(tmp, 192);
        a21.intoArray(tmp, 208);
        a22.intoArray(tmp, 224);
        a23.intoArray(tmp, 240);
        a24.intoArray(tmp, 256);
        a25.intoArray(tmp, 272);
        a30.intoArray(tmp, 288);
        a31.intoArray(tmp, 304);
        a32.intoArray(tmp, 320);
        a33.intoArray(tmp, 336);
        a34.intoArray(tmp, 352);
        a35.intoArray(tmp, 368);
    }
}
