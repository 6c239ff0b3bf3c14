package dev.netlens.explain.gradient;

import dev.netlens.explain.ExplainedModel;

/**
 * Guided backpropagation (registry name {@code guided-backprop}): the input gradient of the target
 * score where every ReLU-family node passes only positive gradients, and only where the unit was
 * active in the forward pass: g_in = max(g_out, 0) ⊙ f′(x), i.e. ⊙ [x &gt; 0] for Relu and
 * ⊙ [0 &lt; x &lt; 6] for ReLU6 = Clip(0, 6) (see {@link ReluFamilyRule#GUIDED}). Other nodes keep their
 * ordinary gradients.
 *
 * <p>Springenberg, Dosovitskiy, Brox, Riedmiller, "Striving for Simplicity: The All Convolutional
 * Net", ICLR workshop 2015 (Captum {@code GuidedBackprop}).
 *
 * <p>The ReLU family is Relu and Clip with lower bound 0. Captum overrides only {@code nn.ReLU}
 * modules, so on ReLU6 networks it silently keeps the plain gradient at ReLU6 nodes; we do not copy
 * that limitation by default, and {@link Builder#reluOnly(boolean) reluOnly(true)} (CLI
 * {@code --relu-only}) reproduces it. The rule is passed to the backward pass as a
 * {@link Composite}; the graph is never modified, so concurrent explanations of one model are safe.
 *
 * <pre>{@code
 * Explanation e = GuidedBackprop.builder(model).build().explain(x, Target.classes(281));
 * Explanation captumLike = GuidedBackprop.builder(model).reluOnly(true).build().explain(x);
 * }</pre>
 *
 * Options: {@code reluOnly} (default false).
 */
public final class GuidedBackprop extends ReluRuleGradient {
    /** The registry name. */
    public static final String NAME = "guided-backprop";

    private GuidedBackprop(Builder<GuidedBackprop> b) {
        super(b, ReluFamilyRule.GUIDED);
    }

    public static Builder<GuidedBackprop> builder(ExplainedModel model) {
        return new Builder<>(model, GuidedBackprop::new);
    }

    @Override
    public String name() {
        return NAME;
    }
}
