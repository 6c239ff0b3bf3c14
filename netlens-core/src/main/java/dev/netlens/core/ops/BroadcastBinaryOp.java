package dev.netlens.core.ops;

import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;

/**
 * Base of element-wise binary ops with NumPy broadcasting, y = f(a, b). This class plans the
 * iteration — the output is walked in rows along which each operand is either contiguous
 * (stride 1) or constant (stride 0), after merging dimensions that allow it — and subclasses write
 * the row loops. Gradients are formed at output resolution and summed back to each operand's shape.
 */
public abstract class BroadcastBinaryOp implements Op {

    /** y[yi + k] = f(a[ai + k·as], b[bi + k·bs]) for k in [0, n). */
    protected abstract void forwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi, int n);

    /**
     * For k in [0, n): ga[yi + k] = g[yi + k] · ∂f/∂a and gb[yi + k] = g[yi + k] · ∂f/∂b at
     * (a[ai + k·as], b[bi + k·bs]); {@code ga} or {@code gb} is null when not wanted. {@code y} is
     * the forward output when {@link #backwardUsesOutput()}, else null; {@code a}/{@code b} are null
     * unless {@link #backwardUsesInputs()}.
     */
    protected abstract void backwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi,
                                        float[] g, float[] ga, float[] gb, int n);

    /** Whether the derivative reads the inputs (default true; false for Add and Sub). */
    protected boolean backwardUsesInputs() {
        return true;
    }

    /** Whether the derivative reads the output (default false). */
    protected boolean backwardUsesOutput() {
        return false;
    }

    @Override
    public OpCategory category() {
        return OpCategory.ELEMENTWISE;
    }

    @Override
    public boolean retainsInput(int index) {
        return backwardUsesInputs();
    }

    @Override
    public boolean retainsOutput(int index) {
        return backwardUsesOutput();
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs(type(), inputs, 2, 2);
        Tensor a = inputs[0];
        Tensor b = inputs[1];
        Plan plan = new Plan(a.shape(), b.shape());
        Tensor y = Tensor.uninitialized(plan.out);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] yd = y.data();
        plan.forEachRow((ai, bi, yi, n) -> forwardRow(ad, ai, plan.rowStrideA, bd, bi, plan.rowStrideB, yd, yi, n));
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        boolean wantA = ctx.needsGradient(0);
        boolean wantB = ctx.needsGradient(1);
        if (!wantA && !wantB) {
            return new Tensor[2];
        }
        int[] aShape = ctx.inputShape(0);
        int[] bShape = ctx.inputShape(1);
        Plan plan = new Plan(aShape, bShape);
        float[] ad = backwardUsesInputs() ? ctx.input(0).data() : null;
        float[] bd = backwardUsesInputs() ? ctx.input(1).data() : null;
        float[] yd = backwardUsesOutput() ? ctx.output(0).data() : null;
        float[] g = gradOutputs[0].data();
        Tensor gaFull = wantA ? Tensor.uninitialized(plan.out) : null;
        Tensor gbFull = wantB ? Tensor.uninitialized(plan.out) : null;
        float[] ga = wantA ? gaFull.data() : null;
        float[] gb = wantB ? gbFull.data() : null;
        plan.forEachRow((ai, bi, yi, n) ->
                backwardRow(ad, ai, plan.rowStrideA, bd, bi, plan.rowStrideB, yd, yi, g, ga, gb, n));
        return new Tensor[] {
            wantA ? OpSupport.sumToShape(gaFull, aShape) : null,
            wantB ? OpSupport.sumToShape(gbFull, bShape) : null
        };
    }

    @Override
    public String toString() {
        return type();
    }

    @FunctionalInterface
    interface RowAction {
        void run(int aOffset, int bOffset, int yOffset, int length);
    }

    /** Fewest elements per thread when a single row is split. */
    private static final int PARALLEL_GRAIN = 1 << 15;

    /** Iteration plan over the broadcast output: outer dims by odometer, last (merged) dim as rows. */
    static final class Plan {
        final int[] out;
        private final int[] dims;
        private final int[] strideA;
        private final int[] strideB;
        final int rowStrideA;
        final int rowStrideB;

        Plan(int[] aShape, int[] bShape) {
            out = Shapes.broadcast(aShape, bShape);
            int rank = out.length;
            int[] sa = expandedStrides(aShape, rank, out);
            int[] sb = expandedStrides(bShape, rank, out);
            // Merge dim d into d+1 when both operands step through them as one dimension.
            int[] dimsTmp = new int[Math.max(rank, 1)];
            int[] saTmp = new int[Math.max(rank, 1)];
            int[] sbTmp = new int[Math.max(rank, 1)];
            int k = 0;
            if (rank == 0) {
                dimsTmp[0] = 1;
                k = 1;
            }
            for (int d = 0; d < rank; d++) {
                if (out[d] == 1) {
                    continue;
                }
                if (k > 0 && saTmp[k - 1] == sa[d] * out[d] && sbTmp[k - 1] == sb[d] * out[d]) {
                    dimsTmp[k - 1] *= out[d];
                    saTmp[k - 1] = sa[d];
                    sbTmp[k - 1] = sb[d];
                } else {
                    dimsTmp[k] = out[d];
                    saTmp[k] = sa[d];
                    sbTmp[k] = sb[d];
                    k++;
                }
            }
            if (k == 0) {
                dimsTmp[0] = 1;
                k = 1;
            }
            dims = java.util.Arrays.copyOf(dimsTmp, k);
            strideA = java.util.Arrays.copyOf(saTmp, k);
            strideB = java.util.Arrays.copyOf(sbTmp, k);
            rowStrideA = strideA[k - 1];
            rowStrideB = strideB[k - 1];
        }

        private static int[] expandedStrides(int[] shape, int rank, int[] out) {
            int[] own = Shapes.strides(shape);
            int[] s = new int[rank];
            int shift = rank - shape.length;
            for (int d = 0; d < shape.length; d++) {
                s[d + shift] = shape[d] == 1 && out[d + shift] != 1 ? 0 : own[d];
            }
            return s;
        }

        void forEachRow(RowAction action) {
            int k = dims.length;
            int row = dims[k - 1];
            int rows = 1;
            for (int d = 0; d < k - 1; d++) {
                rows *= dims[d];
            }
            if (rows == 1) {
                // One merged row (same shapes, or a scalar operand): split it over the threads.
                // Element-wise rows write disjoint ranges, so the result does not depend on it.
                Parallel.range(row, PARALLEL_GRAIN, (from, to) -> action.run(from * rowStrideA, from * rowStrideB, from,
                        to - from));
                return;
            }
            int[] idx = new int[k];
            int ai = 0;
            int bi = 0;
            for (int r = 0, yi = 0; r < rows; r++, yi += row) {
                action.run(ai, bi, yi, row);
                for (int d = k - 2; d >= 0; d--) {
                    idx[d]++;
                    ai += strideA[d];
                    bi += strideB[d];
                    if (idx[d] < dims[d]) {
                        break;
                    }
                    ai -= strideA[d] * dims[d];
                    bi -= strideB[d] * dims[d];
                    idx[d] = 0;
                }
            }
        }
    }

    @Override
    public int[][] outputShapes(int[][] in, int outputCount) {
        if (in.length != 2 || in[0] == null || in[1] == null) {
            throw new IllegalArgumentException(type() + " takes 2 inputs, got " + in.length);
        }
        return ShapeProbe.same(Shapes.broadcast(in[0], in[1]), outputCount);
    }
}
