package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;

/**
 * ONNX Mul: y = a·b with NumPy broadcasting. ∂y/∂a = b, ∂y/∂b = a; gradients are summed back over
 * broadcast dimensions.
 */
public final class Mul extends BroadcastBinaryOp {
    @Override
    public String type() {
        return "Mul";
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
                y[yi + k] = a[ai + k] * b[bi + k];
            }
        } else {
            for (int k = 0; k < n; k++) {
                y[yi + k] = a[ai + k * as] * b[bi + k * bs];
            }
        }
    }

    @Override
    protected void backwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi,
                               float[] g, float[] ga, float[] gb, int n) {
        if (ga != null) {
            for (int k = 0; k < n; k++) {
                ga[yi + k] = g[yi + k] * b[bi + k * bs];
            }
        }
        if (gb != null) {
            for (int k = 0; k < n; k++) {
                gb[yi + k] = g[yi + k] * a[ai + k * as];
            }
        }
    }
}
