package dev.netlens.core.ops;

import dev.netlens.core.kernels.PoolGeometry;
import dev.netlens.core.tensor.Tensor;

/**
 * ONNX GlobalMaxPool: X [N, C, D1, …, Dk] (k ≥ 1) → Y [N, C, 1, …, 1], the maximum over all
 * spatial positions of each channel. Computed by the max-pooling kernels with the spatial axes
 * flattened into one window. The VJP sends each gradient to the argmax (the first maximum in
 * row-major order wins ties); it retains only the saved argmax, not the input.
 */
public final class GlobalMaxPool implements Op {
    @Override
    public String type() {
        return "GlobalMaxPool";
    }

    @Override
    public OpCategory category() {
        return OpCategory.POOLING;
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("GlobalMaxPool", inputs, 1, 1);
        Tensor x = inputs[0];
        PoolGeometry g = PoolWindow.global("GlobalMaxPool", x.shape());
        Tensor y = Tensor.zeros(PoolWindow.globalOutputShape(x.shape()));
        int[] argmax = ctx.recording() ? new int[g.outputSize()] : null;
        ctx.kernels().maxPoolForward(g, x.data(), y.data(), argmax);
        if (argmax != null) {
            ctx.save(argmax);
        }
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        Tensor[] out = new Tensor[ctx.inputCount()];
        if (!ctx.needsGradient(0)) {
            return out;
        }
        int[] xShape = ctx.inputShape(0);
        out[0] = MaxPoolIndices.scatter(ctx, "GlobalMaxPool", PoolWindow.global("GlobalMaxPool", xShape), xShape,
                gradOutputs[0]);
        return out;
    }

    @Override
    public String toString() {
        return "GlobalMaxPool()";
    }
}
