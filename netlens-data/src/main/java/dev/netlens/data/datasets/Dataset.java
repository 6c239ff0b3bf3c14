package dev.netlens.data.datasets;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A finite, indexable set of labelled images of one shape. Implementations are safe to read from
 * several threads at once.
 *
 * <p>{@link #get} applies the dataset's transforms; random transforms draw from the {@code random}
 * passed in, which the caller derives from (seed, epoch, index) with
 * {@link RandomStreams#forExample} — so an example is the same whichever thread reads it and
 * whenever it is read.
 */
public interface Dataset {
    /** Number of examples. */
    int size();

    /** Number of classes; labels are in {@code [0, classes())}. */
    default int classes() {
        return classNames().size();
    }

    /** Class names, indexed by label. */
    List<String> classNames();

    /** The shape {@code [C, H, W]} of every image {@link #get} returns (after transforms). */
    int[] imageShape();

    /**
     * The label of example {@code index}, without decoding the image.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not in {@code [0, size())}
     */
    int label(int index);

    /**
     * Example {@code index}, transformed.
     *
     * @param random the example's random stream for random transforms
     * @throws IndexOutOfBoundsException when {@code index} is not in {@code [0, size())}
     * @throws IllegalArgumentException when the example cannot be read (e.g. a corrupt image file,
     *     named in the message)
     */
    Example get(int index, SplittableRandom random);

    /**
     * A view of the examples at {@code indices} (in that order; repeats allowed): example {@code i}
     * of the view is example {@code indices[i]} of this dataset.
     *
     * @throws IllegalArgumentException when an index is out of range
     */
    default Dataset subset(int[] indices) {
        return new SubsetDataset(this, indices);
    }

    /** A view of the first {@code min(n, size())} examples. */
    default Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i;
        }
        return subset(first);
    }

    /**
     * A view applying {@code transform} after this dataset's own transforms.
     *
     * @throws IllegalArgumentException when the transform does not accept this dataset's images
     */
    default Dataset transformed(Transform transform) {
        return new TransformedDataset(this, transform);
    }
}
