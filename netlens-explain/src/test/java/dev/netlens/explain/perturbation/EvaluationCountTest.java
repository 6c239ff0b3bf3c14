package dev.netlens.explain.perturbation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.PerturbationMethods;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.CountingPredictor;
import dev.netlens.explain.blackbox.Predictor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every model-agnostic method announces how many inputs it will evaluate (progress bars rely on
 * it), and then evaluates exactly that many — at most that many for sampled Kernel SHAP, whose
 * repeated coalitions are evaluated once.
 */
class EvaluationCountTest {
    @Test
    void announcedCountsMatchTheForwardPasses() {
        Predictor model = Predictor.of(PerturbationModels.cnn(5));
        Tensor x = Tensor.randomNormal(new SplittableRandom(8), 1f, 2, 3, 16, 16);
        MethodOptions o = MethodOptions.defaults().withSamples(12).withSegments(10).withInternalBatch(5)
                .withWindow(new int[] {3, 5, 5}, new int[] {3, 3, 4});
        for (String name : PerturbationMethods.modelAgnostic()) {
            long[] last = {0};
            CountingPredictor counting = new CountingPredictor(model, n -> last[0] = n);
            Attribution a = PerturbationMethods.create(name, counting, o);
            long announced = ((CountsEvaluations) a).evaluations(x);
            a.explain(x, Target.classes(1));
            assertEquals(counting.evaluated(), last[0], name + ": the listener saw the running total");
            if (name.equals(KernelShap.NAME)) {
                assertTrue(counting.evaluated() <= announced && counting.evaluated() > announced / 2,
                        name + ": " + counting.evaluated() + " of at most " + announced);
            } else {
                assertEquals(announced, counting.evaluated(), name);
            }
        }
    }
}
