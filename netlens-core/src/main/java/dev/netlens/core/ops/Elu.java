package dev.netlens.core.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Elu: y = x for x ≥ 0, y = alpha·(eˣ − 1) for x &lt; 0 (attribute {@code alpha}, default 1).
 * Derivative (from the input, as PyTorch): 1 for x &gt; 0, alpha·eˣ for x ≤ 0.
 */
public final class Elu extends UnaryElementwiseOp {
    /** ONNX default of {@code alpha}. */
    public static final float DEFAULT_ALPHA = 1f;

    private final float alpha;

    /** Elu with alpha = 1. */
    public Elu() {
        this(DEFAULT_ALPHA);
    }

    /** Elu with the given finite {@code alpha}. */
    public Elu(float alpha) {
        this.alpha = ElementwiseChecks.finite("Elu", "alpha", alpha);
    }

    public float alpha() {
        return alpha;
    }

    @Override
    public String type() {
        return "Elu";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("alpha", alpha);
        return a;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        double s = alpha;
        for (int i = from; i < to; i++) {
            float v = x[i];
            y[i] = v >= 0f ? v : (float) (s * Math.expm1(v));
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        double s = alpha;
        for (int i = from; i < to; i++) {
            float v = x[i];
            gx[i] = v > 0f ? g[i] : (float) (g[i] * s * Math.exp(v));
        }
    }
}
