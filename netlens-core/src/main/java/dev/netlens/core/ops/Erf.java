package dev.netlens.core.ops;

/**
 * ONNX Erf: y = erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (see {@link ErfMath} for the method and accuracy).
 * Derivative (from the input): 2/√π · e^(−x²).
 */
public final class Erf extends UnaryElementwiseOp {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    @Override
    public String type() {
        return "Erf";
    }

    @Override
    public OpCategory category() {
        return OpCategory.ELEMENTWISE;
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) ErfMath.erf(x[i]);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            gx[i] = (float) (g[i] * TWO_OVER_SQRT_PI * Math.exp(-v * v));
        }
    }
}
