package dev.netlens.core.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Selu: y = gamma·x for x &gt; 0, y = gamma·alpha·(eˣ − 1) for x ≤ 0, with attributes
 * {@code alpha} (default 1.67326319217681884765625) and {@code gamma} (default
 * 1.05070102214813232421875). Derivative (from the input): gamma for x &gt; 0, gamma·alpha·eˣ for
 * x ≤ 0.
 */
public final class Selu extends UnaryElementwiseOp {
    /** ONNX default of {@code alpha}. */
    public static final float DEFAULT_ALPHA = 1.67326319217681884765625f;
    /** ONNX default of {@code gamma}. */
    public static final float DEFAULT_GAMMA = 1.05070102214813232421875f;

    private final float alpha;
    private final float gamma;

    /** Selu with the ONNX (self-normalising) defaults. */
    public Selu() {
        this(DEFAULT_ALPHA, DEFAULT_GAMMA);
    }

    /** Selu with the given finite {@code alpha} and {@code gamma}. */
    public Selu(float alpha, float gamma) {
        this.alpha = ElementwiseChecks.finite("Selu", "alpha", alpha);
        this.gamma = ElementwiseChecks.finite("Selu", "gamma", gamma);
    }

    public float alpha() {
        return alpha;
    }

    public float gamma() {
        return gamma;
    }

    @Override
    public String type() {
        return "Selu";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("alpha", alpha);
        a.put("gamma", gamma);
        return a;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        double ga = (double) gamma * alpha;
        double gm = gamma;
        for (int i = from; i < to; i++) {
            float v = x[i];
            y[i] = (float) (v > 0f ? gm * v : ga * Math.expm1(v));
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        double ga = (double) gamma * alpha;
        float gm = gamma;
        for (int i = from; i < to; i++) {
            float v = x[i];
            gx[i] = v > 0f ? gm * g[i] : (float) (g[i] * ga * Math.exp(v));
        }
    }
}
