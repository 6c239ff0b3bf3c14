package dev.netlens.core.ops;

import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.tensor.Tensor;

/** Element-wise a + b with NumPy broadcasting. Category {@link OpCategory#SUM} (residual sums). */
public final class Add extends BroadcastBinaryOp implements InPlaceForward {
    @Override
    public String type() {
        return "Add";
    }

    @Override
    public OpCategory category() {
        return OpCategory.SUM;
    }

    /** Same-shape operands (residual sums): the output gradient itself flows to both, no copy. */
    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        int[] out = ctx.outputShape(0);
        if (java.util.Arrays.equals(ctx.inputShape(0), out) && java.util.Arrays.equals(ctx.inputShape(1), out)) {
            Tensor g = gradOutputs[0];
            return new Tensor[] {ctx.needsGradient(0) ? g : null, ctx.needsGradient(1) ? g : null};
        }
        return super.backward(ctx, gradOutputs);
    }

    /** Only operands of one shape (residual sums): no broadcasting. */
    @Override
    public boolean canOverwrite(Tensor[] inputs, int index) {
        return inputs.length == 2 && (index == 0 || index == 1) && inputs[0] != null && inputs[1] != null
                && java.util.Arrays.equals(inputs[0].shape(), inputs[1].shape());
    }

    @Override
    public Tensor[] forwardInPlace(ForwardContext ctx, Tensor[] inputs, int index) {
        OpSupport.requireInputs(type(), inputs, 2, 2);
        float[] a = inputs[0].data();
        float[] b = inputs[1].data();
        float[] y = inputs[index].data();
        Parallel.range(y.length, 1 << 15, (from, to) -> forwardRow(a, from, 1, b, from, 1, y, from, to - from));
        return new Tensor[] {Tensor.of(y, inputs[index].shape())};
    }

    @Override
    protected boolean backwardUsesInputs() {
        return false;
    }

    @Override
    protected void forwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi, int n) {
        if (as == 1 && bs == 1) {
            for (int k = 0; k < n; k++) {
                y[yi + k] = a[ai + k] + b[bi + k];
            }
        } else {
            for (int k = 0; k < n; k++) {
                y[yi + k] = a[ai + k * as] + b[bi + k * bs];
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
            System.arraycopy(g, yi, gb, yi, n);
        }
    }
}
