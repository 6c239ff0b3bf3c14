package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import org.junit.jupiter.api.Test;

/** Expected gradients: seeding, exact cases on linear models, completeness in expectation. */
class GradientShapTest {
    private final ExplainedModel cnn = TestModels.reluCnn(41);
    private final Tensor x = TestModels.random(42, 1f, 2, 3, 8, 8);
    private final Tensor baselines = TestModels.random(43, 1f, 4, 3, 8, 8);

    @Test
    void seeded() {
        Tensor a = GradientShap.builder(cnn).baselines(baselines).seed(5).build().explain(x, Target.classes(1)).map();
        Tensor b = GradientShap.builder(cnn).baselines(baselines).seed(5).build().explain(x, Target.classes(1)).map();
        Tensor c = GradientShap.builder(cnn).baselines(baselines).seed(6).build().explain(x, Target.classes(1)).map();
        TestModels.assertBitIdentical(a, b, "same seed");
        assertTrue(TestModels.maxAbsDiff(a, c) > 0, "another seed");
        TestModels.assertFinite(a, "gradient-shap");
    }

    @Test
    void defaultsAreCaptums() {
        Explanation e = GradientShap.builder(cnn).build().explain(x, Target.classes(0));
        assertEquals(5, e.parameters().get("samples"));
        assertEquals(0f, e.parameters().get("stdev"));
        assertEquals("zeros", e.parameters().get("baselines"));
    }

    @Test
    void onALinearModelItIsTheExpectedDifferenceTimesTheWeights() {
        ExplainedModel lin = TestModels.linear(44);
        Tensor in = TestModels.random(45, 1f, 2, 2, 3, 3);
        Tensor w = lin.graph().parameters().get("w");
        // One zero baseline: (x − 0) ⊙ w for every draw of u, with or without input noise.
        for (float stdev : new float[] {0f, 0.5f}) {
            Tensor a = GradientShap.builder(lin).stdev(stdev).samples(7).build().explain(in, Target.classes(2)).map();
            for (int n = 0; n < 2; n++) {
                for (int e = 0; e < 18; e++) {
                    assertEquals(in.data()[n * 18 + e] * w.get(2, e), a.data()[n * 18 + e], 1e-5, "σ " + stdev);
                }
            }
        }
        // Several baselines: Σ attr → f(x) − mean_b f(b) as samples grow.
        Tensor set = TestModels.random(46, 1f, 3, 2, 3, 3);
        Tensor fx = lin.forward(in);
        Tensor fb = lin.forward(set);
        double meanFb = (fb.get(0, 2) + fb.get(1, 2) + fb.get(2, 2)) / 3;
        Tensor a = GradientShap.builder(lin).baselines(set).samples(3000).internalBatch(500).build()
                .explain(in, Target.classes(2)).map();
        for (int n = 0; n < 2; n++) {
            double spread = Math.abs(fb.get(0, 2) - meanFb) + Math.abs(fb.get(1, 2) - meanFb) + Math.abs(fb.get(2, 2) - meanFb);
            assertEquals(fx.get(n, 2) - meanFb, TestModels.sum(TestModels.items(a, n, n + 1)), 0.1 * spread,
                    "completeness in expectation, item " + n);
        }
    }

    @Test
    void baselinesMustMatchTheInputItems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientShap.builder(cnn).baselines(Tensor.zeros(2, 3, 4, 4)).build().explain(x));
        assertTrue(e.getMessage().contains("[3, 8, 8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradientShap.builder(cnn).samples(0).build());
        assertTrue(e.getMessage().contains("samples must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradientShap.builder(cnn).stdev(-1).build());
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
    }
}
