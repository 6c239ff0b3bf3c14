package dev.netlens.core.ops;

/** ONNX Reciprocal: y = 1/x (±∞ at ±0). Derivative from the output: −y². */
public final class Reciprocal extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Reciprocal";
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
            y[i] = 1f / x[i];
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            float r = y[i];
            gx[i] = -g[i] * r * r;
        }
    }
}
