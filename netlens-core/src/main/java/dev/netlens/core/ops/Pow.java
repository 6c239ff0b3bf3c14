package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;

/**
 * ONNX Pow: y = aᵇ with NumPy broadcasting, computed in double by {@link Math#pow} (so a negative
 * base with a non-integer exponent gives NaN, as C's pow).
 *
 * <p>Gradients (read from the inputs, computed in double):
 * <ul>
 *   <li>∂y/∂a = b·a^(b−1), defined as 0 where b = 0 (as PyTorch, which masks exponent == 0 so that
 *       0⁰ has gradient 0 rather than 0·0⁻¹ = NaN);</li>
 *   <li>∂y/∂b = aᵇ·ln(a) for a &gt; 0, and 0 for a ≤ 0 where the logarithm is undefined. PyTorch
 *       (1.13, {@code pow_backward_exponent}) returns 0 only where a = 0 and b ≥ 0; for a &lt; 0 it
 *       yields NaN (aᵇ·ln(a) with ln of a negative number) and for a = 0, b &lt; 0 it yields −∞. The
 *       exponent gradient of a negative base has no real meaning (aᵇ is defined only at integer b),
 *       so this op reports 0 instead of poisoning a backward pass with NaN.</li>
 * </ul>
 */
public final class Pow extends BroadcastBinaryOp {
    @Override
    public String type() {
        return "Pow";
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        ElementwiseChecks.broadcastable(type(), inputs);
        return super.forward(ctx, inputs);
    }

    @Override
    protected void forwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi, int n) {
        for (int k = 0; k < n; k++) {
            y[yi + k] = (float) Math.pow(a[ai + k * as], b[bi + k * bs]);
        }
    }

    @Override
    protected void backwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi,
                               float[] g, float[] ga, float[] gb, int n) {
        if (ga != null) {
            for (int k = 0; k < n; k++) {
                double av = a[ai + k * as];
                double bv = b[bi + k * bs];
                ga[yi + k] = bv == 0 ? 0f : (float) (g[yi + k] * bv * Math.pow(av, bv - 1));
            }
        }
        if (gb != null) {
            for (int k = 0; k < n; k++) {
                double av = a[ai + k * as];
                double bv = b[bi + k * bs];
                gb[yi + k] = av > 0 ? (float) (g[yi + k] * Math.pow(av, bv) * Math.log(av)) : 0f;
            }
        }
    }
}
