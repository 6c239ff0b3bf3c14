package dev.netlens.core.ops;

/** ONNX Neg: y = −x. Derivative −1; the backward pass reads neither input nor output. */
public final class Neg extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Neg";
    }

    @Override
    public OpCategory category() {
        return OpCategory.ELEMENTWISE;
    }

    @Override
    protected boolean derivativeUsesInput() {
        return false;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = -x[i];
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            gx[i] = -g[i];
        }
    }
}
