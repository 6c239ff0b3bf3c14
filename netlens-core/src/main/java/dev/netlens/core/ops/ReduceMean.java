package dev.netlens.core.ops;

/**
 * ONNX ReduceMean: y = (1/n)·Σ x over {@code axes}, n the number of reduced elements (attributes
 * and axis rules in {@link ReduceOp}); accumulated in double in row-major input order (NaN for an
 * empty reduction). VJP: each input element receives its output's gradient divided by n; the
 * backward pass reads no tensors.
 */
public final class ReduceMean extends ReduceOp {
    private ReduceMean(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        super(axes, keepdims, noopWithEmptyAxes);
    }

    /** ReduceMean over {@code axes} (none = all) with keepdims = 1. */
    public static ReduceMean over(int... axes) {
        return new ReduceMean(axes, true, false);
    }

    /** ReduceMean over all axes with keepdims = 1 (the ONNX defaults). */
    public static ReduceMean all() {
        return new ReduceMean(null, true, false);
    }

    /** ReduceMean with every attribute given ({@code axes} null = absent). */
    public static ReduceMean of(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        return new ReduceMean(axes, keepdims, noopWithEmptyAxes);
    }

    @Override
    public String type() {
        return "ReduceMean";
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    @Override
    protected void reduce(float[] x, float[] y, Layout layout) {
        ReduceSum.sum(x, y, layout, layout.count == 0 ? Double.NaN : 1.0 / layout.count);
    }

    @Override
    protected void vjp(BackwardContext ctx, Layout layout, float[] g, float[] gx) {
        ReduceSum.spread(g, gx, layout, (float) (1.0 / layout.count));
    }
}
