package dev.netlens.core.ops;

/** ONNX Exp: y = eˣ. Derivative from the output: y. */
public final class Exp extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Exp";
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
    protected boolean derivativeUsesOutput() {
        return true;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) Math.exp(x[i]);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            gx[i] = g[i] * y[i];
        }
    }
}
