package dev.netlens.core.graph;

import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.tensor.Tensor;

/**
 * A replacement for a node's vector–Jacobian product during one backward pass: guided-ReLU,
 * deconvnet-ReLU, LRP rules (ε, γ, αβ, z⁺, w², flat, zᴮ), DeepLIFT rescale, pass-through. It sees
 * the same context as the op's own backward pass and returns one tensor per input (null where
 * {@link BackwardContext#needsGradient} is false).
 */
@FunctionalInterface
public interface BackwardRule {
    Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs);
}
