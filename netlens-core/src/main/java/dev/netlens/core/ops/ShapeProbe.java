package dev.netlens.core.ops;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;

/** Shape inference helpers for {@link Op#outputShapes}. */
final class ShapeProbe {
    private ShapeProbe() {
    }

    /** Output shapes found by running the forward pass on zero tensors. */
    static int[][] byForward(Op op, int[][] inputShapes, int outputCount) {
        Tensor[] in = new Tensor[inputShapes.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = inputShapes[i] == null ? null : Tensor.zeros(inputShapes[i]);
        }
        Tensor[] out = op.forward(new ForwardContext() {
            @Override
            public Kernels kernels() {
                return Kernels.java();
            }

            @Override
            public boolean training() {
                return false;
            }

            @Override
            public boolean recording() {
                return false;
            }

            @Override
            public void save(Object state) {
            }

            @Override
            public SplittableRandom random() {
                return new SplittableRandom(0);
            }

            @Override
            public String nodeName() {
                return "shape inference";
            }

            @Override
            public int outputCount() {
                return outputCount;
            }
        }, in);
        int[][] shapes = new int[outputCount][];
        for (int o = 0; o < outputCount; o++) {
            shapes[o] = out[o].shape();
        }
        return shapes;
    }

    /** The same shape for every output (element-wise ops). */
    static int[][] same(int[] shape, int outputCount) {
        int[][] shapes = new int[outputCount][];
        for (int o = 0; o < outputCount; o++) {
            shapes[o] = shape.clone();
        }
        return shapes;
    }
}
