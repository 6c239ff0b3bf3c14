package dev.netlens.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct forward convolution for layers with few input channels and many output channels — the
 * stems of image networks, such as ResNet's 7×7 stride-2 3 → 64 convolution or VGG's 3×3 3 → 64
 * one — on the Vector API, with the vectors along the output channels and the input values
 * broadcast, as in the direct convolution kernels of oneDNN for such layers (its "nchw to
 * nChw16c" forward kernels). im2col + GEMM spends about a third of its time on these layers
 * building the column matrix (one row per input channel and tap: 147 rows of the output's size for
 * ResNet's stem) and runs its GEMM with only 64 rows; here nothing is copied but a zero-padded
 * image.
 *
 * <p>The kernel keeps 6 output positions of one row × 4 vectors of output channels in 24
 * accumulators and, per input channel and tap, loads 4 weight vectors and broadcasts 6 input
 * values (consecutive positions are {@code strideWidth} floats apart in the padded image): 24
 * multiply-adds per 10 loads. Each output is the sum over input channels and taps in the same
 * order, one fused multiply-add each, whatever its position: so positions whose receptive fields
 * hold equal values get bit-equal outputs. A row's results, [position][channel], are transposed
 * into the output planes with gathers. Rows of all images are spread over the threads, each
 * thread padding the images of its rows into its own scratch; results do not depend on the thread
 * count. Loaded only when the Vector API is present ({@link Simd});
 * {@link DirectConvChoice#forStem} decides when it runs.
 *
 * <p>Reference: K. Chellapilla, S. Puri, P. Simard, "High Performance Convolutional Neural
 * Networks for Document Processing" (2006), for the im2col formulation it replaces; the register
 * blocking follows Georganas et al., "Anatomy of High-Performance Deep Learning Convolutions on
 * SIMD Architectures" (SC 2018).
 */
final class StemConv {
    /** The vector width of the other direct kernels ({@link Simd}: one width per JVM). */
    private static final VectorSpecies<Float> S = Simd.WIDE && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int LANES = S.length();
    /** Output channels per block: 4 vectors. */
    static final int CHANNEL_BLOCK = 4 * LANES;
    /** Output positions per kernel call. */
    static final int RUN = 6;
    /** Gather map of one vector of a channel's consecutive positions in a row block. */
    private static final int[] ACROSS = across();

    /**
     * Whether this CPU has 32 vector registers (AVX-512, at either vector width): the kernel keeps
     * 24 accumulators, 4 weight vectors and a broadcast live, which would spill on AVX2's 16.
     */
    static final boolean SUPPORTED = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

    /** Per-thread scratch: 0 the row block, 1 one zero-padded image. */
    private static final ThreadScratch SCRATCH = new ThreadScratch(2);

    private StemConv() {
    }

    private static int[] across() {
        int[] m = new int[LANES];
        for (int i = 0; i < LANES; i++) {
            m[i] = i * CHANNEL_BLOCK;
        }
        return m;
    }

    /** y ← conv(x, w) + bias (bias may be null), for a geometry {@link DirectConvChoice#forStem} accepts. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        final int c = g.inChannels;
        final int wp = g.inWidth + g.padLeft + g.padRight;
        final int hp = g.inHeight + g.padTop + g.padBottom;
        final int plane = hp * wp;
        final int image = c * plane;
        final int taps = c * g.kernelHeight * g.kernelWidth;
        final int[] xoff = new int[taps];
        for (int ci = 0; ci < c; ci++) {
            for (int i = 0; i < g.kernelHeight; i++) {
                for (int j = 0; j < g.kernelWidth; j++) {
                    xoff[(ci * g.kernelHeight + i) * g.kernelWidth + j] = ci * plane + i * g.dilationHeight * wp
                            + j * g.dilationWidth;
                }
            }
        }
        final int m = g.outChannels;
        final int blocks = (m + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
        final float[] packed = pack(w, m, taps, blocks);
        final int oh = g.outHeight;
        final int ow = g.outWidth;
        final int sw = g.strideWidth;
        Parallel.range(g.batch * oh, 1, (from, to) -> {
            float[] row = scratch(0, ow * CHANNEL_BLOCK);
            float[] xp = scratch(1, image);
            int padded = -1;
            for (int q = from; q < to; q++) {
                int n = q / oh;
                int r = q % oh;
                if (n != padded) {
                    pad(g, x, n, xp, wp, plane);
                    padded = n;
                }
                int base = r * g.strideHeight * wp;
                for (int b = 0; b < blocks; b++) {
                    int wb = b * taps * CHANNEL_BLOCK;
                    for (int c0 = 0; c0 < ow; c0 += RUN) {
                        int o0 = Math.min(c0, ow - RUN);
                        kernel(xp, packed, wb, xoff, taps, base + o0 * sw, sw, row, o0 * CHANNEL_BLOCK);
                    }
                    int m0 = b * CHANNEL_BLOCK;
                    store(row, ow, m0, Math.min(CHANNEL_BLOCK, m - m0), bias, y, ((n * m + m0) * oh + r) * ow, oh * ow);
                }
            }
        });
    }

    /** Filters packed [block][tap][{@link #CHANNEL_BLOCK}], zero for channels past the last. */
    private static float[] pack(float[] w, int m, int taps, int blocks) {
        float[] p = new float[blocks * taps * CHANNEL_BLOCK];
        for (int o = 0; o < m; o++) {
            int b = o / CHANNEL_BLOCK;
            int j = o % CHANNEL_BLOCK;
            for (int t = 0; t < taps; t++) {
                p[(b * taps + t) * CHANNEL_BLOCK + j] = w[o * taps + t];
            }
        }
        return p;
    }

    private static float[] scratch(int slot, int size) {
        return SCRATCH.get(slot, size);
    }

    /**
     * Copies image n of x into xp as zero-padded planes of width wp, {@code plane} floats apart. The
     * borders are written as zeros each time: the scratch array holds the last image's values.
     */
    private static void pad(ConvGeometry g, float[] x, int n, float[] xp, int wp, int plane) {
        int h = g.inHeight;
        int w = g.inWidth;
        for (int ci = 0; ci < g.inChannels; ci++) {
            int src = (n * g.inChannels + ci) * h * w;
            int dst = ci * plane;
            java.util.Arrays.fill(xp, dst, dst + g.padTop * wp, 0f);
            for (int y = 0; y < h; y++) {
                int row = dst + (g.padTop + y) * wp;
                java.util.Arrays.fill(xp, row, row + g.padLeft, 0f);
                System.arraycopy(x, src + y * w, xp, row + g.padLeft, w);
                java.util.Arrays.fill(xp, row + g.padLeft + w, row + wp, 0f);
            }
            java.util.Arrays.fill(xp, dst + (g.padTop + h) * wp, dst + plane, 0f);
        }
    }

    /**
     * y[d + o·plane + u] = row[u·{@link #CHANNEL_BLOCK} + o] (+ bias[m0 + o]) for the block's
     * {@code count} channels o and the row's {@code ow} positions u.
     */
    private static void store(float[] row, int ow, int m0, int count, float[] bias, float[] y, int d, int plane) {
        for (int o = 0; o < count; o++) {
            float add = bias == null ? 0f : bias[m0 + o];
            FloatVector bv = FloatVector.broadcast(S, add);
            int q = d + o * plane;
            int u = 0;
            for (; u <= ow - LANES; u += LANES) {
                FloatVector.fromArray(S, row, u * CHANNEL_BLOCK + o, ACROSS, 0).add(bv).intoArray(y, q + u);
            }
            for (; u < ow; u++) {
                y[q + u] = row[u * CHANNEL_BLOCK + o] + add;
            }
        }
    }

    /**
     * {@link #RUN} positions p, p + step, … × {@link #CHANNEL_BLOCK} channels of block wb:
     * out[t + u·CHANNEL_BLOCK + o] = Σ_j pw[wb + j·CHANNEL_BLOCK + o] · xp[p + u·step + xoff[j]].
     */
    private static void kernel(float[] xp, float[] pw, int wb, int[] xoff, int taps, int p, int step, float[] out,
                               int t) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z;
        FloatVector a01 = z;
        FloatVector a02 = z;
        FloatVector a03 = z;
        FloatVector a10 = z;
        FloatVector a11 = z;
        FloatVector a12 = z;
        FloatVector a13 = z;
        FloatVector a20 = z;
        FloatVector a21 = z;
        FloatVector a22 = z;
        FloatVector a23 = z;
        FloatVector a30 = z;
        FloatVector a31 = z;
        FloatVector a32 = z;
        FloatVector a33 = z;
        FloatVector a40 = z;
        FloatVector a41 = z;
        FloatVector a42 = z;
        FloatVector a43 = z;
        FloatVector a50 = z;
        FloatVector a51 = z;
        FloatVector a52 = z;
        FloatVector a53 = z;
        for (int j = 0; j < taps; j++) {
            int s = p + xoff[j];
            int wi = wb + j * CHANNEL_BLOCK;
            FloatVector w0 = FloatVector.fromArray(S, pw, wi);
            FloatVector w1 = FloatVector.fromArray(S, pw, wi + LANES);
            FloatVector w2 = FloatVector.fromArray(S, pw, wi + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(S, pw, wi + 3 * LANES);
            FloatVector v = FloatVector.broadcast(S, xp[s]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            a02 = w2.fma(v, a02);
            a03 = w3.fma(v, a03);
            v = FloatVector.broadcast(S, xp[s + step]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            a12 = w2.fma(v, a12);
            a13 = w3.fma(v, a13);
            v = FloatVector.broadcast(S, xp[s + 2 * step]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            a22 = w2.fma(v, a22);
            a23 = w3.fma(v, a23);
            v = FloatVector.broadcast(S, xp[s + 3 * step]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
            a32 = w2.fma(v, a32);
            a33 = w3.fma(v, a33);
            v = FloatVector.broadcast(S, xp[s + 4 * step]);
            a40 = w0.fma(v, a40);
            a41 = w1.fma(v, a41);
            a42 = w2.fma(v, a42);
            a43 = w3.fma(v, a43);
            v = FloatVector.broadcast(S, xp[s + 5 * step]);
            a50 = w0.fma(v, a50);
            a51 = w1.fma(v, a51);
            a52 = w2.fma(v, a52);
            a53 = w3.fma(v, a53);
        }
        int c = CHANNEL_BLOCK;
        a00.intoArray(out, t);
        a01.intoArray(out, t + LANES);
        a02.intoArray(out, t + 2 * LANES);
        a03.intoArray(out, t + 3 * LANES);
        a10.intoArray(out, t + c);
        a11.intoArray(out, t + c + LANES);
        a12.intoArray(out, t + c + 2 * LANES);
        a13.intoArray(out, t + c + 3 * LANES);
        a20.intoArray(out, t + 2 * c);
        a21.intoArray(out, t + 2 * c + LANES);
        a22.intoArray(out, t + 2 * c + 2 * LANES);
        a23.intoArray(out, t + 2 * c + 3 * LANES);
        a30.intoArray(out, t + 3 * c);
        a31.intoArray(out, t + 3 * c + LANES);
        a32.intoArray(out, t + 3 * c + 2 * LANES);
        a33.intoArray(out, t + 3 * c + 3 * LANES);
        a40.intoArray(out, t + 4 * c);
        a41.intoArray(out, t + 4 * c + LANES);
        a42.intoArray(out, t + 4 * c + 2 * LANES);
        a43.intoArray(out, t + 4 * c + 3 * LANES);
        a50.intoArray(out, t + 5 * c);
        a51.intoArray(out, t + 5 * c + LANES);
        a52.intoArray(out, t + 5 * c + 2 * LANES);
        a53.intoArray(out, t + 5 * c + 3 * LANES);
    }

    /** Calls the kernel {@code calls} times on the smallest input it takes, so that the JIT compiles it. */
    static void warmUp(int calls) {
        float[] xp = new float[64];
        float[] pw = new float[CHANNEL_BLOCK];
        int positions = Math.max(RUN, LANES);
        float[] out = new float[positions * CHANNEL_BLOCK];
        int[] xoff = {0};
        for (int i = 0; i < calls; i++) {
            kernel(xp, pw, 0, xoff, 1, 0, 1, out, 0);
        }
        float[] y = new float[positions * CHANNEL_BLOCK];
        for (int i = 0; i < calls / 10; i++) {
            store(out, positions, 0, CHANNEL_BLOCK, null, y, 0, positions);
        }
    }
}
