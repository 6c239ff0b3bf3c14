package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;

/**
 * ONNX Div: y = a / b with NumPy broadcasting (IEEE: ±∞ or NaN for b = 0). ∂y/∂a = 1/b,
 * ∂y/∂b = −a/b²; gradients are summed back over broadcast dimensions.
 */
public final class Div extends BroadcastBinaryOp {
    @Override
    public String type() {
        return "Div";
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        ElementwiseChecks.broadcastable(type(), inputs);
        return super.forward(ctx, inputs);
    }

    @Override
    protected void forwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi, int n) {
        if (as == 1 && bs == 1) {
            for (int k = 0; k < n; k++) {
                y[yi + k] = a[ai + k] / b[bi + k];
            }
        } else {
            for (int k = 0; k < n; k++) {
                y[yi + k] = a[ai + k * as] / b[bi + k * bs];
            }
        }
    }

    @Override
    protected void backwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi,
                               float[] g, float[] ga, float[] gb, int n) {
        if (ga != null) {
            for (int k = 0; k < n; k++) {
                ga[yi + k] = g[yi + k] / b[bi + k * bs];
            }
        }
        if (gb != null) {
            for (int k = 0; k < n; k++) {
                double bv = b[bi + k * bs];
                gb[yi + k] = (float) (-g[yi + k] * (double) a[ai + k * as] / (bv * bv));
            }
        }
    }
}
