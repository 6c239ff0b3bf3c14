package dev.netlens.core.ops;

import dev.netlens.core.kernels.ElementwiseKernels;

/** ReLU: y = max(x, 0); dy/dx = [x > 0]. NaN propagates. */
public final class Relu extends UnaryElementwiseOp {
    @Override
    public String type() {
        return "Relu";
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
        ElementwiseKernels.reluBackward(x, g, gx, from, to);
    }
}
