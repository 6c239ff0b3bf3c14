package dev.netlens.cli;

import java.util.Locale;

/**
 * How many untimed runs {@code netlens bench} makes before it times: a fixed count, or
 * {@code auto} (the default) — runs until the JVM's compilers have had time to finish, at least
 * {@link #MIN_RUNS} and then until {@link #MAX_RUNS} runs or {@link #MAX_NANOS} have passed,
 * whichever comes first.
 *
 * <p>Why time rather than a small count: netlens runs on the JVM, whose optimising compiler is still
 * compiling the kernels' loops 3–6 s into a ResNet-18 forward benchmark (about 150 passes;
 * {@code -XX:+PrintCompilation}). Measured on that model (2 threads, per README "Attribution speed"):
 * the forward median is 25.9–26.7 ms after 10 warm-up passes and 21.8–22.9 ms after 150, while
 * PyTorch's does not move after the first three. The steady state is what a long-running process
 * sees; a one-shot command sees the slower first passes ({@code --warmup 3} measures those).
 * Integrated gradients (about 1.2 s per call) gets its minimum of 3 and a few more within the time
 * limit.
 */
final class BenchWarmup {
    /** Runs made whatever the time. */
    static final int MIN_RUNS = 3;
    /** Enough ResNet-18 forward passes for the compilers to finish (see above). */
    static final int MAX_RUNS = 150;
    /** Warm-up time after which no run starts once {@link #MIN_RUNS} are done (the clock starts with the first). */
    static final long MAX_NANOS = 8_000_000_000L;

    private final int fixed;
    private final long maxNanos;

    private BenchWarmup(int fixed, long maxNanos) {
        this.fixed = fixed;
        this.maxNanos = maxNanos;
    }

    /** {@code auto} with another time limit (for tests). */
    static BenchWarmup auto(long maxNanos) {
        return new BenchWarmup(-1, maxNanos);
    }

    /** "auto" or a count ≥ 0. */
    static BenchWarmup parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return auto(MAX_NANOS);
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return new BenchWarmup(n, 0);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--warmup must be auto or a count >= 0, got '" + value + "'");
    }

    /** One run of what is benchmarked. */
    @FunctionalInterface
    interface Run {
        void run() throws Exception;
    }

    /** Makes the warm-up runs; returns how many. */
    int run(Run r) throws Exception {
        if (fixed >= 0) {
            for (int i = 0; i < fixed; i++) {
                r.run();
            }
            return fixed;
        }
        long start = System.nanoTime();
        int runs = 0;
        while (runs < MIN_RUNS || (runs < MAX_RUNS && System.nanoTime() - start < maxNanos)) {
            r.run();
            runs++;
        }
        return runs;
    }

    boolean auto() {
        return fixed < 0;
    }
}
