package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Reshape (opset 14 semantics) with the target shape as an attribute. One entry may be -1
 * (inferred from the element count). With {@code allowzero = 0} (default) an entry 0 copies the
 * input's extent at the same position; with {@code allowzero = 1} it is a zero extent, and the
 * shape may then not contain both 0 and -1. The output is a view of the input's data.
 */
public final class Reshape extends ViewOp {
    private final int[] shape;
    private final boolean allowZero;

    /** Reshape to {@code shape} with allowzero = 0. */
    public Reshape(int... shape) {
        this(shape, false);
    }

    /** Reshape to {@code shape}; {@code allowZero} is ONNX allowzero = 1. */
    public Reshape(int[] shape, boolean allowZero) {
        int inferred = 0;
        boolean zero = false;
        for (int s : shape) {
            if (s < -1) {
                throw new IllegalArgumentException("Reshape: shape " + Arrays.toString(shape) + " has entry " + s
                        + "; entries must be >= 0 or -1 (inferred)");
            }
            inferred += s == -1 ? 1 : 0;
            zero |= s == 0;
        }
        if (inferred > 1) {
            throw new IllegalArgumentException("Reshape: shape " + Arrays.toString(shape)
                    + " has more than one -1; at most one extent can be inferred");
        }
        if (allowZero && zero && inferred == 1) {
            throw new IllegalArgumentException("Reshape: shape " + Arrays.toString(shape)
                    + " with allowzero=1 may not contain both 0 and -1");
        }
        this.shape = shape.clone();
        this.allowZero = allowZero;
    }

    @Override
    public String type() {
        return "Reshape";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("shape", shape.clone());
        a.put("allowzero", allowZero ? 1 : 0);
        return a;
    }

    @Override
    public int[] outputShape(int[] in) {
        try {
            return Shapes.resolveReshape(in, shape, allowZero);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Reshape of an input of shape " + Shapes.toString(in) + " to "
                    + Arrays.toString(shape) + (allowZero ? " (allowzero=1)" : "") + ": " + e.getMessage(), e);
        }
    }
}
