package dev.netlens.core.nn.optim;

import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and (coupled, L2)
 * weight decay — exactly PyTorch 1.13's {@code torch.optim.SGD} (single-tensor path). For each
 * parameter {@code p} with gradient {@code g}:
 * <pre>
 *   d = g + weight_decay·p                                  (if weight_decay ≠ 0)
 *   if momentum ≠ 0:
 *       b = d                           on the first step    (PyTorch: buffer = clone of d)
 *       b = momentum·b + (1 − dampening)·d   afterwards
 *       d = d + momentum·b   if nesterov,   else d = b
 *   p = p − lr·d
 * </pre>
 * in float32 with PyTorch's rounding (see Sutskever et al., "On the importance of initialization and
 * momentum in deep learning", ICML 2013, for the Nesterov formulation PyTorch follows).
 * State: {@code "momentum_buffer/<name>"} per parameter once it has been stepped with momentum.
 *
 * <pre>{@code
 * Optimizer sgd = Sgd.builder().learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(5e-4).build();
 * }</pre>
 */
public final class Sgd implements Optimizer {
    private static final String NAME = "SGD";
    private static final String MOMENTUM_BUFFER = "momentum_buffer";

    private double learningRate;
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    private Sgd(Builder b) {
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.dampening = b.dampening;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
    }

    /** A builder; the learning rate has no default (as in PyTorch) and must be set. */
    public static Builder builder() {
        return new Builder(Double.NaN, 0, 0, false, 0);
    }

    public double momentum() {
        return momentum;
    }

    public double dampening() {
        return dampening;
    }

    public boolean nesterov() {
        return nesterov;
    }

    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void learningRate(double learningRate) {
        this.learningRate = Checks.nonNegative(NAME, "learning rate", learningRate);
    }

    @Override
    public void step(Map<String, Tensor> parameters, Map<String, Tensor> gradients) {
        Checks.gradientsMatch(NAME, parameters, gradients);
        for (String name : gradients.keySet()) {
            Tensor buffer = buffers.get(name);
            if (buffer != null) {
                Checks.stateFits(NAME, name, buffer.shape(), parameters.get(name));
            }
        }
        float wd = (float) weightDecay;
        float mom = (float) momentum;
        float keep = (float) (1 - dampening);
        float negLr = (float) -learningRate;
        for (Map.Entry<String, Tensor> e : gradients.entrySet()) {
            Tensor param = parameters.get(e.getKey());
            float[] p = param.data();
            float[] g = e.getValue().data();
            float[] b = null;
            boolean first = false;
            if (momentum != 0) {
                Tensor buffer = buffers.get(e.getKey());
                first = buffer == null;
                if (first) {
                    buffer = Tensor.zerosLike(param);
                    buffers.put(e.getKey(), buffer);
                }
                b = buffer.data();
            }
            for (int j = 0; j < p.length; j++) {
                float d = weightDecay != 0 ? TorchFloat.add(g[j], p[j], wd) : g[j];
                if (b != null) {
                    b[j] = first ? d : TorchFloat.add(b[j] * mom, d, keep);
                    d = nesterov ? TorchFloat.add(d, b[j], mom) : b[j];
                }
                p[j] = TorchFloat.add(p[j], d, negLr);
            }
        }
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        buffers.forEach((name, b) -> out.put(StateKeys.key(MOMENTUM_BUFFER, name), b.copy()));
        return out;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        Map<String, Map<String, Tensor>> grouped = StateKeys.byParameter(NAME, state, Set.of(MOMENTUM_BUFFER));
        if (momentum == 0 && !grouped.isEmpty()) {
            throw new IllegalArgumentException(NAME + ": this optimiser has no momentum but the state holds "
                    + "momentum buffers for " + grouped.keySet() + " (saved from SGD with momentum?)");
        }
        Map<String, Tensor> loaded = new LinkedHashMap<>();
        grouped.forEach((name, b) -> loaded.put(name, b.get(MOMENTUM_BUFFER).copy()));
        buffers.clear();
        buffers.putAll(loaded);
    }

    /**
     * Immutable settings of an {@link Sgd}: every setter validates its argument and returns a new
     * builder. Defaults as in PyTorch: momentum 0, dampening 0, no Nesterov, weight decay 0.
     */
    public static final class Builder {
        private final double learningRate;
        private final double momentum;
        private final double dampening;
        private final boolean nesterov;
        private final double weightDecay;

        private Builder(double learningRate, double momentum, double dampening, boolean nesterov, double weightDecay) {
            this.learningRate = learningRate;
            this.momentum = momentum;
            this.dampening = dampening;
            this.nesterov = nesterov;
            this.weightDecay = weightDecay;
        }

        /** Required; finite and > 0. */
        public Builder learningRate(double v) {
            return new Builder(Checks.positive(NAME, "learning rate", v), momentum, dampening, nesterov, weightDecay);
        }

        /** Momentum factor, finite and >= 0 (0 = plain SGD). */
        public Builder momentum(double v) {
            return new Builder(learningRate, Checks.nonNegative(NAME, "momentum", v), dampening, nesterov, weightDecay);
        }

        /** Dampening of the gradient in the momentum buffer, in [0, 1]. */
        public Builder dampening(double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(NAME + ": dampening must be in [0, 1], got " + v);
            }
            return new Builder(learningRate, momentum, v, nesterov, weightDecay);
        }

        /** Nesterov momentum; needs momentum > 0 and dampening 0. */
        public Builder nesterov(boolean v) {
            return new Builder(learningRate, momentum, dampening, v, weightDecay);
        }

        /** L2 penalty added to the gradient, finite and >= 0. */
        public Builder weightDecay(double v) {
            return new Builder(learningRate, momentum, dampening, nesterov, Checks.nonNegative(NAME, "weight decay", v));
        }

        public Sgd build() {
            if (Double.isNaN(learningRate)) {
                throw new IllegalArgumentException(NAME + ": the learning rate is required (e.g. .learningRate(0.1))");
            }
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException(NAME + ": Nesterov momentum requires momentum > 0 and dampening 0, "
                        + "got momentum " + momentum + " and dampening " + dampening);
            }
            return new Sgd(this);
        }
    }
}
