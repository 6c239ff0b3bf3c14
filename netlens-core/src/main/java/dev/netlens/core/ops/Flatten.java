package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Flatten: a 2-D view [d0·…·d(axis-1), d(axis)·…·d(r-1)] of an input of rank r.
 * {@code axis} defaults to 1 and lies in [-r, r] (negative counts from the end); axis 0 gives
 * [1, size].
 */
public final class Flatten extends ViewOp {
    private final int axis;

    /** Flatten with the ONNX default axis 1. */
    public Flatten() {
        this(1);
    }

    public Flatten(int axis) {
        this.axis = axis;
    }

    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("axis", axis);
        return a;
    }

    @Override
    public int[] outputShape(int[] in) {
        int r = in.length;
        int a = axis < 0 ? axis + r : axis;
        if (a < 0 || a > r) {
            throw new IllegalArgumentException("Flatten: axis " + axis + " is out of range for an input of shape "
                    + Shapes.toString(in) + " (valid: " + (-r) + " … " + r + ")");
        }
        return new int[] {Shapes.size(in, 0, a), Shapes.size(in, a, r)};
    }
}
