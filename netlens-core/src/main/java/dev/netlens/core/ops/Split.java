package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Split (opset 18 semantics): cuts the input along {@code axis} (negative counts from the
 * end) into consecutive pieces, one output each. Either the sizes are explicit ({@code split},
 * which must sum to the axis extent), or {@code num_outputs} pieces of ceil(extent / num_outputs)
 * are taken and the last piece is what remains (smaller when the extent is not divisible). The
 * VJP concatenates the output gradients (zeros for unused outputs); it needs only the shapes.
 */
public final class Split extends ValueOp {
    private final int axis;
    private final int[] split;
    private final int numOutputs;

    private Split(int axis, int[] split, int numOutputs) {
        this.axis = axis;
        this.split = split;
        this.numOutputs = numOutputs;
    }

    /** Pieces of the given sizes along {@code axis} (ONNX input {@code split}). */
    public static Split of(int axis, int... split) {
        if (split.length == 0) {
            throw new IllegalArgumentException("Split: split must list at least one size");
        }
        for (int s : split) {
            if (s < 0) {
                throw new IllegalArgumentException("Split: split " + Arrays.toString(split)
                        + " has a negative size; sizes must be >= 0");
            }
        }
        return new Split(axis, split.clone(), split.length);
    }

    /** {@code numOutputs} pieces of ceil(extent / numOutputs), the last one smaller if need be (ONNX num_outputs). */
    public static Split equal(int axis, int numOutputs) {
        if (numOutputs < 1) {
            throw new IllegalArgumentException("Split: num_outputs must be >= 1, got " + numOutputs);
        }
        return new Split(axis, null, numOutputs);
    }

    /** Number of outputs. */
    public int outputCount() {
        return numOutputs;
    }

    @Override
    public String type() {
        return "Split";
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
        if (split != null) {
            a.put("split", split.clone());
        } else {
            a.put("num_outputs", numOutputs);
        }
        return a;
    }

    /** The piece sizes for an axis of extent {@code extent} (validated). */
    public int[] sizes(int extent) {
        if (split != null) {
            long sum = 0;
            for (int s : split) {
                sum += s;
            }
            if (sum != extent) {
                throw new IllegalArgumentException("Split along axis " + axis + ": split " + Arrays.toString(split)
                        + " sums to " + sum + " but the axis has extent " + extent + "; the sizes must sum to " + extent);
            }
            return split.clone();
        }
        int chunk = (extent + numOutputs - 1) / numOutputs;
        int[] s = new int[numOutputs];
        Arrays.fill(s, chunk);
        s[numOutputs - 1] = extent - chunk * (numOutputs - 1);
        if (s[numOutputs - 1] < 0) {
            throw new IllegalArgumentException("Split along axis " + axis + ": an extent of " + extent
                    + " cannot be cut into " + numOutputs + " pieces of " + chunk + " (the last piece would have "
                    + s[numOutputs - 1] + " elements); give explicit split sizes or fewer outputs");
        }
        return s;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("Split", inputs, 1, 1);
        Tensor x = inputs[0];
        int[] shape = x.shape();
        Axes.requireRankAtLeast("Split", shape, 1);
        int a = Axes.normalize("Split", "axis", axis, shape.length);
        int[] sizes = sizes(shape[a]);
        int outer = Shapes.size(shape, 0, a);
        int inner = Shapes.size(shape, a + 1, shape.length);
        int inBlock = shape[a] * inner;
        float[] xd = x.data();
        Tensor[] out = new Tensor[sizes.length];
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            int[] s = shape.clone();
            s[a] = sizes[i];
            out[i] = Tensor.zeros(s);
            float[] yd = out[i].data();
            int block = sizes[i] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(xd, o * inBlock + offset, yd, o * block, block);
            }
            offset += block;
        }
        return out;
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        int[] shape = ctx.inputShape(0);
        int a = Axes.normalize("Split", "axis", axis, shape.length);
        int outer = Shapes.size(shape, 0, a);
        int inner = Shapes.size(shape, a + 1, shape.length);
        int inBlock = shape[a] * inner;
        Tensor gx = Tensor.zeros(shape);
        float[] gd = gx.data();
        int[] sizes = sizes(shape[a]);
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            int block = sizes[i] * inner;
            Tensor g = i < gradOutputs.length ? gradOutputs[i] : null;
            if (g != null) {
                float[] src = g.data();
                for (int o = 0; o < outer; o++) {
                    System.arraycopy(src, o * block, gd, o * inBlock + offset, block);
                }
            }
            offset += block;
        }
        return new Tensor[] {gx};
    }
}
