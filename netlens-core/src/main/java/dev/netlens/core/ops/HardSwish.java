package dev.netlens.core.ops;

/**
 * ONNX HardSwish: y = x·max(0, min(1, x/6 + 1/2)) (x times HardSigmoid with alpha = 1/6,
 * beta = 1/2): 0 for x ≤ −3, x for x ≥ 3, x·(x + 3)/6 between. Derivative (from the input, with
 * PyTorch's choice at the kinks): 0 for x &lt; −3, x/3 + 1/2 for −3 ≤ x ≤ 3, 1 for x &gt; 3.
 */
public final class HardSwish extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "HardSwish";
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            double h = v / 6.0 + 0.5;
            y[i] = (float) (v * (h <= 0 ? 0 : h >= 1 ? 1 : h));
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            gx[i] = v < -3f ? 0f : v <= 3f ? (float) (g[i] * (v / 3.0 + 0.5)) : g[i];
        }
    }
}
