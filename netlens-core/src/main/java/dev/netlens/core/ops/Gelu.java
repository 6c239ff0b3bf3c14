package dev.netlens.core.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Gelu (opset 20) with attribute {@code approximate}:
 * <ul>
 *   <li>{@code "none"} (default): y = x·Φ(x) = ½·x·(1 + erf(x/√2)), computed as ½·x·erfc(−x/√2)
 *       so that very negative inputs keep their relative precision; derivative
 *       Φ(x) + x·φ(x) with φ(x) = e^(−x²/2)/√(2π);</li>
 *   <li>{@code "tanh"}: y = ½·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³), computed as x·σ(2u)
 *       (the same value, without cancellation); derivative s + x·s·(1 − s)·2·√(2/π)·(1 +
 *       3·0.044715·x²) with s = σ(2u).</li>
 * </ul>
 * Older opsets have no Gelu (exporters decompose it into Erf/Mul/Add). Derivatives read the input.
 */
public final class Gelu extends UnaryElementwiseOp {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);
    private static final double TANH_K = Math.sqrt(2 / Math.PI);
    private static final double TANH_C = 0.044715;

    private final boolean tanh;

    private Gelu(boolean tanh) {
        this.tanh = tanh;
    }

    /** The default, exact (erf-based) Gelu: approximate = "none". */
    public Gelu() {
        this(false);
    }

    /** Exact Gelu, approximate = "none". */
    public static Gelu exact() {
        return new Gelu(false);
    }

    /** The tanh approximation, approximate = "tanh". */
    public static Gelu tanhApproximation() {
        return new Gelu(true);
    }

    /** Gelu by the ONNX attribute value: "none" or "tanh". */
    public static Gelu of(String approximate) {
        if ("none".equals(approximate)) {
            return new Gelu(false);
        }
        if ("tanh".equals(approximate)) {
            return new Gelu(true);
        }
        throw new IllegalArgumentException("Gelu: attribute approximate must be \"none\" or \"tanh\", got \""
                + approximate + "\"");
    }

    /** The ONNX attribute value, "none" or "tanh". */
    public String approximate() {
        return tanh ? "tanh" : "none";
    }

    @Override
    public String type() {
        return "Gelu";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("approximate", approximate());
        return a;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        if (tanh) {
            for (int i = from; i < to; i++) {
                double v = x[i];
                double u = TANH_K * (v + TANH_C * v * v * v);
                y[i] = (float) (v * Sigmoid.sigmoid(2 * u));
            }
        } else {
            for (int i = from; i < to; i++) {
                double v = x[i];
                y[i] = (float) (0.5 * v * ErfMath.erfc(-v * SQRT_HALF));
            }
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        if (tanh) {
            for (int i = from; i < to; i++) {
                double v = x[i];
                double v2 = v * v;
                double s = Sigmoid.sigmoid(2 * TANH_K * (v + TANH_C * v2 * v));
                double d = s + v * s * (1 - s) * 2 * TANH_K * (1 + 3 * TANH_C * v2);
                gx[i] = (float) (g[i] * d);
            }
        } else {
            for (int i = from; i < to; i++) {
                double v = x[i];
                double d = 0.5 * ErfMath.erfc(-v * SQRT_HALF) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
                gx[i] = (float) (g[i] * d);
            }
        }
    }
}
