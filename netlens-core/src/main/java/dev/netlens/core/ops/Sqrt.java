package dev.netlens.core.ops;

/**
 * ONNX Sqrt: y = √x (NaN for x &lt; 0). Derivative from the output: 1/(2y) (+∞ at x = 0, as
 * PyTorch).
 */
public final class Sqrt extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Sqrt";
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
            y[i] = (float) Math.sqrt(x[i]);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            gx[i] = g[i] / (2f * y[i]);
        }
    }
}
