package dev.netlens.core.kernels;

/**
 * Has the JIT compile the direct convolution kernels before a training run needs them. A kernel
 * runs in the interpreter until it has been called a few hundred times, and Vector API code there
 * (and in the first compiled tier) is many times slower than compiled: the first batch of a
 * {@code resnet8} run on Fashion-MNIST (batch 128, 2 threads) took 2.0–3.4 s against about 0.1 s
 * for later ones, nearly all of it in the first calls of the direct kernels. A command that trains
 * calls {@link #run} on a background thread while it reads its dataset; the compilations it
 * triggers run on the JIT's own threads. Measured (per-node timer, 7 alternating runs each, with
 * 6000 calls per kernel): the first batch 2.0–3.4 → 0.9–1.5 s; 200-step runs 21.5–24.0 →
 * 19.5–21.6 s, later batches unchanged. With 6000 calls most kernels stayed in the first compiled
 * tier (the optimising tier's counters start only once that tier is installed); 20 000 calls
 * reach it in about 0.4 s: 20-step runs 3.1–3.5 → 2.6–3.1 s (4 alternating runs), and 50 000 were
 * no faster. Running whole small convolutions as well (so that the loops around the kernels
 * compile too) measured slower: they compete with the first batches for the two cores. Results
 * never depend on it: the kernels compute the same values compiled or not, and which kernel a
 * layer takes depends on its shape alone.
 *
 * <p>The other Vector API loops of a training step are warmed up the same way:
 * {@link ChannelFilterGradient}'s kernels, batch normalisation's ({@link BatchNormSimd}) and the
 * ReLU's backward pass ({@link ElementwiseSimd}).
 * Without them, a JFR profile of a 200-step run had about 8 % of its samples in the Vector API's
 * interpreted fallbacks during the first 3 s, nearly all under those loops.
 */
public final class DirectConvWarmup {
    /** Calls per kernel: enough for the JIT's optimising tier (see above). */
    static final int CALLS = 20_000;

    private DirectConvWarmup() {
    }

    /**
     * Does nothing when the direct kernels are off (no Vector API, or {@code netlens.direct=off})
     * or when batches of {@code batch} images do not take them ({@link DirectConvChoice#MIN_BATCH}).
     */
    public static void run(int batch) {
        if (DirectConvChoice.enabled() && batch >= DirectConvChoice.MIN_BATCH) {
            DirectConv.warmUp(CALLS);
        }
    }

    /**
     * For one-pass inference: compiles the channel-block kernels ({@link ChannelBlockKernel}) of
     * the stem convolutions ({@link StemConv}, which any batch takes) and of single-image products
     * ({@link ChannelBlockGemm}), when they can apply on this JVM. Costs a few hundred
     * milliseconds of one core on a background thread.
     */
    public static void runInference() {
        if (DirectConvChoice.enabled() && StemConv.SUPPORTED) {
            ChannelBlockKernel.warmUp(CALLS);
        }
    }
}
