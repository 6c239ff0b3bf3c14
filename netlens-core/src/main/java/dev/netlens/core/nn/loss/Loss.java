package dev.netlens.core.nn.loss;

import dev.netlens.core.tensor.Tensor;

/**
 * A differentiable training objective: the reduced (mean) loss of a batch of predictions against
 * their targets, and its gradient with respect to the predictions.
 *
 * <p>Implementations follow the corresponding PyTorch {@code torch.nn} loss with its default
 * {@code reduction='mean'} (see each class). They never mutate their arguments.
 */
public interface Loss {
    /**
     * Evaluates the loss.
     *
     * @param predictions the model's outputs (logits for the classification losses)
     * @param targets the expected values; the accepted shapes are documented by each loss
     * @return the reduced loss and d loss / d predictions (shape of {@code predictions})
     * @throws IllegalArgumentException if the shapes or target values are invalid (the message names them)
     */
    LossValue evaluate(Tensor predictions, Tensor targets);
}
