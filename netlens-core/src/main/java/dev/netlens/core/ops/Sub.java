package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;

/**
 * ONNX Sub: y = a − b with NumPy broadcasting. ∂y/∂a = 1, ∂y/∂b = −1 (the backward pass reads no
 * tensors); gradients are summed back over broadcast dimensions.
 */
public final class Sub extends BroadcastBinaryOp {
    @Override
    public String type() {
        return "Sub";
    }

    @Override
    protected boolean backwardUsesInputs() {
        return false;
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
                y[yi + k] = a[ai + k] - b[bi + k];
            }
        } else {
            for (int k = 0; k < n; k++) {
                y[yi + k] = a[ai + k * as] - b[bi + k * bs];
            }
        }
    }

    @Override
    protected void backwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi,
                               float[] g, float[] ga, float[] gb, int n) {
        if (ga != null) {
            System.arraycopy(g, yi, ga, yi, n);
        }
        if (gb != null) {
            for (int k = yi; k < yi + n; k++) {
                gb[k] = -g[k];
            }
        }
    }
}
