package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;

/** Validation and small tensor helpers shared by the ops. Messages say what was expected. */
public final class OpSupport {
    private OpSupport() {
    }

    /**
     * Fails unless the node has between {@code min} and {@code max} inputs and the first {@code min}
     * are present (absent optional inputs are null).
     */
    public static void requireInputs(String op, Tensor[] inputs, int min, int max) {
        if (inputs.length < min || inputs.length > max) {
            throw new IllegalArgumentException(op + " takes " + (min == max ? "" + min : min + " to " + max)
                    + " inputs, got " + inputs.length);
        }
        for (int i = 0; i < min; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException(op + " input " + i + " is required");
            }
        }
    }

    /** Fails unless {@code t} has rank {@code rank}. */
    public static void requireRank(String op, String what, Tensor t, int... ranks) {
        for (int r : ranks) {
            if (t.rank() == r) {
                return;
            }
        }
        throw new IllegalArgumentException(op + ": " + what + " must have rank " + Arrays.toString(ranks)
                .replace("[", "").replace("]", "").replace(", ", " or ") + ", got shape " + Shapes.toString(t.shape()));
    }

    /** Optional input {@code i} or null. */
    public static Tensor optional(Tensor[] inputs, int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    /** The non-null entry or a fresh zero tensor of {@code shape}. */
    public static Tensor orZeros(Tensor t, int[] shape) {
        return t != null ? t : Tensor.zeros(shape);
    }

    /**
     * Sums {@code full} (of shape {@code fullShape}) down to {@code target}, which it was broadcast
     * from (NumPy rules: leading dimensions added, extents of 1 stretched).
     */
    public static Tensor sumToShape(Tensor full, int[] target) {
        int[] fullShape = full.shape();
        if (Arrays.equals(fullShape, target)) {
            return full;
        }
        int rank = fullShape.length;
        int[] t = new int[rank];
        Arrays.fill(t, 1);
        System.arraycopy(target, 0, t, rank - target.length, target.length);
        int[] tStrides = Shapes.strides(t);
        float[] src = full.data();
        float[] dst = new float[Shapes.size(target)];
        int[] idx = new int[rank];
        for (int flat = 0; flat < src.length; flat++) {
            int off = 0;
            for (int d = 0; d < rank; d++) {
                if (t[d] != 1) {
                    off += idx[d] * tStrides[d];
                }
            }
            dst[off] += src[flat];
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < fullShape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Tensor.of(dst, target);
    }

    /** A long[]/int[] attribute as int[] for error-free use. */
    public static int[] ints(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.toIntExact(values[i]);
        }
        return out;
    }
}
