package dev.netlens.core.ops;

/**
 * ONNX Softmax: yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m) over each line (m = the line's maximum, for
 * stability), with the axis semantics of {@link SoftmaxFamilyOp}: {@link #along} for opset ≥ 13
 * (default axis −1), {@link #legacyCoerced} for opset &lt; 13 (default axis 1).
 *
 * <p>VJP from the output: gxᵢ = yᵢ·(gᵢ − Σⱼ gⱼ·yⱼ). Category {@link OpCategory#NORMALIZATION}.
 */
public final class Softmax extends SoftmaxFamilyOp {
    private Softmax(int axis, boolean legacy) {
        super(axis, legacy);
    }

    /** Opset ≥ 13 default: along the last axis. */
    public Softmax() {
        this(-1, false);
    }

    /** Opset ≥ 13: softmax along {@code axis}. */
    public static Softmax along(int axis) {
        return new Softmax(axis, false);
    }

    /** Opset &lt; 13: softmax over the input coerced to 2-D at {@code axis} (ONNX default 1). */
    public static Softmax legacyCoerced(int axis) {
        return new Softmax(axis, true);
    }

    @Override
    public String type() {
        return "Softmax";
    }

    @Override
    protected void forwardLines(float[] x, float[] y, int n, int inner, int from, int to, double[] buf) {
        for (int l = from; l < to; l++) {
            int base = lineStart(l, n, inner);
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0, p = base; j < n; j++, p += inner) {
                if (x[p] > m) {
                    m = x[p];
                }
            }
            double s = 0;
            for (int j = 0, p = base; j < n; j++, p += inner) {
                double e = Math.exp((double) x[p] - m);
                buf[j] = e;
                s += e;
            }
            double inv = 1.0 / s;
            for (int j = 0, p = base; j < n; j++, p += inner) {
                y[p] = (float) (buf[j] * inv);
            }
        }
    }

    @Override
    protected void backwardLines(float[] y, float[] g, float[] gx, int n, int inner, int from, int to) {
        for (int l = from; l < to; l++) {
            int base = lineStart(l, n, inner);
            double dot = 0;
            for (int j = 0, p = base; j < n; j++, p += inner) {
                dot += (double) g[p] * y[p];
            }
            for (int j = 0, p = base; j < n; j++, p += inner) {
                gx[p] = (float) (y[p] * (g[p] - dot));
            }
        }
    }
}
