package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the ONNX reductions (ReduceSum, ReduceMean, ReduceMax, ReduceMin): the attributes and
 * their axis bookkeeping.
 *
 * <p>Attributes with ONNX names and defaults: {@code axes} (absent or empty = reduce over all axes,
 * unless {@code noop_with_empty_axes} = 1, in which case the op is the identity; negative axes
 * count from the end; repeats are rejected), {@code keepdims} (default 1: reduced axes stay with
 * extent 1; 0: they are dropped), {@code noop_with_empty_axes} (default 0). Since opset 13
 * (ReduceSum) and 18 (the others) ONNX passes {@code axes} as an input; an importer folds that
 * constant into this attribute.
 *
 * <p>The walk over the input is row-major, in rows along the last (merged) dimension; each output
 * element therefore accumulates its inputs in increasing index order, so results are deterministic.
 */
public abstract class ReduceOp implements Op {
    private final int[] axes;
    private final boolean keepdims;
    private final boolean noopWithEmptyAxes;

    protected ReduceOp(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        this.axes = axes == null ? null : axes.clone();
        this.keepdims = keepdims;
        this.noopWithEmptyAxes = noopWithEmptyAxes;
    }

    /** The {@code axes} attribute as given, or null when absent. */
    public int[] axes() {
        return axes == null ? null : axes.clone();
    }

    public boolean keepdims() {
        return keepdims;
    }

    public boolean noopWithEmptyAxes() {
        return noopWithEmptyAxes;
    }

    @Override
    public OpCategory category() {
        return OpCategory.REDUCTION;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        if (axes != null) {
            a.put("axes", axes.clone());
        }
        a.put("keepdims", keepdims ? 1 : 0);
        a.put("noop_with_empty_axes", noopWithEmptyAxes ? 1 : 0);
        return a;
    }

    @Override
    public String toString() {
        return type() + "{axes=" + (axes == null ? "all" : Arrays.toString(axes)) + ", keepdims=" + (keepdims ? 1 : 0)
                + (noopWithEmptyAxes ? ", noop_with_empty_axes=1" : "") + "}";
    }

    /** The reduction as planned for one input shape. */
    protected static final class Layout {
        /** The input shape. */
        public final int[] inShape;
        /** The output shape. */
        public final int[] outShape;
        /** True when nothing is reduced (empty axes with noop_with_empty_axes = 1). */
        public final boolean identity;
        /** Number of input elements reduced into each output element. */
        public final int count;
        private final int[] dims;
        private final int[] xStrides;
        private final int[] yStrides;

        Layout(int[] inShape, boolean[] reduced, boolean keepdims, boolean identity) {
            this.inShape = inShape;
            this.identity = identity;
            int rank = inShape.length;
            int kept = 0;
            int cnt = 1;
            for (int d = 0; d < rank; d++) {
                if (reduced[d]) {
                    cnt *= inShape[d];
                } else {
                    kept++;
                }
            }
            this.count = cnt;
            int[] out = new int[keepdims ? rank : kept];
            for (int d = 0, o = 0; d < rank; d++) {
                if (!reduced[d]) {
                    out[o++] = inShape[d];
                } else if (keepdims) {
                    out[o++] = 1;
                }
            }
            this.outShape = out;
            int[] xs = Shapes.strides(inShape);
            int[] ys = new int[rank];
            for (int d = rank - 1, acc = 1; d >= 0; d--) {
                if (!reduced[d]) {
                    ys[d] = acc;
                    acc *= inShape[d];
                }
            }
            // Merge dimension d into the previous one when both tensors step through them as one.
            int[] dm = new int[Math.max(rank, 1)];
            int[] xm = new int[Math.max(rank, 1)];
            int[] ym = new int[Math.max(rank, 1)];
            int k = 0;
            for (int d = 0; d < rank; d++) {
                if (inShape[d] == 1) {
                    continue;
                }
                if (k > 0 && xm[k - 1] == xs[d] * inShape[d] && ym[k - 1] == ys[d] * inShape[d]) {
                    dm[k - 1] *= inShape[d];
                    xm[k - 1] = xs[d];
                    ym[k - 1] = ys[d];
                } else {
                    dm[k] = inShape[d];
                    xm[k] = xs[d];
                    ym[k] = ys[d];
                    k++;
                }
            }
            if (k == 0) {
                dm[0] = 1;
                xm[0] = 1;
                ym[0] = 0;
                k = 1;
            }
            dims = Arrays.copyOf(dm, k);
            xStrides = Arrays.copyOf(xm, k);
            yStrides = Arrays.copyOf(ym, k);
        }

        /**
         * Calls {@code body} for every row of the input in row-major order: {@code length} input
         * elements from {@code xOffset} (contiguous) map to output elements from {@code yOffset} at
         * stride {@code yStride} (0 when the row lies along a reduced dimension, else 1).
         */
        public void forEachRow(RowBody body) {
            if (Shapes.size(inShape) == 0) {
                return;
            }
            int k = dims.length;
            int row = dims[k - 1];
            int rowYStride = yStrides[k - 1];
            int rows = 1;
            for (int d = 0; d < k - 1; d++) {
                rows *= dims[d];
            }
            int[] idx = new int[k];
            int yi = 0;
            for (int r = 0, xi = 0; r < rows; r++, xi += row) {
                body.run(xi, yi, row, rowYStride);
                for (int d = k - 2; d >= 0; d--) {
                    idx[d]++;
                    yi += yStrides[d];
                    if (idx[d] < dims[d]) {
                        break;
                    }
                    yi -= yStrides[d] * dims[d];
                    idx[d] = 0;
                }
            }
        }
    }

    /** Body of {@link Layout#forEachRow}. */
    @FunctionalInterface
    protected interface RowBody {
        void run(int xOffset, int yOffset, int length, int yStride);
    }

    /** Validates the attributes against an input shape and plans the reduction. */
    protected final Layout layout(int[] inShape) {
        int rank = inShape.length;
        boolean[] reduced = new boolean[rank];
        if (axes == null || axes.length == 0) {
            if (noopWithEmptyAxes) {
                return new Layout(inShape, reduced, true, true);
            }
            Arrays.fill(reduced, true);
        } else {
            for (int axis : axes) {
                if (axis < -rank || axis >= rank) {
                    throw new IllegalArgumentException(type() + ": axis " + axis + " is out of range for input of shape "
                            + Shapes.toString(inShape) + (rank == 0 ? " (a scalar has no axes; leave axes empty)"
                            : " (valid: " + (-rank) + " … " + (rank - 1) + ")"));
                }
                int a = axis < 0 ? axis + rank : axis;
                if (reduced[a]) {
                    throw new IllegalArgumentException(type() + ": axes " + Arrays.toString(axes) + " name axis " + a
                            + " more than once for input of shape " + Shapes.toString(inShape)
                            + " (each axis may appear once)");
                }
                reduced[a] = true;
            }
        }
        return new Layout(inShape, reduced, keepdims, false);
    }

    /** Writes the reduction of {@code x} into {@code y} (zero-filled, of the output's size). */
    protected abstract void reduce(float[] x, float[] y, Layout layout);

    /** Writes the input gradient {@code gx} (zero-filled) from the output gradient {@code g}. */
    protected abstract void vjp(BackwardContext ctx, Layout layout, float[] g, float[] gx);

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs(type(), inputs, 1, 1);
        Tensor x = inputs[0];
        Layout l = layout(x.shape());
        if (l.identity) {
            return new Tensor[] {x.copy()};
        }
        Tensor y = Tensor.zeros(l.outShape);
        reduce(x.data(), y.data(), l);
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        Layout l = layout(ctx.inputShape(0));
        if (l.identity) {
            return new Tensor[] {gradOutputs[0].copy()};
        }
        Tensor gx = Tensor.zeros(l.inShape);
        vjp(ctx, l, gradOutputs[0].data(), gx.data());
        return new Tensor[] {gx};
    }
}
