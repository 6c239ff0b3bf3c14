package dev.netlens.core.ops;

/**
 * ONNX Identity: y = x. The output is a view of the input's data; the VJP passes the gradient
 * through. Category {@link OpCategory#IDENTITY}.
 */
public final class Identity extends ViewOp {
    @Override
    public String type() {
        return "Identity";
    }

    @Override
    public OpCategory category() {
        return OpCategory.IDENTITY;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }
}
