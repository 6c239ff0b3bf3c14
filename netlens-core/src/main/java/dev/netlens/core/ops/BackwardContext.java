package dev.netlens.core.ops;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Tensor;

/**
 * What a vector–Jacobian product (an op's backward pass or a backward rule) may use: the node's
 * forward inputs and outputs as recorded, the op's saved state, and which inputs need gradients.
 */
public interface BackwardContext {
    Kernels kernels();

    /** The op of the node being differentiated. */
    Op op();

    /** The node's name (for error messages and rules that key on names). */
    String nodeName();

    int inputCount();

    int outputCount();

    /** False for an absent optional input (e.g. a convolution without bias). */
    boolean hasInput(int index);

    /**
     * The forward input as the op saw it (after any intervention on it). Throws with advice when
     * it was not retained (see {@code Retention}).
     */
    Tensor input(int index);

    /**
     * The forward output (before interventions on it). Recomputed from the inputs when the op did
     * not ask to retain it.
     */
    Tensor output(int index);

    int[] inputShape(int index);

    int[] outputShape(int index);

    /** State the op saved with {@link ForwardContext#save}, or null. */
    Object saved();

    /** Whether the gradient of input {@code index} is wanted; others may be returned as null. */
    boolean needsGradient(int index);

    /**
     * The gradient input {@code index} has already received from the nodes differentiated before
     * this one (its other consumers), or null when there is none or the trace does not offer it.
     * An op that takes it must return, for that input, {@code pending[i] + its own gradient[i]}
     * element by element (the bits of the trace's own sum) instead of its own gradient: the trace
     * then uses the result as the input's whole gradient so far. Calling this is that promise; do
     * not call it unless the op keeps it. Read only.
     */
    default Tensor takePendingGradient(int index) {
        return null;
    }
}
