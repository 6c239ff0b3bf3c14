package dev.netlens.core.nn.optim;

import dev.netlens.core.tensor.Tensor;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019) — exactly PyTorch 1.13's {@code torch.optim.AdamW} (single-tensor
 * path). Each step first shrinks the parameter, {@code p = p·(1 − lr·weight_decay)}, then applies the
 * {@link Adam} update to the unmodified gradient (optionally with AMSGrad). Float32 with PyTorch's
 * rounding; bias corrections in double. State as for {@link Adam}.
 *
 * <pre>{@code
 * Optimizer adamw = AdamW.builder().learningRate(1e-3).weightDecay(0.05).build();
 * }</pre>
 */
public final class AdamW implements Optimizer {
    private static final String NAME = "AdamW";
    private final AdamCore core;

    private AdamW(AdamSettings settings) {
        this.core = new AdamCore(settings, true);
    }

    /**
     * A builder with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2,
     * no AMSGrad.
     */
    public static Builder builder() {
        return new Builder(new AdamSettings(NAME, 1e-3, 0.9, 0.999, 1e-8, 1e-2, false));
    }

    public double beta1() {
        return core.settings().beta1();
    }

    public double beta2() {
        return core.settings().beta2();
    }

    public double epsilon() {
        return core.settings().epsilon();
    }

    public double weightDecay() {
        return core.settings().weightDecay();
    }

    public boolean amsgrad() {
        return core.settings().amsgrad();
    }

    @Override
    public void step(Map<String, Tensor> parameters, Map<String, Tensor> gradients) {
        core.step(parameters, gradients);
    }

    @Override
    public double learningRate() {
        return core.learningRate();
    }

    @Override
    public void learningRate(double learningRate) {
        core.learningRate(learningRate);
    }

    @Override
    public Map<String, Tensor> state() {
        return core.state();
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        core.loadState(state);
    }

    /** Immutable settings of an {@link AdamW}: every setter validates its argument and returns a new builder. */
    public static final class Builder {
        private final AdamSettings settings;

        private Builder(AdamSettings settings) {
            this.settings = settings;
        }

        /** Finite and > 0 (default 1e-3). */
        public Builder learningRate(double v) {
            return new Builder(settings.withLearningRate(v));
        }

        /** Decay rates of the first and second moment estimates, each in [0, 1) (default 0.9, 0.999). */
        public Builder betas(double beta1, double beta2) {
            return new Builder(settings.withBetas(beta1, beta2));
        }

        /** Added to the denominator, finite and >= 0 (default 1e-8). */
        public Builder epsilon(double v) {
            return new Builder(settings.withEpsilon(v));
        }

        /** Decoupled decay rate: each step scales parameters by 1 − lr·weightDecay; finite and >= 0 (default 1e-2). */
        public Builder weightDecay(double v) {
            return new Builder(settings.withWeightDecay(v));
        }

        /** Use the maximum of past second-moment estimates (default false). */
        public Builder amsgrad(boolean v) {
            return new Builder(settings.withAmsgrad(v));
        }

        public AdamW build() {
            return new AdamW(settings);
        }
    }
}
