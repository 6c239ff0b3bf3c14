package dev.netlens.core.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX HardSigmoid: y = max(0, min(1, alpha·x + beta)) with attributes {@code alpha} (default 0.2)
 * and {@code beta} (default 0.5). Derivative (from the input): alpha where 0 &lt; alpha·x + beta
 * &lt; 1 strictly (as PyTorch's hardsigmoid, which is alpha = 1/6, beta = 1/2), else 0.
 */
public final class HardSigmoid extends UnaryElementwiseOp {
    /** ONNX default of {@code alpha}. */
    public static final float DEFAULT_ALPHA = 0.2f;
    /** ONNX default of {@code beta}. */
    public static final float DEFAULT_BETA = 0.5f;

    private final float alpha;
    private final float beta;

    /** HardSigmoid with the ONNX defaults alpha = 0.2, beta = 0.5. */
    public HardSigmoid() {
        this(DEFAULT_ALPHA, DEFAULT_BETA);
    }

    /** HardSigmoid with the given finite {@code alpha} and {@code beta}. */
    public HardSigmoid(float alpha, float beta) {
        this.alpha = ElementwiseChecks.finite("HardSigmoid", "alpha", alpha);
        this.beta = ElementwiseChecks.finite("HardSigmoid", "beta", beta);
    }

    public float alpha() {
        return alpha;
    }

    public float beta() {
        return beta;
    }

    @Override
    public String type() {
        return "HardSigmoid";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("alpha", alpha);
        a.put("beta", beta);
        return a;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        double al = alpha;
        double be = beta;
        for (int i = from; i < to; i++) {
            double v = al * x[i] + be;
            y[i] = (float) (v <= 0 ? 0 : v >= 1 ? 1 : v);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        double al = alpha;
        double be = beta;
        float a = alpha;
        for (int i = from; i < to; i++) {
            double v = al * x[i] + be;
            gx[i] = v > 0 && v < 1 ? a * g[i] : 0f;
        }
    }
}
