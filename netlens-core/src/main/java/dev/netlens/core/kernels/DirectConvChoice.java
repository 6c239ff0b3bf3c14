package dev.netlens.core.kernels;

/**
 * When {@link DirectConv} computes a convolution instead of im2col + GEMM. Kept apart from the
 * kernels, which use the Vector API: this class loads without {@code jdk.incubator.vector}, and
 * the kernels' class is loaded only when {@link Simd#ENABLED} (a JVM without the module runs the
 * GEMM path).
 */
final class DirectConvChoice {
    private DirectConvChoice() {
    }

    /**
     * Whether a forward pass is computed by {@link DirectConv} rather than by im2col + GEMM: the Vector API is
     * available (and {@code netlens.direct} is not {@code off}), the geometry {@link #applies}, and
     * the layer is thin — at most 64 channels on either side, at least 8 on both — in a batch of at
     * least {@link #MIN_BATCH} images. Measured at batch
     * 128, 2 threads (forward, im2col + GEMM vs direct, ms): 16→16 at 28² 6.3–6.5 vs 3.1–3.2, 32→32
     * at 14² 4.5–5.1 vs 3.1–3.2, 64→64 at 7² 5.1–5.4 vs 3.4–3.5, stride 2 16→32 from 28² 3.4–3.7 vs
     * 2.1–2.3; 1→16 at 28² 0.9 vs 1.5; with 128 and 256 channels (batch 32) equal. Convolutions
     * whose filters Winograd transforms (declared constant, enough tiles) go there first.
     */
    static boolean forForward(ConvGeometry g) {
        return enabled() && large(g) && applies(g) && thin(g.inChannels, g.outChannels);
    }

    /**
     * Fewest images for the direct kernels. Until the JIT has compiled them, Vector API code runs
     * boxed and many times slower than im2col + GEMM (OpenBLAS is native from the first call): a
     * one-shot `netlens attribute` of integrated gradients on the bundled model took 0.9–1.0 s
     * instead of 0.5 s with them at its internal batch of 16. Training batches (and other long
     * batched runs) repay that warm-up; single images and small batches keep the GEMM path. A rule
     * on the shape alone, so the path taken never depends on timing.
     */
    static final int MIN_BATCH = 32;

    /**
     * As {@link #forForward} for the data gradient (the same kernel with in and out swapped). Stride 2
     * only on the wide kernels ({@link DirectConv#wideStridedData}): there the four sub-pixel phases
     * beat im2col + GEMM (batch 128, 2 threads, medians of 40 alternating calls, three runs, ms:
     * 16→32 from 28² 3.0–3.7 vs 4.4–4.7, 32→64 from 14² 2.2–2.6 vs 3.0–3.2); on the 4-channel
     * kernel the same decomposition was no faster (16→32: 3.2 vs 3.3 ms; 32→64: 3.0 vs 2.6 ms).
     */
    static boolean forData(ConvGeometry g) {
        return enabled() && large(g) && applies(g) && thin(g.outChannels, g.inChannels)
                && (g.strideHeight == 1 || DirectConv.wideStridedData(g));
    }

    /**
     * Whether the filter gradient is computed by {@link DirectConv}: at most 4096 (in × out) filters. Measured at
     * batch 128, 2 threads (im2col + GEMM vs direct, ms): 16→16 at 28² 6.3–6.6 vs 3.6–3.8, 32→32 at
     * 14² 4.8–5.3 vs 3.7–4.1, stride 2 16→32 from 28² 3.9–4.4 vs 2.4–2.5, 1→16 at 28² 1.7 vs 1.0,
     * 64→64 at 7² 4.5–5.8 vs 4.5–4.9; but 128→128 at 28² (batch 32) 47 vs 52 and 256→256 at 14² 46
     * vs 64, where the GEMM's long inner dimension wins.
     */
    static boolean forFilter(ConvGeometry g) {
        return enabled() && large(g) && applies(g) && (long) g.inChannels * g.outChannels <= 4096;
    }

    /**
     * Whether a forward pass is computed by {@link StemConv}: the Vector API is available (and
     * {@code netlens.direct} is not {@code off}), the CPU has AVX-512's 32 vector registers
     * ({@link StemConv#SUPPORTED}), no groups, at most {@link #STEM_CHANNELS} input channels, output
     * channels a whole number of the kernel's channel blocks (32 with 8-float vectors, 64 with
     * 16-float ones) and output rows of at least 6 positions. Any batch: with so few input channels
     * the GEMM of im2col has few rows (the output channels) and spends much of its time on the
     * column matrix at every batch (ResNet-18's stem at batch 1, 2 threads, in the network:
     * 2.7–2.8 ms with im2col + GEMM, 1.9 with this kernel at 8 floats, 1.7 at 16).
     */
    static boolean forStem(ConvGeometry g) {
        return enabled() && g.groups == 1 && g.inChannels <= STEM_CHANNELS && g.outWidth >= 6 && StemConv.SUPPORTED
                && g.outChannels % StemConv.CHANNEL_BLOCK == 0;
    }

    /**
     * Whether a single image's convolution is computed by {@link ChannelBlockGemm} (forward with
     * {@code rows} = output channels, data gradient with {@code rows} = input channels × taps):
     * the Vector API and AVX-512's 32 registers are there ({@link ChannelBlockKernel#SUPPORTED}),
     * no groups, fewer images than threads (each phase is then parallel — else each thread runs
     * whole images through OpenBLAS), filters declared constant (their packing is cached), at
     * least {@link ChannelBlockKernel#RUN} and at most {@link #MAX_POSITIONS} output positions,
     * rows padded to whole blocks by at most a third, and (taps × positions) at most
     * {@link #COLUMN_FLOATS} floats. Measured on ResNet-18 at batch 1, 2 threads: see
     * {@link ChannelBlockGemm}. The system property {@code netlens.columns=off} turns it off, for
     * comparisons.
     */
    static boolean forColumns(ConvGeometry g, float[] w, int rows) {
        int threads = Parallel.threads();
        return enabled() && !"off".equals(System.getProperty("netlens.columns")) && g.groups == 1
                && threads > 1 && g.batch < threads && ChannelBlockKernel.SUPPORTED
                && ConstantArrays.isDeclared(w) && g.outArea() >= ChannelBlockKernel.RUN
                && g.outArea() <= MAX_POSITIONS && (long) g.colRows() * g.outArea() <= COLUMN_FLOATS
                && 3L * roundUp(rows, ChannelBlockKernel.CHANNEL_BLOCK) <= 4L * rows;
    }

    /** Largest column matrix {@link #forColumns} takes (4 MB). */
    static final long COLUMN_FLOATS = 1L << 20;

    /**
     * Most output positions {@link #forColumns} takes: with more columns OpenBLAS's repacking of
     * the filters is spread thin enough (196 and 784 positions measured slower here).
     */
    static final int MAX_POSITIONS = 64;

    private static long roundUp(int n, int block) {
        return (long) (n + block - 1) / block * block;
    }

    /** Most input channels {@link #forStem} takes. */
    static final int STEM_CHANNELS = 4;

    private static boolean thin(int in, int out) {
        return in >= 8 && out >= 8 && in <= 64 && out <= 64;
    }

    static boolean enabled() {
        return Simd.ENABLED && !"off".equals(System.getProperty("netlens.direct"));
    }

    private static boolean large(ConvGeometry g) {
        return g.batch >= MIN_BATCH;
    }

    /**
     * Whether the geometry is one {@link DirectConv} computes: 3×3, the same stride 1 or 2 on both axes
     * (data gradients of stride 2: see {@link #forData}), no dilation, no groups, pads at most 2.
     */
    static boolean applies(ConvGeometry g) {
        return g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideHeight == g.strideWidth
                && (g.strideHeight == 1 || g.strideHeight == 2)
                && g.dilationHeight == 1 && g.dilationWidth == 1 && g.groups == 1
                && g.padTop <= 2 && g.padLeft <= 2 && g.padBottom <= 2 && g.padRight <= 2
                && g.outHeight >= 1 && g.outWidth >= 1;
    }
}
