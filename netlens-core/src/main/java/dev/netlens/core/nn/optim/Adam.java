package dev.netlens.core.nn.optim;

import dev.netlens.core.tensor.Tensor;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), optionally with
 * AMSGrad (Reddi et al., "On the Convergence of Adam and Beyond", ICLR 2018) — exactly PyTorch
 * 1.13's {@code torch.optim.Adam} (single-tensor path). For each parameter {@code p} with gradient
 * {@code g}, at its step {@code t = 1, 2, …}:
 * <pre>
 *   g = g + weight_decay·p                     (L2 penalty added to the gradient, if ≠ 0)
 *   m = β1·m + (1 − β1)·g
 *   v = β2·v + (1 − β2)·g²
 *   v̂ = max(v̂, v) if amsgrad, else v
 *   p = p − (lr / (1 − β1^t)) · m / (√v̂ / √(1 − β2^t) + eps)
 * </pre>
 * Tensors are float32 with PyTorch's rounding; the bias corrections are computed in double, as
 * PyTorch does with Python floats. For decoupled weight decay use {@link AdamW}.
 * State per parameter: {@code "step/<name>"}, {@code "exp_avg/<name>"}, {@code "exp_avg_sq/<name>"}
 * and, with AMSGrad, {@code "max_exp_avg_sq/<name>"}.
 *
 * <pre>{@code
 * Optimizer adam = Adam.builder().learningRate(1e-3).betas(0.9, 0.999).build();
 * }</pre>
 */
public final class Adam implements Optimizer {
    private static final String NAME = "Adam";
    private final AdamCore core;

    private Adam(AdamSettings settings) {
        this.core = new AdamCore(settings, false);
    }

    /** A builder with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0, no AMSGrad. */
    public static Builder builder() {
        return new Builder(new AdamSettings(NAME, 1e-3, 0.9, 0.999, 1e-8, 0, false));
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

    /** Immutable settings of an {@link Adam}: every setter validates its argument and returns a new builder. */
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

        /** L2 penalty added to the gradient, finite and >= 0 (default 0). */
        public Builder weightDecay(double v) {
            return new Builder(settings.withWeightDecay(v));
        }

        /** Use the maximum of past second-moment estimates (default false). */
        public Builder amsgrad(boolean v) {
            return new Builder(settings.withAmsgrad(v));
        }

        public Adam build() {
            return new Adam(settings);
        }
    }
}
