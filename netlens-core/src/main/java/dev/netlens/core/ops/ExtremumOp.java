package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;

/**
 * Base of the variadic ONNX Max and Min: y = element-wise extreme of 1…N inputs, all broadcast
 * together (NumPy rules). NaN in any input gives NaN.
 *
 * <p>VJP: each output element's gradient goes to the input(s) holding the extreme value, split
 * equally among ties (k tied inputs get g/k each), then summed back to each input's shape. For two
 * inputs this is PyTorch's rule for {@code torch.maximum}/{@code torch.minimum} (g/2 each on a
 * tie). Where the output is NaN the gradient goes to the NaN inputs. The backward pass reads the
 * inputs and recomputes the output rather than retaining it.
 */
public abstract class ExtremumOp implements Op {
    /** True for Max, false for Min. */
    protected abstract boolean isMax();

    @Override
    public OpCategory category() {
        return OpCategory.ELEMENTWISE;
    }

    @Override
    public boolean retainsInput(int index) {
        return true;
    }

    @Override
    public boolean retainsOutput(int index) {
        return false;
    }

    private int[] outShape(Tensor[] inputs) {
        int[] out = inputs[0].shape();
        for (int i = 1; i < inputs.length; i++) {
            try {
                out = Shapes.broadcast(out, inputs[i].shape());
            } catch (IllegalArgumentException e) {
                StringBuilder shapes = new StringBuilder();
                for (int k = 0; k < inputs.length; k++) {
                    shapes.append(k == 0 ? "" : ", ").append(Shapes.toString(inputs[k].shape()));
                }
                throw new IllegalArgumentException(type() + ": input shapes " + shapes
                        + " cannot be broadcast together (each dimension, aligned from the right, must be 1 or"
                        + " one common extent)", e);
            }
        }
        return out;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        if (inputs.length < 1) {
            throw new IllegalArgumentException(type() + " takes 1 or more inputs, got 0");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException(type() + " input " + i + " is missing (all inputs are required)");
            }
        }
        int[] out = outShape(inputs);
        Tensor y = Tensor.zeros(out);
        float[] yd = y.data();
        float[] first = inputs[0].data();
        BroadcastRows.forEach(inputs[0].shape(), out, (xi, yi, n, s) -> {
            for (int k = 0; k < n; k++) {
                yd[yi + k] = first[xi + k * s];
            }
        });
        boolean max = isMax();
        for (int i = 1; i < inputs.length; i++) {
            float[] xd = inputs[i].data();
            BroadcastRows.forEach(inputs[i].shape(), out, max ? (xi, yi, n, s) -> {
                for (int k = 0; k < n; k++) {
                    float v = xd[xi + k * s];
                    float m = yd[yi + k];
                    yd[yi + k] = v > m || v != v ? v : m;
                }
            } : (xi, yi, n, s) -> {
                for (int k = 0; k < n; k++) {
                    float v = xd[xi + k * s];
                    float m = yd[yi + k];
                    yd[yi + k] = v < m || v != v ? v : m;
                }
            });
        }
        return new Tensor[] {y};
    }

    /** Whether input value v holds the extreme m (NaN matches NaN). */
    private static boolean holds(float v, float m) {
        return v == m || v != v && m != m;
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        int count = ctx.inputCount();
        Tensor[] grads = new Tensor[count];
        float[] g = gradOutputs[0].data();
        int[] out = gradOutputs[0].shape();
        if (count == 1) {
            if (ctx.needsGradient(0)) {
                grads[0] = gradOutputs[0].copy();
            }
            return grads;
        }
        float[] y = ctx.output(0).data();
        float[][] x = new float[count][];
        int[][] shapes = new int[count][];
        for (int i = 0; i < count; i++) {
            x[i] = ctx.input(i).data();
            shapes[i] = ctx.inputShape(i);
        }
        int[] ties = new int[y.length];
        for (int i = 0; i < count; i++) {
            float[] xd = x[i];
            BroadcastRows.forEach(shapes[i], out, (xi, yi, n, s) -> {
                for (int k = 0; k < n; k++) {
                    if (holds(xd[xi + k * s], y[yi + k])) {
                        ties[yi + k]++;
                    }
                }
            });
        }
        for (int i = 0; i < count; i++) {
            if (!ctx.needsGradient(i)) {
                continue;
            }
            float[] xd = x[i];
            Tensor full = Tensor.zeros(out);
            float[] fd = full.data();
            BroadcastRows.forEach(shapes[i], out, (xi, yi, n, s) -> {
                for (int k = 0; k < n; k++) {
                    int j = yi + k;
                    if (holds(xd[xi + k * s], y[j])) {
                        fd[j] = ties[j] == 1 ? g[j] : g[j] / ties[j];
                    }
                }
            });
            grads[i] = OpSupport.sumToShape(full, shapes[i]);
        }
        return grads;
    }

    @Override
    public String toString() {
        return type();
    }
}
