package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import java.util.Arrays;

/** Validation of axis attributes with messages naming the op, the attribute and the valid range. */
final class Axes {
    private Axes() {
    }

    /** Maps {@code axis} (negative counts from the end) into [0, rank). */
    static int normalize(String op, String attribute, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": " + attribute + " " + axis + " is out of range for rank " + rank
                    + (rank == 0 ? " (no axis is valid)" : " (valid: " + (-rank) + " … " + (rank - 1) + ")"));
        }
        return (int) a;
    }

    /** Normalises every axis and rejects repeats (also a negative and a positive naming one axis). */
    static int[] normalizeAll(String op, String attribute, long[] axes, int rank) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = normalize(op, attribute + " entry", axes[i], rank);
            if (seen[out[i]]) {
                throw new IllegalArgumentException(op + ": " + attribute + " " + Arrays.toString(axes)
                        + " names axis " + out[i] + " more than once for rank " + rank);
            }
            seen[out[i]] = true;
        }
        return out;
    }

    /** {@link #normalizeAll(String, String, long[], int)} for int axes. */
    static int[] normalizeAll(String op, String attribute, int[] axes, int rank) {
        return normalizeAll(op, attribute, Arrays.stream(axes).asLongStream().toArray(), rank);
    }

    /** Fails unless the input has rank at least {@code min}. */
    static void requireRankAtLeast(String op, int[] shape, int min) {
        if (shape.length < min) {
            throw new IllegalArgumentException(op + " needs an input of rank >= " + min + ", got shape "
                    + Shapes.toString(shape));
        }
    }
}
