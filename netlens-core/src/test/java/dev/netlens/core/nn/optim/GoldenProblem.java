package dev.netlens.core.nn.optim;

import dev.netlens.core.nn.NnGoldens;
import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fixed problem of {@code make_optimizer_goldens.py}: parameters "w" [4, 5] and "b" [3], six
 * steps of fixed gradients ("b" has none at step 2) and a per-step learning-rate multiplier, and the
 * optimiser configurations PyTorch ran on it.
 */
final class GoldenProblem {
    static final int STEPS = 6;
    static final NnGoldens GOLDENS = NnGoldens.load();

    /** Configuration name in the goldens → (base learning rate, fresh optimiser). */
    static final Map<String, Config> CONFIGS = new LinkedHashMap<>();

    record Config(double learningRate, Supplier<Optimizer> optimizer) {
    }

    static {
        config("sgd_plain", 0.1, () -> Sgd.builder().learningRate(0.1).build());
        config("sgd_momentum", 0.05, () -> Sgd.builder().learningRate(0.05).momentum(0.9).dampening(0.1).build());
        config("sgd_nesterov", 0.05,
                () -> Sgd.builder().learningRate(0.05).momentum(0.9).nesterov(true).weightDecay(0.01).build());
        config("sgd_weight_decay", 0.1, () -> Sgd.builder().learningRate(0.1).weightDecay(0.05).build());
        config("adam", 0.01, () -> Adam.builder().learningRate(0.01).build());
        config("adam_weight_decay", 0.01,
                () -> Adam.builder().learningRate(0.01).betas(0.8, 0.99).epsilon(1e-6).weightDecay(0.1).build());
        config("adam_amsgrad", 0.02, () -> Adam.builder().learningRate(0.02).weightDecay(0.01).amsgrad(true).build());
        config("adamw", 0.01, () -> AdamW.builder().learningRate(0.01).weightDecay(0.1).build());
        config("adamw_amsgrad", 0.01,
                () -> AdamW.builder().learningRate(0.01).betas(0.85, 0.995).weightDecay(0.05).amsgrad(true).build());
    }

    private GoldenProblem() {
    }

    private static void config(String name, double lr, Supplier<Optimizer> optimizer) {
        CONFIGS.put(name, new Config(lr, optimizer));
    }

    /** Fresh copies of the initial parameters. */
    static Map<String, Tensor> initialParameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", GOLDENS.tensor("params.w").copy());
        p.put("b", GOLDENS.tensor("params.b").copy());
        return p;
    }

    /** The gradients of step {@code s} (copies; "b" absent at step 2). */
    static Map<String, Tensor> gradients(int s) {
        Map<String, Tensor> g = new LinkedHashMap<>();
        for (String n : new String[] {"w", "b"}) {
            String key = "grads.s" + s + "." + n;
            if (GOLDENS.has(key)) {
                g.put(n, GOLDENS.tensor(key).copy());
            }
        }
        return g;
    }

    /** Runs steps [from, to) of the problem with learning rates {@code base · multiplier(s)}. */
    static void run(Optimizer opt, double baseLearningRate, Map<String, Tensor> params, int from, int to) {
        for (int s = from; s < to; s++) {
            opt.learningRate(baseLearningRate * GOLDENS.scalar("lr.s" + s));
            opt.step(params, gradients(s));
        }
    }
}
