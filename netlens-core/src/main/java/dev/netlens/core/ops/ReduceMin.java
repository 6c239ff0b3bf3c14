package dev.netlens.core.ops;

/**
 * ONNX ReduceMin: the minimum over {@code axes} (attributes and axis rules in {@link ReduceOp});
 * the gradient goes to the arg-min element(s), split equally among ties (see
 * {@link ReduceExtremumOp}).
 */
public final class ReduceMin extends ReduceExtremumOp {
    private ReduceMin(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        super(axes, keepdims, noopWithEmptyAxes);
    }

    /** ReduceMin over {@code axes} (none = all) with keepdims = 1. */
    public static ReduceMin over(int... axes) {
        return new ReduceMin(axes, true, false);
    }

    /** ReduceMin over all axes with keepdims = 1 (the ONNX defaults). */
    public static ReduceMin all() {
        return new ReduceMin(null, true, false);
    }

    /** ReduceMin with every attribute given ({@code axes} null = absent). */
    public static ReduceMin of(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        return new ReduceMin(axes, keepdims, noopWithEmptyAxes);
    }

    @Override
    public String type() {
        return "ReduceMin";
    }

    @Override
    protected boolean isMax() {
        return false;
    }
}
