package dev.netlens.core.nn.loss;

import dev.netlens.core.tensor.Tensor;
import java.util.Objects;

/**
 * The result of {@link Loss#evaluate}: the reduced loss and its gradient with respect to the
 * predictions (same shape as the predictions), i.e. what PyTorch's {@code loss.backward()} would
 * leave in {@code predictions.grad}.
 *
 * @param value the loss reduced to one number (PyTorch's default {@code reduction='mean'})
 * @param gradient d value / d predictions, float32, shaped like the predictions
 */
public record LossValue(double value, Tensor gradient) {
    public LossValue {
        Objects.requireNonNull(gradient, "gradient");
    }
}
