package dev.netlens.core.ops;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Property-style testing without a framework: runs a body on {@code tries} random cases, each
 * drawn from its own seeded generator, and names the failing case's seed so it can be replayed
 * with {@link #replay}. Deterministic: the same test always tries the same cases.
 */
public final class RandomCases {
    private RandomCases() {
    }

    /** Runs {@code body} for case seeds base, base+1, … base+tries−1. */
    public static void forAll(String property, int tries, long base, Consumer<SplittableRandom> body) {
        for (int i = 0; i < tries; i++) {
            long seed = base + i;
            try {
                body.accept(new SplittableRandom(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(property + " failed for case seed " + seed
                        + " (replay with RandomCases.replay(" + seed + ", …)): " + e.getMessage(), e);
            }
        }
    }

    /** Runs one case again. */
    public static void replay(long seed, Consumer<SplittableRandom> body) {
        body.accept(new SplittableRandom(seed));
    }

    /** Uniform integer in [min, max]. */
    public static int between(SplittableRandom r, int min, int max) {
        return min + r.nextInt(max - min + 1);
    }
}
