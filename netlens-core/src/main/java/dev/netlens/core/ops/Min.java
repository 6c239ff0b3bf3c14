package dev.netlens.core.ops;

/**
 * ONNX Min: element-wise minimum of 1…N inputs with NumPy broadcasting; the gradient goes to the
 * minimal input(s), split equally among ties (see {@link ExtremumOp}).
 */
public final class Min extends ExtremumOp {
    @Override
    public String type() {
        return "Min";
    }

    @Override
    protected boolean isMax() {
        return false;
    }
}
