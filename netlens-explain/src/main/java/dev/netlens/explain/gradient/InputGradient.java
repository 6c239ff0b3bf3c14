package dev.netlens.explain.gradient;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.Map;
import java.util.Objects;

/**
 * The raw input gradient ∂y/∂x of the target score y (registry name {@code gradient}): the
 * first-order sensitivity of the explained output to every input element, signed. The building
 * block of the gradient family and SmoothGrad's default wrapped method.
 *
 * <p>Simonyan, Vedaldi, Zisserman, "Deep Inside Convolutional Networks: Visualising Image
 * Classification Models and Saliency Maps", ICLR workshop 2014 (Captum {@code Saliency} with
 * {@code abs=False}). The target may be any {@link Target}, including a
 * {@link dev.netlens.explain.NeuronTarget} (then this is Captum's {@code NeuronGradient}).
 *
 * <pre>{@code
 * Explanation e = InputGradient.of(model).explain(x, Target.classes(281));
 * Tensor grad = e.map();                                  // shape of x
 * }</pre>
 *
 * No options.
 */
public final class InputGradient implements Attribution {
    /** The registry name. */
    public static final String NAME = "gradient";

    private final ExplainedModel model;

    private InputGradient(Builder b) {
        this.model = b.model;
    }

    /** The method with its defaults (it has no options). */
    public static InputGradient of(ExplainedModel model) {
        return builder(model).build();
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        GradientSupport.requireBatch(input);
        Gradients.InputGradient r = GradientSupport.gradient(model, input, target, Composite.NONE);
        Tensor g = r.gradient();
        return Explanation.of(g, NAME, Map.of(), target.resolve(r.output()), model);
    }

    /** Builds an {@link InputGradient}. */
    public static final class Builder {
        private final ExplainedModel model;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        public InputGradient build() {
            return new InputGradient(this);
        }
    }
}
