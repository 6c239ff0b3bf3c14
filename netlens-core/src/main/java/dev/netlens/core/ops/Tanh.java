package dev.netlens.core.ops;

/**
 * ONNX Tanh: y = tanh(x). Derivative 1 − tanh²(x) = 1/cosh²(x), read from the input (computed as
 * 1/cosh² in double, which keeps its relative precision where 1 − y² from the float output would
 * cancel to 0 for |x| ≳ 9).
 */
public final class Tanh extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Tanh";
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) {
            double c = Math.cosh(x[i]);
            gx[i] = (float) (g[i] / (c * c));
        }
    }
}
