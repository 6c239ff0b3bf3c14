package dev.netlens.core.kernels;

/**
 * Has the JIT compile the direct convolution kernels before a training run needs them. A kernel
 * runs in the interpreter until it has been called a few hundred times, and Vector API code there
 * (and in the first compiled tier) is many times slower than compiled: the first batch of a
 * {@code resnet8} run on Fashion-MNIST (batch 128, 2 threads) took 2.0–3.4 s against about 0.1 s
 * for later ones, nearly all of it in the first calls of the direct kernels. A command that trains
 * calls {@link #run} on a background thread while it reads its dataset; the calls take a few tens
 * of milliseconds, and the compilations they trigger run on the JIT's own threads. Measured
 * (per-node timer, 7 alternating runs each): the first batch 2.0–3.4 → 0.9–1.5 s; 200-step runs
 * 21.5–24.0 → 19.5–21.6 s, later batches unchanged. Running whole small convolutions as well
 * (so that the loops around the kernels compile too) measured slower: they compete with the
 * first batches for the two cores. Results never depend on it: the kernels compute the same
 * values compiled or not, and which kernel a layer takes depends on its shape alone.
 */
public final class DirectConvWarmup {
    /** Calls per kernel: past the JIT's thresholds for its optimising tier (5000 invocations). */
    static final int CALLS = 6000;

    private DirectConvWarmup() {
    }

    /** Does nothing when the direct kernels are off (no Vector API, or {@code netlens.direct=off}). */
    public static void run() {
        if (DirectConvChoice.enabled()) {
            DirectConv.warmUp(CALLS);
        }
    }
}
