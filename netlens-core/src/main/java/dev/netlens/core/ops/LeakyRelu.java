package dev.netlens.core.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX LeakyRelu: y = x for x ≥ 0, y = alpha·x for x &lt; 0 (attribute {@code alpha}, default
 * 0.01). Derivative (from the input, as PyTorch): 1 for x &gt; 0, alpha for x ≤ 0. NaN propagates.
 */
public final class LeakyRelu extends UnaryElementwiseOp {
    /** ONNX default of {@code alpha}. */
    public static final float DEFAULT_ALPHA = 0.01f;

    private final float alpha;

    /** LeakyRelu with the ONNX default slope 0.01. */
    public LeakyRelu() {
        this(DEFAULT_ALPHA);
    }

    /** LeakyRelu with negative slope {@code alpha} (finite). */
    public LeakyRelu(float alpha) {
        this.alpha = ElementwiseChecks.finite("LeakyRelu", "alpha", alpha);
    }

    public float alpha() {
        return alpha;
    }

    @Override
    public String type() {
        return "LeakyRelu";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("alpha", alpha);
        return a;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        float s = alpha;
        for (int i = from; i < to; i++) {
            float v = x[i];
            y[i] = v >= 0f ? v : s * v;
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        float s = alpha;
        for (int i = from; i < to; i++) {
            gx[i] = x[i] > 0f ? g[i] : s * g[i];
        }
    }
}
