package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Input and baseline checks shared by the perturbation methods. */
final class Inputs {
    private Inputs() {
    }

    /** Fails unless x is an image batch [N, C, H, W] with N >= 1. */
    static void requireImageBatch(String method, Tensor x) {
        Objects.requireNonNull(x, "input");
        if (x.rank() != 4 || x.dim(0) < 1) {
            throw new IllegalArgumentException(method + " explains image batches [N, C, H, W] with N >= 1, got shape "
                    + Shapes.toString(x.shape()));
        }
    }

    /**
     * The per-item baseline values, flattened [N · C·H·W]: the scalar when {@code baseline} is
     * null, else the tensor — of x's shape, of batch 1 (shared by all items) or with one element.
     */
    static float[] baseline(String method, Tensor x, Tensor baseline, float scalar) {
        float[] b = new float[x.size()];
        if (baseline == null) {
            Arrays.fill(b, scalar);
            return b;
        }
        int[] xs = x.shape();
        int[] one = xs.clone();
        one[0] = 1;
        if (baseline.size() == 1) {
            Arrays.fill(b, baseline.data()[0]);
        } else if (Arrays.equals(baseline.shape(), xs)) {
            System.arraycopy(baseline.data(), 0, b, 0, b.length);
        } else if (Arrays.equals(baseline.shape(), one)) {
            for (int n = 0; n < xs[0]; n++) {
                System.arraycopy(baseline.data(), 0, b, n * baseline.size(), baseline.size());
            }
        } else {
            throw new IllegalArgumentException(method + ": the baseline has shape " + Shapes.toString(baseline.shape())
                    + "; it must have the input's shape " + Shapes.toString(xs) + ", batch 1 "
                    + Shapes.toString(one) + ", or a single element");
        }
        return b;
    }

    static int positive(String method, String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(method + ": " + what + " must be >= 1, got " + v);
        }
        return v;
    }

    /** An insertion-ordered parameter map from key/value pairs. */
    static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
