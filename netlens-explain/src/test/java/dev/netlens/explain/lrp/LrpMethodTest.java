package dev.netlens.explain.lrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.graph.Composite;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.RuleMethods;
import dev.netlens.explain.Target;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LrpMethodTest {
    private final ExplainedModel model = ExplainedModel.of(TestNets.resnet(4, true));
    private final Tensor x = Tensor.randomNormal(new SplittableRandom(5), 1f, 2, 3, 32, 32);

    private int[] bits(Tensor t) {
        int[] b = new int[t.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = Float.floatToRawIntBits(t.data()[i]);
        }
        return b;
    }

    @Test
    void registeredWithDefaults() {
        RuleMethods.registerAll();
        RuleMethods.registerAll(); // harmless
        assertTrue(AttributionMethods.all().keySet().containsAll(java.util.List.of("lrp", "deeplift", "deeplift-shap")));
        Attribution a = AttributionMethods.create("lrp", model, MethodOptions.defaults());
        assertEquals("lrp", a.name());
        Explanation e = a.explain(x, Target.classes(2));
        assertEquals("epsilon-plus-flat", e.parameters().get("composite"));
        assertEquals("explicit-residual-sums,merge-batch-norm", e.parameters().get("canonizers"));
        assertArrayEquals(x.shape(), e.map().shape());
        assertEquals("lrp", e.method());
        // zB bounds from the declared normalisation: pixels in [0, 1] with mean 0.5 and std 0.1 span
        // [-5, 5], which holds these standard-normal inputs
        ExplainedModel normalised = model.withMetadata("netlens.mean", "0.5").withMetadata("netlens.std", "0.1");
        Explanation g = AttributionMethods.create("lrp", normalised,
                MethodOptions.defaults().withComposite("epsilon-gamma-box")).explain(x, Target.classes(2));
        assertEquals("epsilon-gamma-box", g.parameters().get("composite"));
        assertTrue(e.provenanceJson().contains("\"composite\": \"epsilon-plus-flat\""));
    }

    @Test
    void zBoxRefusesAnInputOutsideItsBounds() {
        // Without normalisation metadata the bounds are [0, 1]; standard-normal inputs leave them, and
        // the rule's relevance would be meaningless (1e34 on MobileNet-v2 with ImageNet-normalised photos).
        Attribution a = AttributionMethods.create("lrp", model, MethodOptions.defaults().withComposite("epsilon-gamma-box"));
        String m = assertThrows(IllegalArgumentException.class, () -> a.explain(x, Target.classes(2))).getMessage();
        assertTrue(m.contains("zbox") && m.contains("netlens.mean") && m.contains("--mean"), m);
        // inputs inside [0, 1] are fine
        Tensor inside = Tensor.zeros(x.shape());
        for (int i = 0; i < inside.size(); i++) {
            inside.data()[i] = (float) (0.5 + 0.4 * Math.tanh(x.data()[i]));
        }
        Explanation e = a.explain(inside, Target.classes(2));
        for (float v : e.map().data()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void seedIsTheTargetValue() {
        // Σ R over the input for the default composite is close to y on this BN-folded ResNet (flat,
        // z⁺ and ε are near-conservative; biases absorb a little).
        Explanation e = Lrp.of(model).explain(x, Target.predicted());
        Tensor y = model.forward(x);
        for (int i = 0; i < 2; i++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < 5; k++) {
                best = Math.max(best, y.data()[i * 5 + k]);
            }
            float sum = e.extras().get("relevance_sum").data()[i];
            assertTrue(Float.isFinite(sum));
            assertTrue(Math.signum(sum) == Math.signum(best) || Math.abs(sum) < 0.5 * Math.abs(best),
                    "Σ R " + sum + " vs y " + best);
        }
    }

    @Test
    void noRuleStaysInstalledAfterReturnOrThrow() {
        Tensor before = Gradients.input(model, x, Target.classes(1)).gradient();
        Lrp.of(model).explain(x, Target.classes(1));
        assertArrayEquals(bits(before), bits(Gradients.input(model, x, Target.classes(1)).gradient()));
        // z⁺ on an unfolded BatchNormalization fails inside the backward pass
        Lrp failing = Lrp.builder(model).canonizer(Canonizers.none()).composite("category:BATCH_NORM=zplus,epsilon-plus")
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> failing.explain(x, Target.classes(1)));
        assertTrue(e.getMessage().contains("BatchNormalization"), e.getMessage());
        assertArrayEquals(bits(before), bits(Gradients.input(model, x, Target.classes(1)).gradient()));
        // a rule that throws an unchecked error mid-pass
        BackwardRule boom = (ctx, g) -> {
            throw new IllegalStateException("boom");
        };
        Lrp broken = Lrp.builder(model).composite("boom", LrpComposites.withBase(Composite.builder()
                .byCategory(OpCategory.LINEAR, Rules.epsilon()).byCategory(OpCategory.CONVOLUTION, boom)).build())
                .build();
        assertThrows(IllegalStateException.class, () -> broken.explain(x, Target.classes(1)));
        assertArrayEquals(bits(before), bits(Gradients.input(model, x, Target.classes(1)).gradient()));
        // the model's graph itself was never rewritten
        assertInstanceOf(BatchNormalization.class, model.graph().node("bn1").op());
    }
}
