package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Squeeze (opset 13 semantics) with the axes as an attribute: removes the listed
 * dimensions, each of which must have extent 1 (negative axes count from the end; no repeats).
 * Without axes (or with an empty list) every dimension of extent 1 is removed.
 */
public final class Squeeze extends ViewOp {
    private final int[] axes;

    /** Squeeze the listed axes; none listed = all dimensions of extent 1. */
    public Squeeze(int... axes) {
        this.axes = axes == null ? new int[0] : axes.clone();
    }

    @Override
    public String type() {
        return "Squeeze";
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        if (axes.length > 0) {
            a.put("axes", axes.clone());
        }
        return a;
    }

    @Override
    public int[] outputShape(int[] in) {
        boolean[] drop = new boolean[in.length];
        if (axes.length == 0) {
            for (int d = 0; d < in.length; d++) {
                drop[d] = in[d] == 1;
            }
        } else {
            for (int d : Axes.normalizeAll("Squeeze", "axes", axes, in.length)) {
                if (in[d] != 1) {
                    throw new IllegalArgumentException("Squeeze: axis " + d + " of the input " + Shapes.toString(in)
                            + " has extent " + in[d] + "; only dimensions of extent 1 can be squeezed (axes "
                            + Arrays.toString(axes) + ")");
                }
                drop[d] = true;
            }
        }
        int[] out = new int[in.length];
        int k = 0;
        for (int d = 0; d < in.length; d++) {
            if (!drop[d]) {
                out[k++] = in[d];
            }
        }
        return Arrays.copyOf(out, k);
    }
}
