package dev.netlens.data.datasets;

import java.util.SplittableRandom;

/**
 * One per-example image transformation (resize, crop, flip, normalise, …). Implementations are
 * immutable and thread-safe; random ones draw only from the {@code random} they are given, so the
 * result is a pure function of (image, random state). Build them with {@link Transforms}; chain
 * them with {@link #andThen}. {@code toString()} describes the transform and its parameters in a
 * form fit for provenance, e.g. {@code RandomCrop(28x28, padding=4)}.
 */
public interface Transform {
    /** Unknown extent of a dimension in {@link #outputShape}: images of varying size. */
    int VARIES = -1;

    /**
     * Transforms one image.
     *
     * @param random the example's random stream (see {@link RandomStreams#forExample}); deterministic
     *     transforms ignore it
     * @throws IllegalArgumentException when the image does not fit the transform (e.g. a channel
     *     count the normalisation was not made for)
     */
    FloatImage apply(FloatImage image, SplittableRandom random);

    /**
     * The {@code [C, H, W]} shape this transform produces from images of shape {@code input};
     * dimensions equal to {@link #VARIES} mean "differs between images".
     *
     * @throws IllegalArgumentException when the transform cannot accept such images
     */
    int[] outputShape(int[] input);

    /** This transform followed by {@code next}. */
    default Transform andThen(Transform next) {
        return Transforms.compose(this, next);
    }
}
