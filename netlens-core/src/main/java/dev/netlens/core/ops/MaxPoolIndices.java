package dev.netlens.core.ops;

import dev.netlens.core.kernels.PoolGeometry;
import dev.netlens.core.tensor.Tensor;

/**
 * What MaxPool and GlobalMaxPool share: the ONNX Indices output made from the kernels' argmax, and
 * the VJP that scatters the output gradient to the argmax saved by the forward pass.
 */
final class MaxPoolIndices {
    private MaxPoolIndices() {
    }

    /**
     * The flat input index of each output's maximum as floats (−1 for a window entirely in the
     * padding); with storage order 1 the position within each plane is counted column-major.
     */
    static Tensor asFloats(PoolGeometry g, int[] argmax, int storageOrder, int[] outShape) {
        Tensor t = Tensor.zeros(outShape);
        float[] d = t.data();
        int area = g.inArea();
        for (int o = 0; o < argmax.length; o++) {
            int idx = argmax[o];
            if (idx < 0 || storageOrder == 0) {
                d[o] = idx;
            } else {
                int plane = idx / area;
                int within = idx - plane * area;
                int h = within / g.inWidth;
                int w = within - h * g.inWidth;
                d[o] = (float) ((long) plane * area + (long) w * g.inHeight + h);
            }
        }
        return t;
    }

    /** dx: the output gradient scattered to the argmax saved by {@code op}'s forward pass. */
    static Tensor scatter(BackwardContext ctx, String op, PoolGeometry g, int[] xShape, Tensor gradOutput) {
        Object saved = ctx.saved();
        if (!(saved instanceof int[] argmax) || argmax.length != g.outputSize()) {
            throw new IllegalStateException(op + " node '" + ctx.nodeName() + "': the backward pass needs the argmax "
                    + "saved by a recording forward pass (run the graph with record())");
        }
        Tensor dx = Tensor.uninitialized(xShape);
        ctx.kernels().maxPoolBackward(g, gradOutput.data(), argmax, dx.data());
        return dx;
    }
}
