package dev.netlens.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The filter gradient of a 3×3 convolution with 16, 32, 48 or 64 input channels, on 16-float vectors along
 * the input channels: dW[m][c][kh][kw] = Σ over images and output positions of
 * dY[n][m][r][q] · X[n][c][r·s + kh − padTop][q·s + kw − padLeft].
 *
 * <p><b>How.</b> Each chunk of images is copied into a zero-padded channels-last layout, in
 * slices of as many channels as a kernel call takes ([image][slice][row][column][16 or 32]), where
 * the input channels under one tap of one output position are one or two whole vectors, and its
 * dY into [image][position][output channel]. A kernel then keeps, for one kernel row (3 taps) and a block of
 * output channels, all 24 accumulators in registers over every position of the chunk: per
 * position it loads the 3 (or 6) input vectors once and broadcasts one dY value per output
 * channel, 24 fused multiply-adds for 11 (or 10) loads. Where {@link DirectConv}'s row kernel
 * reduced along positions (12 FMAs for 7 loads, three of them misaligned, and zero-padded
 * positions computed too) and its output-channel kernels broadcast one input value per two FMAs,
 * this measured at batch 128, 2 threads (medians, ms): 16 → 16 at 28² 5.5–6.3 → 3.5–3.9, stride 2
 * 16 → 32 from 28² 4.1–4.4 → 2.4–2.9, 32 → 32 at 14² 5.1–6.0 → 2.7–2.8 (scratch harness, with
 * a scalar copy). Gathering each position's channels as one vector for the copy (instead of
 * scalar stores) and zeroing only the padding took them a further 6–9 %: 16 → 16 2.9 → 2.7,
 * 32 → 32 2.5 → 2.4. The slices (the taps of a kernel row a constant number of floats apart)
 * and dY by position (a block's output channels consecutive) let the JIT check each operand's
 * bounds once per position instead of once per load, and free the registers that held the
 * strides: the loop of {@link #taps6x4} went from about 95 instructions per 24 FMAs (spilling to
 * the stack) to 58, and the filter gradients (batch 128, 2 threads, medians of 6 alternating runs,
 * ms) 32 → 32 at 14² 2.78 → 2.53, 64 → 64 at 7² 2.83 → 2.63, stride 2 32 → 64 1.72 → 1.65; 16 → 16
 * at 28² (2.99 → 2.96) and 16 → 32 (1.79 → 1.81) stayed the same.
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
     * Most floats of channels-last images (and, separately, of dY by position) a thread's scratch
     * holds: fewer than 16 images per chunk when the images are large (a 16-channel 224² image is
     * 817 000 floats), so that each scratch stays at most 4 MB per thread unless one image's
     * planes (or its dY) alone are larger (chunks of one image then).
     */
    static final int SCRATCH_FLOATS = 1 << 20;

    /** Per-thread scratch: 0 the chunk's channels-last input, 1 the kernel's results, 2 the chunk's dY by position. */
    private static final ThreadScratch SCRATCH = new ThreadScratch(3);
    private static final ThreadLocal<int[][]> OFFSETS = ThreadLocal.withInitial(() -> new int[][] {new int[0]});

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
        final int perChunk = Math.max(1, Math.min(DirectConv.FILTER_CHUNK_IMAGES,
                Math.min(SCRATCH_FLOATS / image, SCRATCH_FLOATS / (area * m))));
        final int chunks = (g.batch + perChunk - 1) / perChunk;
        final int most = (g.batch + chunks - 1) / chunks;
        final int[] planes = new int[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            planes[lane] = lane * g.inHeight * g.inWidth;
        }
        final int[] across = new int[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            across[lane] = lane * area;
        }
        float[][] partial = new float[chunks][];
        Parallel.dynamic(chunks, 1, (fromChunk, toChunk) -> {
            float[] xT = scratch(0, most * image);
            float[] tmp = scratch(1, BLOCK);
            float[] dyT = scratch(2, most * area * m);
            int[] xo = offsets(most * area);
            for (int chunk = fromChunk; chunk < toChunk; chunk++) {
                int n0 = (int) ((long) g.batch * chunk / chunks);
                int n1 = (int) ((long) g.batch * (chunk + 1) / chunks);
                int count = n1 - n0;
                for (int i = 0; i < count; i++) {
                    channelsLast(g, x, n0 + i, xT, i * image, wp, hp, vw, planes);
                    positionsMajor(dy, n0 + i, m, area, dyT, i * area * m, across);
                }
                for (int i = 0, t = 0; i < count; i++) {
                    for (int r = 0; r < oh; r++) {
                        for (int q = 0; q < ow; q++, t++) {
                            xo[t] = i * image + (r * s * wp + q * s) * vw;
                        }
                    }
                }
                int positions = count * area;
                // the chunk's sums as the kernels leave them, one block of BLOCK floats per call
                // (m0, kh, c0), laid out [j][kw][lane]: added to by whole vectors, put in dW's
                // order once per chunk (measured: one scalar add per element per call, strided
                // across dW, took about 1.6 % of a training step's samples)
                float[] blocked = new float[m * c * 9];
                int slices = c / vw;
                // ranges of positions outermost, so that a range's input rows and dY are read from
                // the caches by every (m0, kh, c0) call; each block still sums its ranges in order
                // (the bits of the loop with ranges innermost; five resnet8 layers' filter gradients,
                // layer harness, medians of 6 alternating runs 11.44 -> 11.0 ms)
                for (int t0 = 0; t0 < positions; t0 += RANGE_POSITIONS) {
                    int t1 = Math.min(positions, t0 + RANGE_POSITIONS);
                    for (int m0 = 0; m0 < m; m0 += mb) {
                        for (int kh = 0; kh < 3; kh++) {
                            // vw input channels per call: the 3 taps' vectors of one slice of 16 or 32
                            for (int c0 = 0; c0 < c; c0 += vw) {
                                int xk = c0 * hp * wp + kh * wp * vw;
                                if (vw == 16) {
                                    taps3x8(xT, xo, xk, dyT, m, m0, t0, t1, tmp);
                                } else {
                                    taps6x4(xT, xo, xk, dyT, m, m0, t0, t1, tmp);
                                }
                                int at = blockAt(m0, kh, c0, mb, vw, slices);
                                for (int i = 0; i < BLOCK; i += LANES) {
                                    FloatVector.fromArray(W, blocked, at + i).add(FloatVector.fromArray(W, tmp, i))
                                            .intoArray(blocked, at + i);
                                }
                            }
                        }
                    }
                }
                partial[chunk] = unblockFilters(blocked, m, c, mb, vw);
            }
        });
        DirectConv.sumInOrder(partial, dw, m * c * 9);
        JavaKernels.biasGradient(g, dy, dbias);
    }

    /** Where the block of output channels m0, kernel row kh and input slice c0 starts in the blocked sums. */
    private static int blockAt(int m0, int kh, int c0, int mb, int vw, int slices) {
        return (((m0 / mb) * 3 + kh) * slices + c0 / vw) * BLOCK;
    }

    /**
     * dW's order [m][c][3][3] from the blocks of {@link #compute}: block (m0, kh, c0) holds
     * [(j·3 + kw)·vw + lane] for output channel m0 + j and input channel c0 + lane.
     */
    private static float[] unblockFilters(float[] blocked, int m, int c, int mb, int vw) {
        float[] dw = new float[m * c * 9];
        int slices = c / vw;
        for (int m0 = 0; m0 < m; m0 += mb) {
            for (int kh = 0; kh < 3; kh++) {
                for (int c0 = 0; c0 < c; c0 += vw) {
                    int at = blockAt(m0, kh, c0, mb, vw, slices);
                    for (int j = 0; j < mb; j++) {
                        for (int kw = 0; kw < 3; kw++) {
                            int src = at + (j * 3 + kw) * vw;
                            int dst = ((m0 + j) * c + c0) * 9 + kh * 3 + kw;
                            for (int lane = 0; lane < vw; lane++) {
                                dw[dst + lane * 9] = blocked[src + lane];
                            }
                        }
                    }
                }
            }
        }
        return dw;
    }

    /** One call of each kernel on one position ({@link DirectConvWarmup}); a, b and out hold 4096 floats. */
    static void warmUp(float[] a, float[] b, float[] out, int[] first) {
        taps3x8(a, first, 0, b, 8, 0, 0, 1, out);
        taps6x4(a, first, 0, b, 4, 0, 0, 1, out);
    }

    /**
     * Image n of x into xT at {@code at} as [slice][row][column][vw channels] of the padded image
     * (the input channels in slices of {@code vw}, 16 or 32), padding zeroed: each position's
     * channels gathered 16 at a time ({@code planes} holds c·plane for each lane c). Within a
     * slice the three taps of a kernel row lie {@code vw} floats apart, a constant for the kernels.
     */
    private static void channelsLast(ConvGeometry g, float[] x, int n, float[] xT, int at, int wp, int hp, int vw,
                                     int[] planes) {
        int c = g.inChannels;
        int h = g.inHeight;
        int w = g.inWidth;
        int plane = h * w;
        for (int c0 = 0; c0 < c; c0 += vw) {
            int slice = at + c0 * hp * wp;
            int src = (n * c + c0) * plane;
            Arrays.fill(xT, slice, slice + g.padTop * wp * vw, 0f);
            Arrays.fill(xT, slice + (g.padTop + h) * wp * vw, slice + hp * wp * vw, 0f);
            for (int r = 0; r < h; r++) {
                int row = slice + (r + g.padTop) * wp * vw;
                Arrays.fill(xT, row, row + g.padLeft * vw, 0f);
                Arrays.fill(xT, row + (g.padLeft + w) * vw, row + wp * vw, 0f);
                int dst = row + g.padLeft * vw;
                for (int q = 0; q < w; q++) {
                    int from = src + r * w + q;
                    for (int l = 0; l < vw; l += LANES) {
                        FloatVector.fromArray(W, x, from + l * plane, planes, 0).intoArray(xT, dst + q * vw + l);
                    }
                }
            }
        }
    }

    /**
     * Image n of dy ([m][area] planes) into dyT at {@code at} as [position][m]: the output channels
     * of one position consecutive, so a kernel's broadcasts for its block of output channels read
     * neighbouring floats at an offset linear in the position. 16 channels at a time by a gather
     * ({@code across}: lane i at i·area), the rest one by one.
     */
    private static void positionsMajor(float[] dy, int n, int m, int area, float[] dyT, int at, int[] across) {
        int src = n * m * area;
        int whole = m - m % LANES;
        for (int p = 0; p < area; p++) {
            int dst = at + p * m;
            int mm = 0;
            for (; mm < whole; mm += LANES) {
                FloatVector.fromArray(W, dy, src + mm * area + p, across, 0).intoArray(dyT, dst + mm);
            }
            for (; mm < m; mm++) {
                dyT[dst + mm] = dy[src + mm * area + p];
            }
        }
    }

    private static float[] scratch(int slot, int size) {
        return SCRATCH.get(slot, size);
    }

    /** The calling thread's array of at least {@code size} position offsets. */
    private static int[] offsets(int size) {
        int[][] s = OFFSETS.get();
        if (s[0].length < size) {
            s[0] = new int[size];
        }
        return s[0];
    }

    /**
     * 16 input channels (one slice of the [slice][row][column][16] layout): tmp[(j·3 + kw)·16 + lane] =
     * Σ_{from ≤ t < to} dyT[t·m + m0 + j] · xT[xo[t] + xk + kw·16 + lane] for output channels
     * j &lt; 8 and the 3 taps of one kernel row.
     */
    private static void taps3x8(float[] xT, int[] xo, int xk, float[] dyT, int m, int m0, int from, int to,
                                float[] tmp) {
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
            int yb = t * m + m0;
            FloatVector x0 = FloatVector.fromArray(W, xT, xb);
            FloatVector x1 = FloatVector.fromArray(W, xT, xb + 16);
            FloatVector x2 = FloatVector.fromArray(W, xT, xb + 32);
            FloatVector d = FloatVector.broadcast(W, dyT[yb]);
            a00 = x0.fma(d, a00);
            a01 = x1.fma(d, a01);
            a02 = x2.fma(d, a02);
            d = FloatVector.broadcast(W, dyT[yb + 1]);
            a10 = x0.fma(d, a10);
            a11 = x1.fma(d, a11);
            a12 = x2.fma(d, a12);
            d = FloatVector.broadcast(W, dyT[yb + 2]);
            a20 = x0.fma(d, a20);
            a21 = x1.fma(d, a21);
            a22 = x2.fma(d, a22);
            d = FloatVector.broadcast(W, dyT[yb + 3]);
            a30 = x0.fma(d, a30);
            a31 = x1.fma(d, a31);
            a32 = x2.fma(d, a32);
            d = FloatVector.broadcast(W, dyT[yb + 4]);
            a40 = x0.fma(d, a40);
            a41 = x1.fma(d, a41);
            a42 = x2.fma(d, a42);
            d = FloatVector.broadcast(W, dyT[yb + 5]);
            a50 = x0.fma(d, a50);
            a51 = x1.fma(d, a51);
            a52 = x2.fma(d, a52);
            d = FloatVector.broadcast(W, dyT[yb + 6]);
            a60 = x0.fma(d, a60);
            a61 = x1.fma(d, a61);
            a62 = x2.fma(d, a62);
            d = FloatVector.broadcast(W, dyT[yb + 7]);
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
     * 32 input channels (one slice of the [slice][row][column][32] layout): tmp[(j·3 + kw)·32 + lane] =
     * Σ_{from ≤ t < to} dyT[t·m + m0 + j] · xT[xo[t] + xk + kw·32 + lane] for output channels
     * j &lt; 4 and the 3 taps of one kernel row.
     */
    private static void taps6x4(float[] xT, int[] xo, int xk, float[] dyT, int m, int m0, int from, int to,
                                float[] tmp) {
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
            int yb = t * m + m0;
            FloatVector x0 = FloatVector.fromArray(W, xT, xb);
            FloatVector x1 = FloatVector.fromArray(W, xT, xb + 16);
            FloatVector x2 = FloatVector.fromArray(W, xT, xb + 32);
            FloatVector x3 = FloatVector.fromArray(W, xT, xb + 48);
            FloatVector x4 = FloatVector.fromArray(W, xT, xb + 64);
            FloatVector x5 = FloatVector.fromArray(W, xT, xb + 80);
            FloatVector d = FloatVector.broadcast(W, dyT[yb]);
            a00 = x0.fma(d, a00);
            a01 = x1.fma(d, a01);
            a02 = x2.fma(d, a02);
            a03 = x3.fma(d, a03);
            a04 = x4.fma(d, a04);
            a05 = x5.fma(d, a05);
            d = FloatVector.broadcast(W, dyT[yb + 1]);
            a10 = x0.fma(d, a10);
            a11 = x1.fma(d, a11);
            a12 = x2.fma(d, a12);
            a13 = x3.fma(d, a13);
            a14 = x4.fma(d, a14);
            a15 = x5.fma(d, a15);
            d = FloatVector.broadcast(W, dyT[yb + 2]);
            a20 = x0.fma(d, a20);
            a21 = x1.fma(d, a21);
            a22 = x2.fma(d, a22);
            a23 = x3.fma(d, a23);
            a24 = x4.fma(d, a24);
            a25 = x5.fma(d, a25);
            d = FloatVector.broadcast(W, dyT[yb + 3]);
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
