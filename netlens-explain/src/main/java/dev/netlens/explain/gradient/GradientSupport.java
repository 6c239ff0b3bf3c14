package dev.netlens.explain.gradient;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import dev.netlens.explain.ValueTarget;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Plumbing shared by the gradient family: seeded model, target resolution, small tensor arithmetic. */
final class GradientSupport {
    private GradientSupport() {
    }

    /** The model to differentiate for this target, its output at x and the target pinned at x. */
    record Resolved(ExplainedModel model, Tensor output, Target target) {
    }

    /** The model {@code target} is seeded on (itself for class and unit targets). */
    static ExplainedModel seeded(ExplainedModel model, Target target) {
        return ValueTarget.seededModel(model, Objects.requireNonNull(target, "target"));
    }

    /** a and b as one batch: a's items, then b's (both [N_a, …], [N_b, …] with equal item shapes). */
    static Tensor joinBatches(Tensor a, Tensor b) {
        Tensor out = Tensor.uninitialized(withBatch(a.shape(), a.dim(0) + b.dim(0)));
        System.arraycopy(a.data(), 0, out.data(), 0, a.size());
        System.arraycopy(b.data(), 0, out.data(), a.size(), b.size());
        return out;
    }

    /** A batch split after its first {@code n} items: {first n items, the rest}. */
    static Tensor[] splitBatch(Tensor y, int n) {
        int per = y.size() / y.dim(0);
        Tensor first = Tensor.uninitialized(withBatch(y.shape(), n));
        Tensor rest = Tensor.uninitialized(withBatch(y.shape(), y.dim(0) - n));
        System.arraycopy(y.data(), 0, first.data(), 0, n * per);
        System.arraycopy(y.data(), n * per, rest.data(), 0, rest.size());
        return new Tensor[] {first, rest};
    }

    /** Resolves {@code target} once, at x, on the model it is seeded on. */
    static Resolved resolve(ExplainedModel model, Tensor x, Target target) {
        Objects.requireNonNull(target, "target");
        ExplainedModel eff = ValueTarget.seededModel(model, target);
        Tensor y = eff.forward(x);
        return new Resolved(eff, y, target.resolve(y));
    }

    /**
     * ∂(Σ target)/∂x on the model the target is seeded on, under {@code composite}, and the output
     * of that model at x.
     */
    static Gradients.InputGradient gradient(ExplainedModel model, Tensor x, Target target, Composite composite) {
        ExplainedModel eff = ValueTarget.seededModel(model, target);
        return Gradients.input(eff, x, target, composite);
    }

    /** Fails unless x is a non-empty batch [N, …]. */
    static void requireBatch(Tensor x) {
        Objects.requireNonNull(x, "input");
        if (x.rank() < 1 || x.dim(0) < 1) {
            throw new IllegalArgumentException("the input must be a batch [N, …] with N >= 1, got shape "
                    + Shapes.toString(x.shape()));
        }
    }

    /** The baseline for x: zeros when null, itself when of x's shape, repeated when of batch 1. */
    static Tensor baselineFor(Tensor x, Tensor baseline, String what) {
        if (baseline == null) {
            return Tensor.zerosLike(x);
        }
        int[] xs = x.shape();
        int[] bs = baseline.shape();
        if (Arrays.equals(xs, bs)) {
            return baseline;
        }
        int[] one = xs.clone();
        one[0] = 1;
        if (Arrays.equals(one, bs)) {
            return Gradients.repeatEach(baseline, xs[0]);
        }
        throw new IllegalArgumentException("the " + what + " has shape " + Shapes.toString(bs) + "; it must have the "
                + "input's shape " + Shapes.toString(xs) + " or batch 1, " + Shapes.toString(one));
    }

    static Tensor abs(Tensor t) {
        Tensor out = Tensor.zerosLike(t);
        float[] a = t.data();
        float[] o = out.data();
        for (int i = 0; i < a.length; i++) {
            o[i] = Math.abs(a[i]);
        }
        return out;
    }

    static Tensor times(Tensor a, Tensor b) {
        Tensor out = Tensor.zerosLike(a);
        float[] x = a.data();
        float[] y = b.data();
        float[] o = out.data();
        for (int i = 0; i < x.length; i++) {
            o[i] = x[i] * y[i];
        }
        return out;
    }

    /** Per-item sums of a batch tensor. */
    static double[] itemSums(Tensor t) {
        int n = t.dim(0);
        int per = t.size() / n;
        double[] s = new double[n];
        float[] d = t.data();
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int e = 0; e < per; e++) {
                acc += d[i * per + e];
            }
            s[i] = acc;
        }
        return s;
    }

    static int[] withBatch(int[] shape, int n) {
        int[] s = shape.clone();
        s[0] = n;
        return s;
    }

    /** An insertion-ordered parameter map from key/value pairs. */
    static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static int positive(int value, String what, String hint) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + value + hint);
        }
        return value;
    }
}
