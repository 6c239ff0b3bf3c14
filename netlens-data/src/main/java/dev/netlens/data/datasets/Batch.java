package dev.netlens.data.datasets;

import dev.netlens.core.tensor.Tensor;

/**
 * A batch of examples.
 *
 * @param images the transformed images, shape {@code [N, C, H, W]}
 * @param labels the class index of each image
 * @param indices the dataset index of each image
 */
public record Batch(Tensor images, int[] labels, int[] indices) {
    /** Number of examples in the batch. */
    public int size() {
        return labels.length;
    }
}
