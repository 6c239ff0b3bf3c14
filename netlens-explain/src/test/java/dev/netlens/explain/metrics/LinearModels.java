package dev.netlens.explain.metrics;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;

/** Two-class linear models for hand-checkable metric cases: logit 0 = w · x + b0, logit 1 = 0. */
final class LinearModels {
    private LinearModels() {
    }

    /** Input [-1, c, h, w]; class 0's logit is Σ w_i x_i + bias, class 1's is 0. */
    static ExplainedModel linear(float[] w, float bias, int c, int h, int wd) {
        if (w.length != c * h * wd) {
            throw new IllegalArgumentException("weights");
        }
        float[] weights = new float[2 * w.length];
        System.arraycopy(w, 0, weights, 0, w.length);
        Graph.Builder b = Graph.builder().input("x", -1, c, h, wd)
                .parameter("W", Tensor.of(weights, 2, w.length))
                .parameter("b", Tensor.of(new float[] {bias, 0f}, 2));
        String flat = b.add(new Flatten(1), "x");
        b.add("logits", new Gemm(1f, 1f, false, true), flat, "W", "b");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    /** w ⊙ x: the exact contribution of each element to class 0's logit. */
    static Tensor contributions(float[] w, Tensor x) {
        float[] d = x.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = w[i] * d[i];
        }
        return Tensor.of(out, x.shape());
    }

    static Tensor negate(Tensor t) {
        float[] d = t.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = -d[i];
        }
        return Tensor.of(out, t.shape());
    }
}
