package dev.netlens.core.nn.optim;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Encodes optimiser state as named tensors {@code "<buffer>/<parameter name>"}. The buffer name comes
 * first and has no '/', so parameter names may contain any character (ONNX names often hold '/').
 */
final class StateKeys {
    private StateKeys() {
    }

    static String key(String buffer, String parameter) {
        return buffer + "/" + parameter;
    }

    /**
     * Groups {@code state} by parameter: parameter name → (buffer → tensor), in encounter order.
     *
     * @throws IllegalArgumentException for a malformed key or a buffer not in {@code buffers}
     */
    static Map<String, Map<String, Tensor>> byParameter(String owner, Map<String, Tensor> state, Set<String> buffers) {
        Objects.requireNonNull(state, "state");
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            String buffer = slash < 0 ? "" : key.substring(0, slash);
            if (!buffers.contains(buffer) || slash == key.length() - 1) {
                throw new IllegalArgumentException(owner + ": unexpected state key '" + key
                        + "'; keys are '<buffer>/<parameter name>' with buffer one of " + buffers);
            }
            Tensor t = Objects.requireNonNull(e.getValue(), () -> "state tensor '" + key + "'");
            out.computeIfAbsent(key.substring(slash + 1), k -> new LinkedHashMap<>()).put(buffer, t);
        }
        return out;
    }

    /** The buffer, required to be present. */
    static Tensor require(String owner, String parameter, Map<String, Tensor> buffers, String buffer) {
        Tensor t = buffers.get(buffer);
        if (t == null) {
            throw new IllegalArgumentException(owner + ": state of '" + parameter + "' lacks '"
                    + key(buffer, parameter) + "'; it has " + buffers.keySet());
        }
        return t;
    }

    /** A step count as a one-element float32 tensor. */
    static Tensor stepTensor(String owner, String parameter, long step) {
        if (step > Checks.MAX_EXACT_STEP) {
            throw new IllegalStateException(owner + ": the step count " + step + " of '" + parameter
                    + "' exceeds 2^24 and cannot be saved exactly as a float32 tensor");
        }
        return Tensor.scalar(step);
    }

    /** Reads a step count saved by {@link #stepTensor}. */
    static long readStep(String owner, String parameter, Tensor t) {
        if (t.size() != 1) {
            throw new IllegalArgumentException(owner + ": step count of '" + parameter
                    + "' must be a one-element tensor, got shape " + Shapes.toString(t.shape()));
        }
        float v = t.data()[0];
        if (!(v >= 0) || v != Math.rint(v)) {
            throw new IllegalArgumentException(owner + ": step count of '" + parameter
                    + "' must be a non-negative integer, got " + v);
        }
        return (long) v;
    }

    /** Two buffers of one parameter must agree in shape. */
    static void sameShape(String owner, String parameter, Tensor a, String aName, Tensor b, String bName) {
        if (!a.hasShape(b.shape())) {
            throw new IllegalArgumentException(owner + ": state buffers of '" + parameter + "' disagree in shape: "
                    + aName + " " + Shapes.toString(a.shape()) + " vs " + bName + " " + Shapes.toString(b.shape()));
        }
    }
}
