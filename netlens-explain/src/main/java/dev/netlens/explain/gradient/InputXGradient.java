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
 * Input × gradient x ⊙ ∂y/∂x (registry name {@code input-x-gradient}): a first-order Taylor
 * contribution of every input element to the target score (relative to a zero input).
 *
 * <p>Shrikumar, Greenside, Shcherbina, Kundaje, "Not Just a Black Box: Learning Important Features
 * Through Propagating Activation Differences", arXiv:1605.01713, 2016 (Captum
 * {@code InputXGradient}). For a ReLU network without biases it equals ε-LRP with ε → 0.
 *
 * <pre>{@code
 * Explanation e = InputXGradient.of(model).explain(x, Target.classes(3));
 * }</pre>
 *
 * No options.
 */
public final class InputXGradient implements Attribution {
    /** The registry name. */
    public static final String NAME = "input-x-gradient";

    private final ExplainedModel model;

    private InputXGradient(Builder b) {
        this.model = b.model;
    }

    /** The method with its defaults (it has no options). */
    public static InputXGradient of(ExplainedModel model) {
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
        return Explanation.of(GradientSupport.times(input, g), NAME, Map.of(), target.resolve(r.output()), model);
    }

    /** Builds an {@link InputXGradient}. */
    public static final class Builder {
        private final ExplainedModel model;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        public InputXGradient build() {
            return new InputXGradient(this);
        }
    }
}
