package dev.netlens.data.datasets;

import java.util.SplittableRandom;

/**
 * The random streams of training, each a pure function of its coordinates so that results never
 * depend on thread timing, batch boundaries or where a run was resumed: one stream per epoch (the
 * shuffle order) and one per (epoch, dataset index) (the random transforms of that example).
 */
public final class RandomStreams {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private RandomStreams() {
    }

    /** The stream that shuffles epoch {@code epoch} of a run seeded with {@code seed}. */
    public static SplittableRandom forEpoch(long seed, int epoch) {
        return new SplittableRandom(mix(seed ^ mix(GOLDEN * (epoch + 1L))));
    }

    /** The stream the random transforms of example {@code index} draw from in epoch {@code epoch}. */
    public static SplittableRandom forExample(long seed, int epoch, int index) {
        long h = mix(seed + GOLDEN);
        h = mix(h ^ mix(GOLDEN * (epoch + 1L) + 0x632BE59BD9B4E019L));
        h = mix(h ^ mix(GOLDEN * (index + 1L) + 0x8CB92BA72F3D8DD7L));
        return new SplittableRandom(h);
    }

    /** The SplitMix64 finaliser: a bijective 64-bit mix with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
