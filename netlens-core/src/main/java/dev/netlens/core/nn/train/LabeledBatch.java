package dev.netlens.core.nn.train;

import dev.netlens.core.tensor.Tensor;

/**
 * One mini-batch: model inputs [N, …] and targets (class indices [N] stored as floats, or any
 * tensor the loss accepts).
 */
public record LabeledBatch(Tensor inputs, Tensor targets) {
    /** Number of examples. */
    public int size() {
        return inputs.dim(0);
    }
}
