package dev.netlens.explain.gradient;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.Objects;
import java.util.function.Function;

/**
 * An input gradient in which every ReLU-family node's VJP is replaced by one {@link ReluFamilyRule}
 * (guided backpropagation, deconvnet), installed per backward pass through a composite — never on
 * the model. {@code reluOnly} limits the rule to Relu nodes (Captum's behaviour).
 */
public abstract class ReluRuleGradient implements Attribution {
    private final ExplainedModel model;
    private final boolean reluOnly;
    private final Composite composite;

    protected ReluRuleGradient(Builder<?> b, ReluFamilyRule rule) {
        this.model = b.model;
        this.reluOnly = b.reluOnly;
        this.composite = rule.composite(reluOnly);
    }

    public boolean reluOnly() {
        return reluOnly;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        GradientSupport.requireBatch(input);
        Gradients.InputGradient r = GradientSupport.gradient(model, input, target, composite);
        return Explanation.of(r.gradient(), name(), GradientSupport.params("relu_only", reluOnly),
                target.resolve(r.output()), model);
    }

    /** Builds a ReLU-rule gradient method. */
    public static final class Builder<T extends ReluRuleGradient> {
        private final ExplainedModel model;
        private final Function<Builder<T>, T> constructor;
        private boolean reluOnly;

        Builder(ExplainedModel model, Function<Builder<T>, T> constructor) {
            this.model = Objects.requireNonNull(model, "model");
            this.constructor = constructor;
        }

        /** Only Relu nodes get the rule, as in Captum (default false: Relu and Clip(min = 0)). */
        public Builder<T> reluOnly(boolean reluOnly) {
            this.reluOnly = reluOnly;
            return this;
        }

        public T build() {
            return constructor.apply(this);
        }
    }
}
