package dev.netlens.core.ops;

/**
 * ONNX Log: y = ln(x) (NaN for x &lt; 0, −∞ at 0). Derivative from the input: 1/x.
 */
public final class Log extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Log";
    }

    @Override
    public OpCategory category() {
        return OpCategory.ELEMENTWISE;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) Math.log(x[i]);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            gx[i] = g[i] / x[i];
        }
    }
}
