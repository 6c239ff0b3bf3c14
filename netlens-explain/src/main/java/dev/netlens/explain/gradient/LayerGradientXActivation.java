package dev.netlens.explain.gradient;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import dev.netlens.explain.ValueTarget;
import java.util.Objects;

/**
 * Layer gradient × activation (registry name {@code layer-gradient-x-activation}): attributes the
 * target score to the activations A of a named layer, A ⊙ ∂y/∂A, shape of the layer's output
 * [N, K, h, w]. With {@link Builder#multiplyByActivation(boolean) multiplyByActivation(false)} it is
 * the plain layer gradient ∂y/∂A.
 *
 * <p>Shrikumar et al., "Not Just a Black Box: Learning Important Features Through Propagating
 * Activation Differences", arXiv:1605.01713, 2016, applied to hidden layers (Captum
 * {@code LayerGradientXActivation}). Summed over space it is the per-channel contribution that
 * Zhang et al. 2019 use for decision trees over filters (SPECS §G).
 *
 * <pre>{@code
 * Attribution a = LayerGradientXActivation.builder(model, "layer4.1.relu2").build();
 * Tensor contributions = a.explain(x, Target.classes(281)).map();   // [N, 512, 7, 7]
 * }</pre>
 *
 * Options: {@code layer} (required: a value name shown by {@code netlens inspect}),
 * {@code multiplyByActivation} (default true).
 */
public final class LayerGradientXActivation implements Attribution {
    /** The registry name. */
    public static final String NAME = "layer-gradient-x-activation";

    private final ExplainedModel model;
    private final String layer;
    private final boolean multiply;

    private LayerGradientXActivation(Builder b) {
        this.model = b.model;
        this.layer = b.layer;
        this.multiply = b.multiply;
    }

    /** A builder for the given layer (a value name of the model's graph). */
    public static Builder builder(ExplainedModel model, String layer) {
        return new Builder(model, layer);
    }

    @Override
    public String name() {
        return NAME;
    }

    public String layer() {
        return layer;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        GradientSupport.requireBatch(input);
        ExplainedModel eff = ValueTarget.seededModel(model, target);
        Gradients.LayerGradient lg;
        if (layer.equals(eff.inputName())) {
            Gradients.InputGradient g = Gradients.input(eff, input, target);
            lg = new Gradients.LayerGradient(g.output(), input, g.gradient());
        } else {
            lg = Gradients.layer(eff, input, target, layer);
        }
        Tensor map = multiply ? GradientSupport.times(lg.activation(), lg.gradient()) : lg.gradient();
        return Explanation.of(map, NAME, GradientSupport.params("layer", layer, "multiply_by_activation", multiply),
                target.resolve(lg.output()), model);
    }

    /** Builds a {@link LayerGradientXActivation}. */
    public static final class Builder {
        private final ExplainedModel model;
        private final String layer;
        private boolean multiply = true;

        private Builder(ExplainedModel model, String layer) {
            this.model = Objects.requireNonNull(model, "model");
            if (layer == null || layer.isEmpty()) {
                throw new IllegalArgumentException("give the layer (a value name shown by netlens inspect)");
            }
            this.layer = layer;
        }

        /** Multiply the gradient by the activation (default true); false gives ∂y/∂A. */
        public Builder multiplyByActivation(boolean multiply) {
            this.multiply = multiply;
            return this;
        }

        public LayerGradientXActivation build() {
            model.graph().requireValue(layer, "layer");
            return new LayerGradientXActivation(this);
        }
    }
}
