package dev.netlens.core.ops;

import dev.netlens.core.kernels.PoolGeometry;
import dev.netlens.core.tensor.Tensor;

/**
 * ONNX GlobalAveragePool: X [N, C, D1, …, Dk] (k ≥ 1) → Y [N, C, 1, …, 1], the mean over all
 * spatial positions of each channel. Computed by the average-pooling kernels with the spatial
 * axes flattened into one window; the VJP spreads each gradient evenly over its plane and reads
 * only the input shape.
 */
public final class GlobalAveragePool implements Op {
    @Override
    public String type() {
        return "GlobalAveragePool";
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
        OpSupport.requireInputs("GlobalAveragePool", inputs, 1, 1);
        Tensor x = inputs[0];
        PoolGeometry g = PoolWindow.global("GlobalAveragePool", x.shape());
        Tensor y = Tensor.zeros(PoolWindow.globalOutputShape(x.shape()));
        ctx.kernels().avgPoolForward(g, false, x.data(), y.data());
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        Tensor[] out = new Tensor[ctx.inputCount()];
        if (!ctx.needsGradient(0)) {
            return out;
        }
        int[] xShape = ctx.inputShape(0);
        out[0] = Tensor.uninitialized(xShape);
        ctx.kernels().avgPoolBackward(PoolWindow.global("GlobalAveragePool", xShape), false, gradOutputs[0].data(),
                out[0].data());
        return out;
    }

    @Override
    public String toString() {
        return "GlobalAveragePool()";
    }
}
