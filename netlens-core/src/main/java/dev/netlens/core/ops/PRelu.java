package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX PRelu: y = x for x ≥ 0, y = slope·x for x &lt; 0, where the input {@code slope} is
 * unidirectionally broadcastable to X (NumPy rules with the output shape equal to X's: e.g. slope
 * [C, 1, 1] or [1] for X [N, C, H, W]). Category {@link OpCategory#ACTIVATION}.
 *
 * <p>Gradients (as PyTorch): ∂y/∂x = 1 for x &gt; 0, slope for x ≤ 0; ∂y/∂slope = x for x &lt; 0,
 * 0 otherwise, summed back to the slope's shape.
 */
public final class PRelu extends BroadcastBinaryOp {
    @Override
    public String type() {
        return "PRelu";
    }

    @Override
    public OpCategory category() {
        return OpCategory.ACTIVATION;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs(type(), inputs, 2, 2);
        int[] x = inputs[0].shape();
        int[] slope = inputs[1].shape();
        boolean ok = slope.length <= x.length;
        if (ok) {
            try {
                ok = Arrays.equals(Shapes.broadcast(x, slope), x);
            } catch (IllegalArgumentException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("PRelu: slope of shape " + Shapes.toString(slope)
                    + " is not unidirectionally broadcastable to X of shape " + Shapes.toString(x)
                    + " (each trailing slope extent must be 1 or equal X's, e.g. [C, 1, 1] or [1] for [N, C, H, W])");
        }
        return super.forward(ctx, inputs);
    }

    @Override
    protected void forwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi, int n) {
        for (int k = 0; k < n; k++) {
            float v = a[ai + k * as];
            y[yi + k] = v >= 0f ? v : b[bi + k * bs] * v;
        }
    }

    @Override
    protected void backwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi,
                               float[] g, float[] ga, float[] gb, int n) {
        if (ga != null) {
            for (int k = 0; k < n; k++) {
                ga[yi + k] = a[ai + k * as] > 0f ? g[yi + k] : b[bi + k * bs] * g[yi + k];
            }
        }
        if (gb != null) {
            for (int k = 0; k < n; k++) {
                float v = a[ai + k * as];
                gb[yi + k] = v > 0f ? 0f : v * g[yi + k];
            }
        }
    }
}
