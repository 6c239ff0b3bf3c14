package dev.netlens.core.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Clip: y = min(max(x, min), max), where an absent bound means −∞ (min) or +∞ (max). If
 * min &gt; max every output is max (as ONNX/NumPy). NaN inputs stay NaN.
 *
 * <p>The bounds are attributes here (as in opset &lt; 11); since opset 11 ONNX passes them as
 * optional inputs, which an importer must fold into these attributes (they are constants in
 * practice). Derivative as PyTorch's clamp: 1 where min ≤ x ≤ max (bounds included), else 0.
 * Category {@link OpCategory#ACTIVATION} (Relu6 is Clip(0, 6)).
 */
public final class Clip extends UnaryElementwiseOp {
    private final Float minAttr;
    private final Float maxAttr;
    private final float min;
    private final float max;

    private Clip(Float min, Float max) {
        if (min != null && min.isNaN() || max != null && max.isNaN()) {
            throw new IllegalArgumentException("Clip: bounds must be numbers or absent, got min " + min + ", max " + max);
        }
        this.minAttr = min;
        this.maxAttr = max;
        this.min = min == null ? Float.NEGATIVE_INFINITY : min;
        this.max = max == null ? Float.POSITIVE_INFINITY : max;
    }

    /** Clip with optional bounds (null = absent = unbounded on that side). */
    public static Clip of(Float min, Float max) {
        return new Clip(min, max);
    }

    /** Clip to [min, max]. */
    public static Clip between(float min, float max) {
        return new Clip(min, max);
    }

    /** Clip from below only: y = max(x, min). */
    public static Clip atLeast(float min) {
        return new Clip(min, null);
    }

    /** Clip from above only: y = min(x, max). */
    public static Clip atMost(float max) {
        return new Clip(null, max);
    }

    /** The lower bound, −∞ when absent. */
    public float min() {
        return min;
    }

    /** The upper bound, +∞ when absent. */
    public float max() {
        return max;
    }

    @Override
    public String type() {
        return "Clip";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        if (minAttr != null) {
            a.put("min", minAttr);
        }
        if (maxAttr != null) {
            a.put("max", maxAttr);
        }
        return a;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        float lo = min;
        float hi = max;
        for (int i = from; i < to; i++) {
            float v = x[i];
            v = v < lo ? lo : v;
            y[i] = v > hi ? hi : v;
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        float lo = min;
        float hi = max;
        for (int i = from; i < to; i++) {
            float v = x[i];
            gx[i] = v >= lo && v <= hi ? g[i] : 0f;
        }
    }
}
