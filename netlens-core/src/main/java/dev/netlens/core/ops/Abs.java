package dev.netlens.core.ops;

/** ONNX Abs: y = |x|. Derivative (from the input, as PyTorch): sign(x), 0 at x = 0. */
public final class Abs extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Abs";
    }

    @Override
    public OpCategory category() {
        return OpCategory.ELEMENTWISE;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.abs(x[i]);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            gx[i] = v > 0f ? g[i] : v < 0f ? -g[i] : 0f;
        }
    }
}
