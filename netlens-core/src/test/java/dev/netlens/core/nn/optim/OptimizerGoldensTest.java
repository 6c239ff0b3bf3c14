package dev.netlens.core.nn.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SGD / Adam / AdamW against PyTorch 1.13 (torch.optim, foreach=False) after each of six steps. */
class OptimizerGoldensTest {
    static Stream<String> configs() {
        return GoldenProblem.CONFIGS.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void matchesPyTorchAfterEveryStep(String config) {
        GoldenProblem.Config c = GoldenProblem.CONFIGS.get(config);
        Optimizer opt = c.optimizer().get();
        Map<String, Tensor> params = GoldenProblem.initialParameters();
        double maxDeviation = 0;
        int differing = 0;
        int total = 0;
        for (int s = 0; s < GoldenProblem.STEPS; s++) {
            GoldenProblem.run(opt, c.learningRate(), params, s, s + 1);
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                float[] want = GoldenProblem.GOLDENS.tensor(config + ".s" + s + "." + e.getKey()).data();
                float[] got = e.getValue().data();
                for (int i = 0; i < want.length; i++) {
                    double d = Math.abs((double) want[i] - got[i]);
                    maxDeviation = Math.max(maxDeviation, d);
                    differing += want[i] != got[i] ? 1 : 0;
                    total++;
                    assertTrue(d <= 1e-6, config + " step " + s + " " + e.getKey() + "[" + i + "]: PyTorch " + want[i]
                            + ", netlens " + got[i]);
                }
            }
        }
        System.out.printf("%s: max |netlens - PyTorch| = %.3g, %d of %d values not bit-identical%n",
                config, maxDeviation, differing, total);
    }
}
