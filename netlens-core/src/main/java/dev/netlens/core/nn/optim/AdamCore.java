package dev.netlens.core.nn.optim;

import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Adam update and its state, shared by {@link Adam} (weight decay added to the gradient) and
 * {@link AdamW} (decoupled weight decay). Follows PyTorch 1.13's {@code _single_tensor_adam} /
 * {@code _single_tensor_adamw} operation by operation: float32 tensors, bias corrections in double
 * (Python floats), scalars rounded to float where they meet a tensor.
 */
final class AdamCore {
    private static final String STEP = "step";
    private static final String EXP_AVG = "exp_avg";
    private static final String EXP_AVG_SQ = "exp_avg_sq";
    private static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    private final AdamSettings settings;
    private final boolean decoupled;
    private double learningRate;
    private final Map<String, Moments> moments = new LinkedHashMap<>();

    /** Per-parameter state: step count and moment estimates. */
    private static final class Moments {
        long step;
        final Tensor expAvg;
        final Tensor expAvgSq;
        final Tensor maxExpAvgSq;

        Moments(long step, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
            this.step = step;
            this.expAvg = expAvg;
            this.expAvgSq = expAvgSq;
            this.maxExpAvgSq = maxExpAvgSq;
        }
    }

    AdamCore(AdamSettings settings, boolean decoupled) {
        this.settings = settings;
        this.decoupled = decoupled;
        this.learningRate = settings.learningRate();
    }

    AdamSettings settings() {
        return settings;
    }

    double learningRate() {
        return learningRate;
    }

    void learningRate(double v) {
        learningRate = Checks.nonNegative(settings.owner(), "learning rate", v);
    }

    void step(Map<String, Tensor> parameters, Map<String, Tensor> gradients) {
        String owner = settings.owner();
        Checks.gradientsMatch(owner, parameters, gradients);
        for (String name : gradients.keySet()) {
            Moments m = moments.get(name);
            if (m != null) {
                Checks.stateFits(owner, name, m.expAvg.shape(), parameters.get(name));
            }
        }
        for (Map.Entry<String, Tensor> e : gradients.entrySet()) {
            Tensor param = parameters.get(e.getKey());
            Moments m = moments.computeIfAbsent(e.getKey(), k -> new Moments(0, Tensor.zerosLike(param),
                    Tensor.zerosLike(param), settings.amsgrad() ? Tensor.zerosLike(param) : null));
            update(param.data(), e.getValue().data(), m);
        }
    }

    private void update(float[] p, float[] g, Moments m) {
        m.step++;
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        double biasCorrection1 = 1 - Math.pow(beta1, m.step);
        double biasCorrection2 = 1 - Math.pow(beta2, m.step);
        float negStepSize = (float) -(learningRate / biasCorrection1);
        float biasCorrection2Sqrt = (float) Math.sqrt(biasCorrection2);
        float b1 = (float) beta1;
        float oneMinusB1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) settings.epsilon();
        float wd = (float) settings.weightDecay();
        boolean coupledDecay = !decoupled && settings.weightDecay() != 0;
        float decay = (float) (1 - learningRate * settings.weightDecay());
        float[] expAvg = m.expAvg.data();
        float[] expAvgSq = m.expAvgSq.data();
        float[] maxExpAvgSq = m.maxExpAvgSq == null ? null : m.maxExpAvgSq.data();
        for (int j = 0; j < p.length; j++) {
            float grad = g[j];
            if (decoupled) {
                p[j] *= decay;                                    // param.mul_(1 - lr * weight_decay)
            } else if (coupledDecay) {
                grad = TorchFloat.add(grad, p[j], wd);            // grad.add(param, alpha=weight_decay)
            }
            expAvg[j] = TorchFloat.add(expAvg[j] * b1, grad, oneMinusB1);
            expAvgSq[j] = TorchFloat.addcmul(expAvgSq[j] * b2, grad, grad, oneMinusB2);
            float second = expAvgSq[j];
            if (maxExpAvgSq != null) {
                second = Math.max(maxExpAvgSq[j], second);        // torch.maximum (NaN-propagating)
                maxExpAvgSq[j] = second;
            }
            float denom = (float) Math.sqrt(second) / biasCorrection2Sqrt + eps;
            p[j] = TorchFloat.addcdiv(p[j], expAvg[j], denom, negStepSize);
        }
    }

    Map<String, Tensor> state() {
        String owner = settings.owner();
        Map<String, Tensor> out = new LinkedHashMap<>();
        moments.forEach((name, m) -> {
            out.put(StateKeys.key(STEP, name), StateKeys.stepTensor(owner, name, m.step));
            out.put(StateKeys.key(EXP_AVG, name), m.expAvg.copy());
            out.put(StateKeys.key(EXP_AVG_SQ, name), m.expAvgSq.copy());
            if (m.maxExpAvgSq != null) {
                out.put(StateKeys.key(MAX_EXP_AVG_SQ, name), m.maxExpAvgSq.copy());
            }
        });
        return out;
    }

    void loadState(Map<String, Tensor> state) {
        String owner = settings.owner();
        Set<String> kinds = settings.amsgrad() ? Set.of(STEP, EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ)
                : Set.of(STEP, EXP_AVG, EXP_AVG_SQ);
        Map<String, Moments> loaded = new LinkedHashMap<>();
        StateKeys.byParameter(owner, state, kinds).forEach((name, buffers) -> {
            long step = StateKeys.readStep(owner, name, StateKeys.require(owner, name, buffers, STEP));
            Tensor expAvg = StateKeys.require(owner, name, buffers, EXP_AVG);
            Tensor expAvgSq = StateKeys.require(owner, name, buffers, EXP_AVG_SQ);
            StateKeys.sameShape(owner, name, expAvg, EXP_AVG, expAvgSq, EXP_AVG_SQ);
            Tensor max = null;
            if (settings.amsgrad()) {
                max = StateKeys.require(owner, name, buffers, MAX_EXP_AVG_SQ);
                StateKeys.sameShape(owner, name, expAvg, EXP_AVG, max, MAX_EXP_AVG_SQ);
                max = max.copy();
            }
            loaded.put(name, new Moments(step, expAvg.copy(), expAvgSq.copy(), max));
        });
        moments.clear();
        moments.putAll(loaded);
    }
}
