package dev.netlens.explain.gradient;

import dev.netlens.explain.ExplainedModel;

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
public final class Deconvnet extends ReluRuleGradient {
    /** The registry name. */
    public static final String NAME = "deconvnet";

    private Deconvnet(Builder<Deconvnet> b) {
        super(b, ReluFamilyRule.DECONVNET);
    }

    public static Builder<Deconvnet> builder(ExplainedModel model) {
        return new Builder<>(model, Deconvnet::new);
    }

    @Override
    public String name() {
        return NAME;
    }
}
