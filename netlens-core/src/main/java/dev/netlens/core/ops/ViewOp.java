package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;

/**
 * Base of single-input ops whose output is the input's data under another shape (Reshape,
 * Flatten, Squeeze, Unsqueeze, Identity). The output is a view sharing the input's array (never
 * written to); the VJP is the output gradient viewed with the input's shape. Neither pass reads
 * input values, so nothing is retained. Category {@link OpCategory#SHAPE} unless overridden.
 */
public abstract class ViewOp extends ValueOp {

    /** The output shape for an input of shape {@code in} (validated, with the op named in errors). */
    public abstract int[] outputShape(int[] in);

    @Override
    public OpCategory category() {
        return OpCategory.SHAPE;
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs(type(), inputs, 1, 1);
        Tensor x = inputs[0];
        return new Tensor[] {Tensor.of(x.data(), outputShape(x.shape()))};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        return new Tensor[] {Tensor.of(gradOutputs[0].data(), ctx.inputShape(0))};
    }
}
