package dev.netlens.explain.deeplift;

import dev.netlens.core.graph.Retention;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Shared plumbing of DeepLIFT: one forward over [x; x′] and one backward under the rescale rules. */
final class Multipliers {
    private Multipliers() {
    }

    /** Attributions (x − x′) ⊙ m and the target's values at x and x′, per item. */
    record Result(Tensor attributions, float[] atInput, float[] atReference, Target target) {
    }

    /**
     * DeepLIFT of {@code x} against same-shaped references {@code ref}; the target is resolved on
     * the output at {@code x} (and returned resolved).
     */
    static Result run(ExplainedModel model, Tensor x, Tensor ref, Target unresolved, boolean secantMaxPool) {
        if (!Arrays.equals(x.shape(), ref.shape())) {
            throw new IllegalArgumentException("the reference has shape " + Shapes.toString(ref.shape())
                    + " but the input has shape " + Shapes.toString(x.shape()));
        }
        int n = x.dim(0);
        int[] bothShape = x.shape();
        bothShape[0] = 2 * n;
        float[] both = new float[2 * x.size()];
        System.arraycopy(x.data(), 0, both, 0, x.size());
        System.arraycopy(ref.data(), 0, both, x.size(), x.size());
        Trace t = model.run().record(Retention.ALL).outputs(model.outputName())
                .forward(Map.of(model.inputName(), Tensor.of(both, bothShape)));
        Tensor y = t.output();
        Tensor yx = Gradients.slice(y, 0, n);
        Tensor yr = Gradients.slice(y, n, 2 * n);
        Target target = unresolved.resolve(yx);
        Tensor seedX = target.seed(yx);
        Tensor seed = Tensor.zeros(y.shape());
        System.arraycopy(seedX.data(), 0, seed.data(), 0, seedX.size());
        Tensor m = t.gradients(Map.of(model.outputName(), seed), List.of(model.inputName()), DeepLiftRules.composite(secantMaxPool))
                .get(model.inputName());
        float[] a = new float[x.size()];
        float[] xd = x.data();
        float[] rd = ref.data();
        float[] md = m.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = (xd[i] - rd[i]) * md[i];
        }
        return new Result(Tensor.of(a, x.shape()), target.values(yx), target.values(yr), target);
    }

    /** Σ over each item. */
    static double[] itemSums(Tensor t) {
        int n = t.dim(0);
        int per = t.size() / n;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < per; j++) {
                s[i] += t.data()[i * per + j];
            }
        }
        return s;
    }

    /** A baseline batch for one item shape: [rest] → [1, rest]; [B, rest] as is; fails otherwise. */
    static Tensor asBatch(Tensor baseline, int[] itemShape, String what) {
        int[] s = baseline.shape();
        if (Arrays.equals(s, itemShape)) {
            int[] b = new int[s.length + 1];
            b[0] = 1;
            System.arraycopy(s, 0, b, 1, s.length);
            return baseline.reshape(b);
        }
        if (s.length == itemShape.length + 1 && Arrays.equals(Arrays.copyOfRange(s, 1, s.length), itemShape)) {
            return baseline;
        }
        throw new IllegalArgumentException(what + " has shape " + Shapes.toString(s) + "; expected "
                + Shapes.toString(itemShape) + " or [B, " + Shapes.toString(itemShape).replace("[", "")
                + " for the input's items " + Shapes.toString(itemShape));
    }
}
