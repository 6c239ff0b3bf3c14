package dev.netlens.core.tensor;

import java.util.Arrays;

/** Static helpers for shapes: sizes, strides, axes, broadcasting, reshape resolution. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements of a shape, as a long (no overflow). Rejects negative extents. */
    public static long checkedSize(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + toString(shape)
                        + " has more than 2^31-1 elements; a float32 tensor that large is not supported");
            }
        }
        return n;
    }

    /** Number of elements of a shape; fails clearly above 2^31-1. */
    public static int checkedIntSize(int[] shape) {
        return (int) checkedSize(shape);
    }

    /** Number of elements of a shape (unchecked). */
    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Product of dimensions in [from, to). */
    public static int size(int[] shape, int from, int to) {
        int n = 1;
        for (int d = from; d < to; d++) {
            n *= shape[d];
        }
        return n;
    }

    /** Row-major strides (in elements). */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    /** Maps a possibly negative axis into [0, rank); fails with a message naming the valid range. */
    public static int normalizeAxis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank
                    + " (valid: " + (-rank) + " … " + (rank - 1) + ")");
        }
        return a;
    }

    /** NumPy broadcasting of two shapes; fails with both shapes named. */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + toString(a) + " and " + toString(b)
                        + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Resolves a reshape target: one -1 is inferred; with {@code allowZero == false} a 0 copies the
     * input's extent at that position (ONNX Reshape semantics); with {@code allowZero} a 0 is a zero
     * extent.
     */
    public static int[] resolveReshape(int[] from, int[] target, boolean allowZero) {
        int[] out = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape target " + toString(target) + " has more than one -1");
                }
                infer = i;
            } else if (out[i] == 0 && !allowZero) {
                if (i >= from.length) {
                    throw new IllegalArgumentException("reshape target " + toString(target) + " copies dimension "
                            + i + " (0) but the input " + toString(from) + " has rank " + from.length);
                }
                out[i] = from[i];
                known *= out[i];
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape target " + toString(target) + " has a negative extent");
            } else {
                known *= out[i];
            }
        }
        long total = checkedSize(from);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + toString(from) + " (" + total
                        + " elements) to " + toString(target));
            }
            out[infer] = (int) (total / known);
        } else if (known != total) {
            throw new IllegalArgumentException("cannot reshape " + toString(from) + " (" + total
                    + " elements) to " + toString(target) + " (" + known + " elements)");
        }
        return out;
    }

    /** "[2, 3, 4]". */
    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
