package dev.netlens.explain;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.Retention;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.tensor.TensorArena;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Shared plumbing of the gradient-based methods: one forward pass and one backward pass from the
 * target to the input or to a layer, optionally under a composite of backward rules, and batch
 * helpers (chunking a large batch, repeating items).
 */
public final class Gradients {
    private Gradients() {
    }

    /** The model output and the gradient of Σ_n target_n with respect to the input. */
    public record InputGradient(Tensor output, Tensor gradient) {
    }

    /** A layer's activation, its gradient, and the model output. */
    public record LayerGradient(Tensor output, Tensor activation, Tensor gradient) {
    }

    /** ∂(Σ target)/∂input with the ops' own VJPs. */
    public static InputGradient input(ExplainedModel m, Tensor x, Target target) {
        return input(m, x, target, Composite.NONE);
    }

    /**
     * ∂(Σ target)/∂input, with {@code composite}'s rules replacing the VJPs of the nodes it matches
     * (rule composites record every forward value, since rules read them).
     */
    public static InputGradient input(ExplainedModel m, Tensor x, Target target, Composite composite) {
        if (TensorArena.inScope()) {
            // The caller's scope decides when these arrays are recycled.
            return inputPass(m, x, target, composite);
        }
        // One attribution after another reuses the activations and gradients of the last one;
        // the results are copied out of the arena.
        try (TensorArena.Scope pass = TensorArena.shared().enter()) {
            InputGradient r = inputPass(m, x, target, composite);
            return new InputGradient(r.output().copy(), r.gradient().copy());
        }
    }

    private static InputGradient inputPass(ExplainedModel m, Tensor x, Target target, Composite composite) {
        Trace t = m.run().record(composite.isEmpty() ? Retention.MINIMAL : Retention.ALL)
                .outputs(m.outputName()).forward(Map.of(m.inputName(), x));
        Tensor y = t.output();
        Tensor g = t.gradients(Map.of(m.outputName(), target.seed(y)), List.of(m.inputName()), composite)
                .get(m.inputName());
        return new InputGradient(y, g);
    }

    /** A layer's activation and ∂(Σ target)/∂activation. */
    public static LayerGradient layer(ExplainedModel m, Tensor x, Target target, String layer) {
        m.graph().requireValue(layer, "layer");
        Trace t = m.run().record().tap(layer).outputs(m.outputName()).forward(Map.of(m.inputName(), x));
        Tensor y = t.output();
        Tensor g = t.gradients(Map.of(m.outputName(), target.seed(y)), List.of(layer)).get(layer);
        return new LayerGradient(y, t.value(layer), g);
    }

    /** Runs {@code f} on consecutive chunks of at most {@code batch} items and concatenates the results. */
    public static Tensor inBatches(Tensor x, int batch, UnaryOperator<Tensor> f) {
        int n = x.dim(0);
        if (n <= batch) {
            return f.apply(x);
        }
        Tensor out = null;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            Tensor part = f.apply(slice(x, from, to));
            if (out == null) {
                int[] s = part.shape();
                s[0] = n;
                out = Tensor.zeros(s);
            }
            int per = part.size() / (to - from);
            System.arraycopy(part.data(), 0, out.data(), from * per, part.size());
        }
        return out;
    }

    /** Items [from, to) of a batch (a copy). */
    public static Tensor slice(Tensor x, int from, int to) {
        int[] s = x.shape();
        int per = x.size() / s[0];
        s[0] = to - from;
        return Tensor.of(Arrays.copyOfRange(x.data(), from * per, to * per), s);
    }

    /** Each item repeated {@code times} times in a row: [a, b] → [a, a, a, b, b, b]. */
    public static Tensor repeatEach(Tensor x, int times) {
        int[] s = x.shape();
        int per = x.size() / s[0];
        Tensor out = Tensor.zeros(withBatch(s, s[0] * times));
        for (int i = 0; i < s[0]; i++) {
            for (int r = 0; r < times; r++) {
                System.arraycopy(x.data(), i * per, out.data(), (i * times + r) * per, per);
            }
        }
        return out;
    }

    static int[] withBatch(int[] shape, int n) {
        int[] s = shape.clone();
        s[0] = n;
        return s;
    }
}
