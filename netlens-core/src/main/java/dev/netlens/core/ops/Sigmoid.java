package dev.netlens.core.ops;

/**
 * ONNX Sigmoid: y = σ(x) = 1 / (1 + e^(−x)), evaluated without overflow for either sign.
 *
 * <p>Derivative σ′(x) = e^(−|x|) / (1 + e^(−|x|))², read from the input rather than as y·(1 − y)
 * from the float output: the latter loses all relative precision once y rounds near 1 (x ≳ 9),
 * where attribution methods still look at these small gradients.
 */
public final class Sigmoid extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Sigmoid";
    }

    /** σ(v) in double, stable for large |v|. */
    static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }

    /** σ′(v) = σ(v)·σ(−v) in double, accurate for large |v|. */
    static double sigmoidDerivative(double v) {
        double e = Math.exp(-Math.abs(v));
        double d = 1.0 + e;
        return e / (d * d);
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) sigmoid(x[i]);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            gx[i] = (float) (g[i] * sigmoidDerivative(x[i]));
        }
    }
}
