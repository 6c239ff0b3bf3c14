package dev.netlens.core.ops;

/**
 * ONNX LogSoftmax: yᵢ = xᵢ − m − ln Σⱼ e^(xⱼ − m) over each line (m = the line's maximum), with
 * the axis semantics of {@link SoftmaxFamilyOp}: {@link #along} for opset ≥ 13 (default axis −1),
 * {@link #legacyCoerced} for opset &lt; 13 (default axis 1).
 *
 * <p>VJP from the output: gxᵢ = gᵢ − e^(yᵢ)·Σⱼ gⱼ. Category {@link OpCategory#NORMALIZATION}.
 */
public final class LogSoftmax extends SoftmaxFamilyOp {
    private LogSoftmax(int axis, boolean legacy) {
        super(axis, legacy);
    }

    /** Opset ≥ 13 default: along the last axis. */
    public LogSoftmax() {
        this(-1, false);
    }

    /** Opset ≥ 13: log-softmax along {@code axis}. */
    public static LogSoftmax along(int axis) {
        return new LogSoftmax(axis, false);
    }

    /** Opset &lt; 13: log-softmax over the input coerced to 2-D at {@code axis} (ONNX default 1). */
    public static LogSoftmax legacyCoerced(int axis) {
        return new LogSoftmax(axis, true);
    }

    @Override
    public String type() {
        return "LogSoftmax";
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
                s += Math.exp((double) x[p] - m);
            }
            double shift = m + Math.log(s);
            for (int j = 0, p = base; j < n; j++, p += inner) {
                y[p] = (float) (x[p] - shift);
            }
        }
    }

    @Override
    protected void backwardLines(float[] y, float[] g, float[] gx, int n, int inner, int from, int to) {
        for (int l = from; l < to; l++) {
            int base = lineStart(l, n, inner);
            double sum = 0;
            for (int j = 0, p = base; j < n; j++, p += inner) {
                sum += g[p];
            }
            for (int j = 0, p = base; j < n; j++, p += inner) {
                gx[p] = (float) (g[p] - Math.exp(y[p]) * sum);
            }
        }
    }
}
