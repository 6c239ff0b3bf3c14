package dev.netlens.core.ops;

/**
 * ONNX ReduceMax: the maximum over {@code axes} (attributes and axis rules in {@link ReduceOp});
 * the gradient goes to the arg-max element(s), split equally among ties (see
 * {@link ReduceExtremumOp}).
 */
public final class ReduceMax extends ReduceExtremumOp {
    private ReduceMax(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        super(axes, keepdims, noopWithEmptyAxes);
    }

    /** ReduceMax over {@code axes} (none = all) with keepdims = 1. */
    public static ReduceMax over(int... axes) {
        return new ReduceMax(axes, true, false);
    }

    /** ReduceMax over all axes with keepdims = 1 (the ONNX defaults). */
    public static ReduceMax all() {
        return new ReduceMax(null, true, false);
    }

    /** ReduceMax with every attribute given ({@code axes} null = absent). */
    public static ReduceMax of(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        return new ReduceMax(axes, keepdims, noopWithEmptyAxes);
    }

    @Override
    public String type() {
        return "ReduceMax";
    }

    @Override
    protected boolean isMax() {
        return true;
    }
}
