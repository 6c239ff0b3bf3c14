package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;

/**
 * An op whose forward pass can write its output over one of its inputs. The graph executor uses it
 * in plain forward passes (no recording, no interventions) when nothing reads that input after the
 * node and its array was allocated within the pass: a ReLU after a convolution, or a residual sum,
 * then makes no new array and one pass over memory less. The values are the same as
 * {@link Op#forward}'s, bit for bit.
 */
public interface InPlaceForward {
    /** Whether {@link #forwardInPlace} may overwrite {@code inputs[index]} (its shape is the output's). */
    boolean canOverwrite(Tensor[] inputs, int index);

    /** The forward pass, with the single output written into {@code inputs[index]}'s array. */
    Tensor[] forwardInPlace(ForwardContext ctx, Tensor[] inputs, int index);
}
