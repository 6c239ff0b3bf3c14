package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Concat: joins one or more tensors along {@code axis} (negative counts from the end, valid
 * range [-r, r-1]). All inputs have the same rank and agree on every other dimension. The VJP
 * cuts the output gradient back into the inputs' pieces; it needs only the input shapes.
 */
public final class Concat extends ValueOp {
    private final int axis;

    /** Concatenation along {@code axis} (required in ONNX; no default). */
    public Concat(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public String type() {
        return "Concat";
    }

    @Override
    public OpCategory category() {
        return OpCategory.SHAPE;
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("axis", axis);
        return a;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("Concat takes at least 1 input, got 0");
        }
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException("Concat input " + i + " is required");
            }
            shapes[i] = inputs[i].shape();
        }
        int[] out = outputShape(shapes);
        Tensor y = Tensor.zeros(out);
        int a = Axes.normalize("Concat", "axis", axis, out.length);
        int outer = Shapes.size(out, 0, a);
        int outBlock = Shapes.size(out, a, out.length);
        float[] yd = y.data();
        int offset = 0;
        for (Tensor x : inputs) {
            int block = Shapes.size(x.shape(), a, out.length);
            float[] xd = x.data();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(xd, o * block, yd, o * outBlock + offset, block);
            }
            offset += block;
        }
        return new Tensor[] {y};
    }

    /** The output shape for these input shapes (validated). */
    int[] outputShape(int[][] shapes) {
        int[] first = shapes[0];
        int rank = first.length;
        if (rank == 0) {
            throw new IllegalArgumentException("Concat cannot join scalars (rank 0); inputs need rank >= 1");
        }
        int a = Axes.normalize("Concat", "axis", axis, rank);
        int[] out = first.clone();
        for (int i = 1; i < shapes.length; i++) {
            int[] s = shapes[i];
            boolean ok = s.length == rank;
            for (int d = 0; ok && d < rank; d++) {
                ok = d == a || s[d] == first[d];
            }
            if (!ok) {
                throw new IllegalArgumentException("Concat along axis " + axis + ": input " + i + " has shape "
                        + Shapes.toString(s) + " but input 0 has shape " + Shapes.toString(first)
                        + "; all inputs must have rank " + rank + " and agree on every dimension except " + a);
            }
            out[a] += s[a];
        }
        return out;
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        int n = ctx.inputCount();
        int[] out = ctx.outputShape(0);
        int a = Axes.normalize("Concat", "axis", axis, out.length);
        int outer = Shapes.size(out, 0, a);
        int outBlock = Shapes.size(out, a, out.length);
        float[] g = gradOutputs[0].data();
        Tensor[] grads = new Tensor[n];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            int[] s = ctx.inputShape(i);
            int block = Shapes.size(s, a, s.length);
            if (ctx.needsGradient(i)) {
                grads[i] = Tensor.zeros(s);
                float[] gd = grads[i].data();
                for (int o = 0; o < outer; o++) {
                    System.arraycopy(g, o * outBlock + offset, gd, o * block, block);
                }
            }
            offset += block;
        }
        return grads;
    }
}
