package dev.netlens.explain.gradient;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.Objects;

/**
 * Deconvnet (registry name {@code deconvnet}): the input gradient of the target score where every
 * ReLU-family node passes the positive part of the gradient regardless of the forward pass:
 * g_in = max(g_out, 0) (the forward mask is ignored, see {@link ReluFamilyRule#DECONVNET}); other
 * nodes keep their ordinary gradients (max-pooling keeps its switches, as in the paper).
 *
 * <p>Zeiler, Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014 (Captum
 * {@code Deconvolution}).
 *
 * <p>The ReLU family is Relu and Clip with lower bound 0. Captum overrides only {@code nn.ReLU}
 * modules, so on ReLU6 networks it silently keeps the plain gradient at ReLU6 nodes; we do not copy
 * that limitation by default, and {@link Builder#reluOnly(boolean) reluOnly(true)} (CLI
 * {@code --relu-only}) reproduces it. The rule is passed to the backward pass as a
 * {@link Composite}; the graph is never modified, so concurrent explanations of one model are safe.
 *
 * <pre>{@code
 * Explanation e = Deconvnet.builder(model).build().explain(x, Target.classes(281));
 * Explanation captumLike = Deconvnet.builder(model).reluOnly(true).build().explain(x);
 * }</pre>
 *
 * Options: {@code reluOnly} (default false).
 */
public final class Deconvnet implements Attribution {
    /** The registry name. */
    public static final String NAME = "deconvnet";

    private final ExplainedModel model;
    private final boolean reluOnly;
    private final Composite composite;

    private Deconvnet(Builder b) {
        this.model = b.model;
        this.reluOnly = b.reluOnly;
        this.composite = ReluFamilyRule.DECONVNET.composite(reluOnly);
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return NAME;
    }

    public boolean reluOnly() {
        return reluOnly;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        GradientSupport.requireBatch(input);
        Gradients.InputGradient r = GradientSupport.gradient(model, input, target, composite);
        Tensor g = r.gradient();
        return Explanation.of(g, NAME, GradientSupport.params("relu_only", reluOnly), target.resolve(r.output()), model);
    }

    /** Builds a {@link Deconvnet}. */
    public static final class Builder {
        private final ExplainedModel model;
        private boolean reluOnly;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Only Relu nodes get the rule, as in Captum (default false: Relu and Clip(min = 0)). */
        public Builder reluOnly(boolean reluOnly) {
            this.reluOnly = reluOnly;
            return this;
        }

        public Deconvnet build() {
            return new Deconvnet(this);
        }
    }
}
