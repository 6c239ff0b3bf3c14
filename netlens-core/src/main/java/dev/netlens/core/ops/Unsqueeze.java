package dev.netlens.core.ops;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Unsqueeze (opset 13 semantics) with the axes as an attribute: inserts dimensions of
 * extent 1 at the listed positions of the output, whose rank is the input rank plus the number
 * of axes. Negative axes count from the end of the output; repeats are invalid; order does not
 * matter.
 */
public final class Unsqueeze extends ViewOp {
    private final int[] axes;

    public Unsqueeze(int... axes) {
        if (axes == null || axes.length == 0) {
            throw new IllegalArgumentException("Unsqueeze needs at least one axis");
        }
        this.axes = axes.clone();
    }

    @Override
    public String type() {
        return "Unsqueeze";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("axes", axes.clone());
        return a;
    }

    @Override
    public int[] outputShape(int[] in) {
        int rank = in.length + axes.length;
        boolean[] inserted = new boolean[rank];
        try {
            for (int d : Axes.normalizeAll("Unsqueeze", "axes", axes, rank)) {
                inserted[d] = true;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (output rank = input rank " + in.length + " + "
                    + axes.length + " axes " + Arrays.toString(axes) + ")", e);
        }
        int[] out = new int[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) {
            out[d] = inserted[d] ? 1 : in[k++];
        }
        return out;
    }
}
