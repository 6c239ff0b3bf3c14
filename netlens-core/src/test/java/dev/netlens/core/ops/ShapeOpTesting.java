package dev.netlens.core.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** Test support for the data-movement ops: index iteration, VJPs through a one-node graph, errors. */
final class ShapeOpTesting {
    private ShapeOpTesting() {
    }

    /** Calls {@code body} with every multi-index of {@code shape} in row-major order (once for rank 0). */
    static void forEachIndex(int[] shape, Consumer<int[]> body) {
        for (int d : shape) {
            if (d == 0) {
                return;
            }
        }
        int[] idx = new int[shape.length];
        while (true) {
            body.accept(idx.clone());
            int d = shape.length - 1;
            for (; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
            if (d < 0) {
                return;
            }
        }
    }

    /** A tensor holding 0, 1, 2, … */
    static Tensor iota(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = i;
        }
        return t;
    }

    static int[] randomShape(SplittableRandom r, int rank, int min, int max) {
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) {
            s[d] = RandomCases.between(r, min, max);
        }
        return s;
    }

    /** Forward outputs in inference mode (Java kernels). */
    static Tensor[] forward(Op op, int outputs, Tensor... inputs) {
        return OpHarness.runAll(op, outputs, OpHarness.JAVA, false, inputs);
    }

    /**
     * Gradients of Σ_o seeds[o] ⊙ output o (null seeds are left out) with respect to every
     * present input, through a recorded one-node graph.
     */
    static Tensor[] vjp(Op op, int outputs, boolean training, Tensor[] seeds, Tensor... inputs) {
        Graph g = OpHarness.graph(op, outputs, inputs);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<String> wrt = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                feeds.put("in" + i, inputs[i]);
                wrt.add("in" + i);
            }
        }
        Trace t = g.run().record().training(training).seed(7).kernels(OpHarness.JAVA).forward(feeds);
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (int o = 0; o < seeds.length; o++) {
            if (seeds[o] != null) {
                s.put("out" + o, seeds[o]);
            }
        }
        Map<String, Tensor> grads = t.gradients(s, wrt);
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                out[i] = grads.get("in" + i);
            }
        }
        return out;
    }

    /** VJP of a one-input, one-output op. */
    static Tensor vjp(Op op, Tensor seed, Tensor x) {
        return vjp(op, 1, false, new Tensor[] {seed}, x)[0];
    }

    /** Finite-difference check suited to linear ops (large step, tight tolerance), on every element. */
    static void checkLinearGradients(Op op, int outputs, Tensor... inputs) {
        OpHarness.checkGradients(op, OpHarness.gradCheck().outputs(outputs).eps(0.5f).tolerance(1e-5, 1e-4)
                .maxElements(400).kernels(OpHarness.JAVA), inputs);
    }

    /** Asserts that running {@code op} fails with an IllegalArgumentException mentioning every fragment. */
    static void assertRejected(Op op, int outputs, Tensor[] inputs, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> forward(op, outputs, inputs));
        assertMentions(e, fragments);
    }

    /** Asserts that {@code body} fails with an IllegalArgumentException mentioning every fragment. */
    static void assertInvalid(Runnable body, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, body::run);
        assertMentions(e, fragments);
    }

    private static void assertMentions(IllegalArgumentException e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
    }
}
