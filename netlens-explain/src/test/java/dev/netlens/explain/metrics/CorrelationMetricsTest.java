package dev.netlens.explain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.MethodOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Faithfulness correlation, infidelity, max-sensitivity and AOPC on linear models. */
class CorrelationMetricsTest {
    private static final int C = 3;
    private static final int H = 10;
    private static final int W = 10;
    private final float[] w = weights();
    private final ExplainedModel model = LinearModels.linear(w, 0.2f, C, H, W);
    private final Tensor x = Tensor.randomUniform(new SplittableRandom(2), 0, 1, 1, C, H, W);

    private static float[] weights() {
        SplittableRandom r = new SplittableRandom(1);
        float[] w = new float[C * H * W];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.2f;
        }
        return w;
    }

    @Test
    void faithfulnessCorrelationIsOneForTheExactContributionsOfALinearLogit() {
        FaithfulnessCorrelation fc = FaithfulnessCorrelation.builder().build();
        Tensor truth = LinearModels.contributions(w, x);
        assertEquals(1.0, fc.evaluate(model, x, truth, 0), 1e-4);
        assertEquals(-1.0, fc.evaluate(model, x, LinearModels.negate(truth), 0), 1e-4);
        double random = fc.evaluate(model, x, Tensor.randomNormal(new SplittableRandom(3), 1, 1, C, H, W), 0);
        assertTrue(Math.abs(random) < 0.5, "random map correlation " + random);
    }

    @Test
    void infidelityIsZeroForTheGradientOfALinearLogitAndSigmaSquaredNormForTwiceIt() {
        Infidelity inf = Infidelity.builder().samples(4000).sigma(0.05).build();
        Tensor gradient = Tensor.of(w.clone(), 1, C, H, W);
        assertEquals(0, inf.evaluate(model, x, gradient, 0), 1e-8);
        float[] twice = new float[w.length];
        double norm2 = 0;
        for (int i = 0; i < w.length; i++) {
            twice[i] = 2 * w[i];
            norm2 += (double) w[i] * w[i];
        }
        // (Σ 2w·I − w·I)² = (w·I)², expectation σ²‖w‖².
        double expected = 0.05 * 0.05 * norm2;
        assertEquals(expected, inf.evaluate(model, x, Tensor.of(twice, 1, C, H, W), 0), 0.1 * expected);
        // normalised infidelity forgives the scale
        assertEquals(0, Infidelity.builder().normalize(true).build().evaluate(model, x, Tensor.of(twice, 1, C, H, W), 0),
                1e-8);
    }

    @Test
    void maxSensitivityIsZeroForAConstantGradientAndMatchesTheUniformBallForInputTimesGradient() {
        MaxSensitivity ms = MaxSensitivity.builder().build();
        MethodOptions o = MethodOptions.defaults();
        assertEquals(0, ms.evaluate(AttributionMethods.create("gradient", model, o), x, 0), 1e-6);
        double s = ms.evaluate(AttributionMethods.create("input-x-gradient", model, o), x, 0);
        // ‖w ⊙ u‖ / ‖w ⊙ x‖ with u uniform in [−r, r]: about r‖w‖/(√3‖w ⊙ x‖).
        double wn = 0;
        double wx = 0;
        for (int i = 0; i < w.length; i++) {
            wn += (double) w[i] * w[i];
            wx += Math.pow(w[i] * x.data()[i], 2);
        }
        double typical = 0.02 * Math.sqrt(wn) / Math.sqrt(3 * wx);
        assertTrue(s > 0.8 * typical && s < 1.3 * typical, s + " vs " + typical);
    }

    @Test
    void aopcIsZeroWhenTheMapPointsAwayFromTheOnlyRegionTheModelUses() {
        // The logit reads only the top-left 2×2 block of channel 0.
        float[] local = new float[C * H * W];
        local[0] = local[1] = local[W] = local[W + 1] = 1;
        ExplainedModel m = LinearModels.linear(local, 0, C, H, W);
        float[] atTopLeft = new float[H * W];
        atTopLeft[0] = 1;
        float[] atBottomRight = new float[H * W];
        atBottomRight[H * W - 1] = 1;
        PixelFlipping pf = PixelFlipping.builder().region(2).steps(3).softmax(false).build();
        PixelFlipping.Result away = pf.evaluate(m, x, Tensor.of(atBottomRight, 1, 1, H, W), 0);
        assertEquals(0, away.aopc(), 1e-6);
        PixelFlipping.Result at = pf.evaluate(m, x, Tensor.of(atTopLeft, 1, 1, H, W), 0);
        assertTrue(Math.abs(at.aopc()) > 1e-3, "AOPC " + at.aopc());
        assertEquals(4, at.curve().scores().length);
        assertEquals(0.12, at.curve().fractions()[3], 1e-12);
    }

    @Test
    void aopcRanksTheTrueContributionsAboveReversedOnes() {
        PixelFlipping pf = PixelFlipping.builder().region(2).steps(10).build();
        Tensor truth = LinearModels.contributions(w, x);
        double good = pf.evaluate(model, x, truth, 0).aopc();
        double bad = pf.evaluate(model, x, LinearModels.negate(truth), 0).aopc();
        assertTrue(good > bad, good + " vs " + bad);
    }
}
