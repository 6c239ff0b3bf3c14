package dev.netlens.core.ops;

/**
 * ONNX Softplus: y = ln(1 + eˣ), evaluated stably as max(x, 0) + ln(1 + e^(−|x|)) (no overflow for
 * large x, no loss for very negative x). Derivative (from the input): σ(x).
 */
public final class Softplus extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Softplus";
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            y[i] = (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v))));
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            gx[i] = (float) (g[i] * Sigmoid.sigmoid(x[i]));
        }
    }
}
