package dev.netlens.core.ops;

/**
 * ONNX Max: element-wise maximum of 1…N inputs with NumPy broadcasting; the gradient goes to the
 * maximal input(s), split equally among ties (see {@link ExtremumOp}).
 */
public final class Max extends ExtremumOp {
    @Override
    public String type() {
        return "Max";
    }

    @Override
    protected boolean isMax() {
        return true;
    }
}
