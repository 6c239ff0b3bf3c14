package dev.netlens.explain.perturbation;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.SplittableRandom;

/** Small models for the perturbation tests. */
final class PerturbationModels {
    private PerturbationModels() {
    }

    /** y = W·flatten(x) + b for x [N, c, h, w]; W [k, c·h·w]. */
    static ExplainedModel linear(float[] weights, float[] bias, int c, int h, int w) {
        Graph.Builder b = Graph.builder();
        b.input("x", -1, c, h, w);
        b.parameter("w", Tensor.of(weights.clone(), bias.length, c * h * w));
        b.parameter("b", Tensor.of(bias.clone(), bias.length));
        b.add("flat", new Flatten(1), "x");
        b.add("logits", Gemm.linear(), "flat", "w", "b");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    static float[] random(long seed, int n) {
        return Tensor.randomNormal(new SplittableRandom(seed), 1f, n).data();
    }

    /** A small residual CNN [N, 3, h, w] → 5 logits: nonlinear, for brute-force comparisons. */
    static ExplainedModel cnn(long seed) {
        return ExplainedModel.of(ResNets.basic(new int[] {4, 8}, new int[] {1, 1}, 3, 5, false, seed));
    }
}
