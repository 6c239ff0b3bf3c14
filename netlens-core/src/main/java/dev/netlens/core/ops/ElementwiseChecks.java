package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;

/** Validation shared by the element-wise ops, with messages naming the op. */
final class ElementwiseChecks {
    private ElementwiseChecks() {
    }

    /** Returns {@code value} if finite, else fails naming the op and attribute. */
    static float finite(String op, String attribute, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(op + ": attribute " + attribute + " must be a finite number, got "
                    + value);
        }
        return value;
    }

    /** Fails unless there are exactly two inputs, present and broadcastable together (NumPy rules). */
    static void broadcastable(String op, Tensor[] inputs) {
        OpSupport.requireInputs(op, inputs, 2, 2);
        int[] a = inputs[0].shape();
        int[] b = inputs[1].shape();
        try {
            Shapes.broadcast(a, b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": input shapes " + Shapes.toString(a) + " and " + Shapes.toString(b)
                    + " cannot be broadcast together (aligned from the right, each pair of extents must be equal or"
                    + " include a 1)", e);
        }
    }
}
