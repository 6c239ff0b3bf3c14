package dev.netlens.core.graph;

import dev.netlens.core.tensor.Tensor;

/**
 * An edit of one named value during a forward pass (ablate channels, clamp, scale, replace, patch
 * from another run, add a perturbation). Consumers of the value see the edited tensor; gradients
 * flow back through the edit by its vector–Jacobian product. Ready-made interventions are in
 * {@link Interventions}.
 */
public interface Intervention {
    /** The edited value (a new tensor; {@code value} itself must not be mutated). */
    Tensor apply(Tensor value);

    /**
     * The gradient with respect to the original value, given the gradient with respect to the
     * edited value; null when no gradient flows through (e.g. a replacement).
     */
    Tensor backward(Tensor original, Tensor gradient);
}
