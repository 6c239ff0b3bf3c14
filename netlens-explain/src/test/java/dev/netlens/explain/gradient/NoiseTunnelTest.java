package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import org.junit.jupiter.api.Test;

/** SmoothGrad, SmoothGrad² and VarGrad around any method: seeding, σ, degenerate cases, statistics. */
class NoiseTunnelTest {
    private final ExplainedModel cnn = TestModels.reluCnn(31);
    private final Tensor x = TestModels.random(32, 1f, 2, 3, 8, 8);

    @Test
    void theSameSeedGivesBitIdenticalResultsAndAnotherSeedDoesNot() {
        for (NoiseTunnel.Variant v : NoiseTunnel.Variant.values()) {
            Tensor a = tunnel(v, 7).explain(x, Target.classes(1)).map();
            Tensor b = tunnel(v, 7).explain(x, Target.classes(1)).map();
            Tensor c = tunnel(v, 8).explain(x, Target.classes(1)).map();
            TestModels.assertBitIdentical(a, b, v + " same seed");
            assertTrue(TestModels.maxAbsDiff(a, c) > 0, v + ": a different seed changes the result");
            TestModels.assertFinite(a, v.id());
        }
    }

    private NoiseTunnel tunnel(NoiseTunnel.Variant v, long seed) {
        return NoiseTunnel.builder(cnn).variant(v).samples(6).seed(seed).build();
    }

    @Test
    void oneSampleWithoutNoiseIsTheWrappedMethod() {
        Attribution[] inner = {InputGradient.of(cnn), Saliency.of(cnn), GuidedBackprop.builder(cnn).build(),
                IntegratedGradients.builder(cnn).steps(8).build()};
        for (Attribution a : inner) {
            Explanation plain = a.explain(x, Target.classes(3));
            Explanation tunnelled = NoiseTunnel.builder(cnn).wrap(a).samples(1).sigma(0f).build()
                    .explain(x, Target.classes(3));
            TestModels.assertBitIdentical(plain.map(), tunnelled.map(), "smoothgrad(n=1, σ=0) of " + a.name());
            assertEquals(a.name(), tunnelled.parameters().get("wrapped"));
            Tensor sq = NoiseTunnel.builder(cnn).wrap(a).samples(1).sigma(0f).variant(NoiseTunnel.Variant.SMOOTHGRAD_SQ)
                    .build().explain(x, Target.classes(3)).map();
            TestModels.assertClose(GradientSupport.times(plain.map(), plain.map()), sq, 0, 1e-6, "square");
            Tensor var = NoiseTunnel.builder(cnn).wrap(a).samples(1).sigma(0f).variant(NoiseTunnel.Variant.VARGRAD)
                    .build().explain(x, Target.classes(3)).map();
            TestModels.assertValues(new float[var.size()], var, 0, "variance of one sample");
        }
    }

    @Test
    void theDefaultWrapsTheRawGradientAndItsDefaultsAreDocumented() {
        NoiseTunnel sg = NoiseTunnel.builder(cnn).build();
        assertEquals("smoothgrad", sg.name());
        assertEquals(InputGradient.NAME, sg.wrapped().name());
        Explanation e = sg.explain(x, Target.classes(0));
        assertEquals(25, e.parameters().get("samples"));
        assertEquals(0.15f, e.parameters().get("sigma"));
        assertEquals(0L, e.parameters().get("seed"));
        assertEquals("class [0, 0]", e.target());       // the target as resolved for the batch
    }

    @Test
    void onALinearModelSmoothGradIsTheGradientAndVarGradIsZero() {
        ExplainedModel lin = TestModels.linear(5);
        Tensor in = TestModels.random(6, 1f, 2, 2, 3, 3);
        Tensor g = InputGradient.of(lin).explain(in, Target.classes(2)).map();
        Tensor sg = NoiseTunnel.builder(lin).samples(10).build().explain(in, Target.classes(2)).map();
        TestModels.assertClose(g, sg, 1e-6, 1e-5, "smoothgrad of a constant gradient");
        Tensor vg = NoiseTunnel.builder(lin).variant(NoiseTunnel.Variant.VARGRAD).samples(10).build()
                .explain(in, Target.classes(2)).map();
        TestModels.assertValues(new float[vg.size()], vg, 1e-6, "vargrad of a constant gradient");
    }

    /**
     * y = Σ x², ∂y/∂x = 2(x + ε): SmoothGrad → 2x, VarGrad → 4σ², SmoothGrad² → 4x² + 4σ², with
     * σ = sigma · (max(x) − min(x)) of each item.
     */
    @Test
    void noiseIsScaledByEachItemsRange() {
        ExplainedModel sq = TestModels.squares();
        Tensor in = Tensor.zeros(2, 10);
        for (int i = 0; i < 10; i++) {
            in.data()[i] = i * 0.5f;            // item 0: range 4.5
            in.data()[10 + i] = -i * 0.1f;      // item 1: range 0.9
        }
        int n = 4000;
        float sigma = 0.2f;
        Tensor var = NoiseTunnel.builder(sq).variant(NoiseTunnel.Variant.VARGRAD).samples(n).sigma(sigma)
                .internalBatch(500).build().explain(in, Target.classes(0)).map();
        Tensor mean = NoiseTunnel.builder(sq).samples(n).sigma(sigma).internalBatch(500).build()
                .explain(in, Target.classes(0)).map();
        double[] range = {4.5, 0.9};
        for (int item = 0; item < 2; item++) {
            double s = sigma * range[item];
            double avgVar = 0;
            for (int e = 0; e < 10; e++) {
                avgVar += var.data()[item * 10 + e] / 10;
                double x0 = in.data()[item * 10 + e];
                // Standard error of the mean gradient: 2s/√n.
                assertEquals(2 * x0, mean.data()[item * 10 + e], 5 * 2 * s / Math.sqrt(n), "smoothgrad " + item);
            }
            // 10 × 4000 draws: the variance estimate is within a few percent.
            assertEquals(4 * s * s, avgVar, 0.05 * 4 * s * s, "vargrad of item " + item);
        }
    }

    @Test
    void jensenHoldsBetweenTheVariants() {
        Tensor sg = tunnel(NoiseTunnel.Variant.SMOOTHGRAD, 3).explain(x, Target.classes(2)).map();
        Tensor sq = tunnel(NoiseTunnel.Variant.SMOOTHGRAD_SQ, 3).explain(x, Target.classes(2)).map();
        Tensor vg = tunnel(NoiseTunnel.Variant.VARGRAD, 3).explain(x, Target.classes(2)).map();
        for (int i = 0; i < sg.size(); i++) {
            float m = sg.data()[i];
            assertTrue(vg.data()[i] >= 0, "variance >= 0");
            assertEquals(sq.data()[i] - m * m, vg.data()[i], 1e-5 + 1e-4 * sq.data()[i], "var = E[a²] − E[a]²");
        }
    }

    @Test
    void theInternalBatchDoesNotChangeTheResult() {
        Tensor a = NoiseTunnel.builder(cnn).samples(7).internalBatch(7).build().explain(x, Target.classes(1)).map();
        Tensor b = NoiseTunnel.builder(cnn).samples(7).internalBatch(2).build().explain(x, Target.classes(1)).map();
        TestModels.assertClose(a, b, 1e-6, 1e-5, "internal batch 7 vs 2");
    }

    @Test
    void builderValidationSaysWhatIsValid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoiseTunnel.builder(cnn).samples(0).build());
        assertTrue(e.getMessage().contains("samples must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NoiseTunnel.builder(cnn).sigma(-0.1f).build());
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NoiseTunnel.builder(cnn).sigma(Float.NaN).build());
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NoiseTunnel.builder(cnn).wrap(NoiseTunnel.builder(cnn).build()));
        assertTrue(e.getMessage().contains("noise tunnel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NoiseTunnel.Variant.parse("smoothgrad2"));
        assertTrue(e.getMessage().contains("smoothgrad-sq"), e.getMessage());
        assertEquals(NoiseTunnel.Variant.SMOOTHGRAD_SQ, NoiseTunnel.Variant.parse("smoothgrad_sq"));
    }
}
