package dev.netlens.core.nn.optim;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/** Validation shared by the optimisers, schedules and clipping: once, at the front, with messages that say what is valid. */
final class Checks {
    /** Largest step count a float32 tensor holds exactly (PyTorch also keeps {@code step} as float32). */
    static final long MAX_EXACT_STEP = 1L << 24;

    private Checks() {
    }

    static double positive(String owner, String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be finite and > 0, got " + v);
        }
        return v;
    }

    static double nonNegative(String owner, String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be finite and >= 0, got " + v);
        }
        return v;
    }

    /** In [0, 1): a decay rate such as a beta. */
    static double decayRate(String owner, String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be in [0, 1), got " + v);
        }
        return v;
    }

    /** Gradient names are parameter names and shapes agree. */
    static void gradientsMatch(String owner, Map<String, Tensor> parameters, Map<String, Tensor> gradients) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(gradients, "gradients");
        for (Map.Entry<String, Tensor> e : gradients.entrySet()) {
            Tensor p = parameters.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException(owner + ": gradient for '" + e.getKey()
                        + "' but there is no parameter of that name; parameters: " + parameters.keySet());
            }
            Tensor g = Objects.requireNonNull(e.getValue(), () -> "gradient of '" + e.getKey() + "'");
            if (!Arrays.equals(p.shape(), g.shape())) {
                throw new IllegalArgumentException(owner + ": gradient of '" + e.getKey() + "' has shape "
                        + Shapes.toString(g.shape()) + " but the parameter has shape " + Shapes.toString(p.shape()));
            }
        }
    }

    /** Stored state of a parameter must have the parameter's shape. */
    static void stateFits(String owner, String name, int[] stateShape, Tensor parameter) {
        if (!Arrays.equals(stateShape, parameter.shape())) {
            throw new IllegalArgumentException(owner + ": the optimiser state of '" + name + "' has shape "
                    + Shapes.toString(stateShape) + " but the parameter has shape "
                    + Shapes.toString(parameter.shape()) + " (state loaded for another model?)");
        }
    }
}
