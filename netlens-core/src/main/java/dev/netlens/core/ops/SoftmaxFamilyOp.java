package dev.netlens.core.ops;

import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of Softmax and LogSoftmax: the axis bookkeeping for both ONNX semantics, the parallel loop
 * over independent lines, and retention (the VJP reads only the output).
 *
 * <p>Two modes:
 * <ul>
 *   <li>opset ≥ 13 ("along"): normalise along the single axis
 *       {@code axis} (default −1, valid −r … r−1);</li>
 *   <li>opset &lt; 13 ({@linkplain #legacyCoerced() legacy coerced}): the input is viewed as 2-D [∏ dims before axis,
 *       ∏ dims from axis] and normalised along the second dimension (default axis 1, valid −r … r;
 *       axis r makes every line a single element).</li>
 * </ul>
 * Either way the work is a set of lines of n elements with a fixed stride (the product of the
 * extents after the axis, 1 in legacy mode), computed in double with the line's maximum
 * subtracted first.
 */
public abstract class SoftmaxFamilyOp implements Op {
    private static final int GRAIN = 1 << 14;

    private final int axis;
    private final boolean legacy;

    protected SoftmaxFamilyOp(int axis, boolean legacy) {
        this.axis = axis;
        this.legacy = legacy;
    }

    /** The {@code axis} attribute as given (possibly negative). */
    public int axis() {
        return axis;
    }

    /** True for the opset &lt; 13 semantics (input coerced to 2-D at {@code axis}). */
    public boolean legacyCoerced() {
        return legacy;
    }

    @Override
    public OpCategory category() {
        return OpCategory.NORMALIZATION;
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    @Override
    public boolean retainsOutput(int index) {
        return true;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("axis", axis);
        return a;
    }

    @Override
    public String toString() {
        return type() + (legacy ? "{axis=" + axis + ", coerced to 2-D (opset < 13)}" : attributes().toString());
    }

    /** {outer, n, inner}: lines are outer × inner, each of n elements at stride inner. */
    private int[] layout(int[] shape) {
        int rank = shape.length;
        if (rank == 0) {
            throw new IllegalArgumentException(type() + ": input must have rank >= 1, got a scalar (shape [])");
        }
        if (legacy) {
            if (axis < -rank || axis > rank) {
                throw new IllegalArgumentException(type() + " (opset < 13): axis " + axis + " is out of range for input"
                        + " of shape " + Shapes.toString(shape) + " (valid: " + (-rank) + " … " + rank + ")");
            }
            int a = axis < 0 ? axis + rank : axis;
            return new int[] {Shapes.size(shape, 0, a), Shapes.size(shape, a, rank), 1};
        }
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(type() + ": axis " + axis + " is out of range for input of shape "
                    + Shapes.toString(shape) + " (valid: " + (-rank) + " … " + (rank - 1) + ")");
        }
        int a = axis < 0 ? axis + rank : axis;
        return new int[] {Shapes.size(shape, 0, a), shape[a], Shapes.size(shape, a + 1, rank)};
    }

    /**
     * Computes lines [from, to): line l starts at (l / inner)·n·inner + l % inner and has n
     * elements at stride {@code inner}. {@code buf} is a scratch array of n doubles.
     */
    protected abstract void forwardLines(float[] x, float[] y, int n, int inner, int from, int to, double[] buf);

    /** The VJP of lines [from, to) from the output y and the output gradient g. */
    protected abstract void backwardLines(float[] y, float[] g, float[] gx, int n, int inner, int from, int to);

    /** Offset of the first element of line {@code l}. */
    protected static int lineStart(int l, int n, int inner) {
        return (l / inner) * n * inner + l % inner;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs(type(), inputs, 1, 1);
        Tensor x = inputs[0];
        int[] l = layout(x.shape());
        Tensor y = Tensor.zerosLike(x);
        float[] xd = x.data();
        float[] yd = y.data();
        int n = l[1];
        int inner = l[2];
        if (n > 0) {
            Parallel.range(l[0] * inner, Math.max(1, GRAIN / n),
                    (from, to) -> forwardLines(xd, yd, n, inner, from, to, new double[n]));
        }
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        Tensor g = gradOutputs[0];
        int[] l = layout(g.shape());
        float[] y = ctx.output(0).data();
        Tensor gx = Tensor.zerosLike(g);
        float[] gd = g.data();
        float[] gxd = gx.data();
        int n = l[1];
        int inner = l[2];
        if (n > 0) {
            Parallel.range(l[0] * inner, Math.max(1, GRAIN / n),
                    (from, to) -> backwardLines(y, gd, gxd, n, inner, from, to));
        }
        return new Tensor[] {gx};
    }
}
