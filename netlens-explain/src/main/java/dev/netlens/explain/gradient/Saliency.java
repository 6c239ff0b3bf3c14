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
 * Saliency map |∂y/∂x| (registry name {@code saliency}): the magnitude of the input gradient of the
 * target score, element by element (reduce over channels for an image map as you prefer).
 *
 * <p>Simonyan, Vedaldi, Zisserman, "Deep Inside Convolutional Networks: Visualising Image
 * Classification Models and Saliency Maps", ICLR workshop 2014. Same as Captum's
 * {@code Saliency} with its default {@code abs=True}.
 *
 * <pre>{@code
 * Explanation e = Saliency.of(model).explain(x);           // predicted class
 * }</pre>
 *
 * No options.
 */
public final class Saliency implements Attribution {
    /** The registry name. */
    public static final String NAME = "saliency";

    private final ExplainedModel model;

    private Saliency(Builder b) {
        this.model = b.model;
    }

    /** The method with its defaults (it has no options). */
    public static Saliency of(ExplainedModel model) {
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
        return Explanation.of(GradientSupport.abs(g), NAME, Map.of(), target.resolve(r.output()), model);
    }

    /** Builds a {@link Saliency}. */
    public static final class Builder {
        private final ExplainedModel model;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        public Saliency build() {
            return new Saliency(this);
        }
    }
}
