package dev.netlens.explain.lrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LRP conservation: Σ input relevance = y_target on networks where the rules are conservative. */
class LrpConservationTest {

    private static void assertConserved(Explanation e, Tensor logits, int[] classes, double tol) {
        double[] sums = TestNets.itemSums(e.map());
        int k = logits.dim(1);
        for (int i = 0; i < sums.length; i++) {
            double y = logits.data()[i * k + classes[i]];
            assertTrue(Math.abs(y) > 1e-3, "degenerate target value " + y);
            assertEquals(y, sums[i], tol * Math.abs(y), "item " + i + ": Σ R vs y");
            assertEquals(sums[i], e.extras().get("relevance_sum").data()[i], 1e-4 * (1 + Math.abs(sums[i])));
        }
    }

    @Test
    void epsilonToZeroOnBiasFreeReluMlpConservesY() {
        Graph g = TestNets.mlp(1, false);
        ExplainedModel m = ExplainedModel.of(g);
        Tensor x = Tensor.randomNormal(new SplittableRandom(2), 1f, 3, 8);
        Tensor y = m.forward(x);
        int[] classes = {0, 3, 4};
        Explanation e = Lrp.builder(m).composite("category:LINEAR=epsilon(1e-9)").build()
                .explain(x, Target.classes(classes));
        assertConserved(e, y, classes, 1e-3);
    }

    @Test
    void builtInCompositesOnBiasFreeReluCnnConserveY() {
        ExplainedModel m = ExplainedModel.of(TestNets.cnn(7, false, true));
        SplittableRandom rnd = new SplittableRandom(8);
        Tensor x = Tensor.randomUniform(rnd, 0f, 1f, 2, 3, 12, 12);
        Tensor y = m.forward(x);
        int[] classes = {1, 2};
        for (String c : new String[] {"epsilon-plus", "epsilon-plus-flat", "epsilon-gamma-box"}) {
            Explanation e = Lrp.builder(m).composite(c).build().explain(x, Target.classes(classes));
            assertEquals(c, e.parameters().get("composite"));
            assertConserved(e, y, classes, 1e-3);
        }
    }

    @Test
    void conservationAlsoWithAveragePoolingInsteadOfMaxPooling() {
        ExplainedModel m = ExplainedModel.of(TestNets.cnn(9, false, false));
        Tensor x = Tensor.randomNormal(new SplittableRandom(10), 1f, 2, 3, 12, 12);
        Tensor y = m.forward(x);
        int[] classes = {0, 3};
        Explanation e = Lrp.of(m).explain(x, Target.classes(classes));
        assertEquals("epsilon-plus-flat", e.parameters().get("composite"));
        assertConserved(e, y, classes, 1e-3);
    }
}
