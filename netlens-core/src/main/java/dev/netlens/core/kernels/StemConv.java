package dev.netlens.core.kernels;

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
    /** Output channels per block ({@link ChannelBlockKernel#CHANNEL_BLOCK}). */
    static final int CHANNEL_BLOCK = ChannelBlockKernel.CHANNEL_BLOCK;
    /** Output positions per kernel call. */
    static final int RUN = ChannelBlockKernel.RUN;
    /** Whether this CPU has 32 vector registers ({@link ChannelBlockKernel#SUPPORTED}). */
    static final boolean SUPPORTED = ChannelBlockKernel.SUPPORTED;

    /** Per-thread scratch: 0 the row block, 1 one zero-padded image. */
    private static final ThreadScratch SCRATCH = new ThreadScratch(2);

    private StemConv() {
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
        final float[] packed = ChannelBlockKernel.packed(w, m, taps, false);
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
                        ChannelBlockKernel.kernel(xp, packed, wb, xoff, taps, base + o0 * sw, sw, row,
                                o0 * CHANNEL_BLOCK, false);
                    }
                    int m0 = b * CHANNEL_BLOCK;
                    ChannelBlockKernel.store(row, ow, m0, Math.min(CHANNEL_BLOCK, m - m0), bias, y,
                            ((n * m + m0) * oh + r) * ow, oh * ow);
                }
            }
        });
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
}
