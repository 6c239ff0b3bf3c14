package dev.netlens.explain.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.metrics.DeletionInsertion.Mode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeletionInsertionTest {
    @Test
    void deletionCurveOfA2x2LinearModelByHand() {
        // logit0 = 4a + 3b + 2c + 1d at x = 1: deleting in the order of w removes 4, 3, 2, 1.
        float[] w = {4, 3, 2, 1};
        ExplainedModel m = LinearModels.linear(w, 0, 1, 2, 2);
        Tensor x = Tensor.ones(1, 1, 2, 2);
        DeletionInsertion del = DeletionInsertion.builder(Mode.DELETION).step(1).softmax(false).build();
        Curve best = del.evaluate(m, x, Tensor.of(w.clone(), 1, 1, 2, 2), 0);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, best.fractions(), 1e-12);
        assertArrayEquals(new double[] {10, 6, 3, 1, 0}, best.scores(), 1e-5);
        assertEquals(0.25 * (5 + 6 + 3 + 1), best.auc(), 1e-5);
        Curve reversed = del.evaluate(m, x, Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), 0);
        assertEquals(0.25 * (5 + 9 + 7 + 4), reversed.auc(), 1e-5);
    }

    @Test
    void partialLastStepKeepsTheTrueFraction() {
        float[] w = {1, 1, 1, 1, 1};
        ExplainedModel m = LinearModels.linear(w, 0, 1, 1, 5);
        Curve c = DeletionInsertion.builder(Mode.DELETION).step(2).softmax(false).build()
                .evaluate(m, Tensor.ones(1, 1, 1, 5), Tensor.ones(1, 1, 1, 5), 0);
        assertArrayEquals(new double[] {0, 0.4, 0.8, 1.0}, c.fractions(), 1e-12);
        assertArrayEquals(new double[] {5, 3, 1, 0}, c.scores(), 1e-5);
    }

    @Test
    void insertionStartsFromTheBlurredImageAndEndsAtTheImage() {
        float[] w = new float[3 * 12 * 12];
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.05f;
        }
        ExplainedModel m = LinearModels.linear(w, 0, 3, 12, 12);
        Tensor x = Tensor.randomUniform(new SplittableRandom(5), 0, 1, 1, 3, 12, 12);
        Curve c = DeletionInsertion.builder(Mode.INSERTION).build().evaluate(m, x, x, 0);
        float[] blurred = new GaussianBlur(5, 11).apply(x.data(), 3, 12, 12);
        ClassScorer s = new ClassScorer(m, 8);
        assertEquals(s.score(Tensor.of(blurred, 1, 3, 12, 12), 0, true), c.scores()[0], 1e-6);
        assertEquals(s.score(x, 0, true), c.scores()[c.scores().length - 1], 1e-6);
        assertEquals(1 + 144 / Math.max(1, 144 / 100), c.scores().length);
    }

    @Test
    void trueContributionsBeatRandomAndReversedMapsOnALinearModel() {
        int c = 3;
        int h = 16;
        int wd = 16;
        SplittableRandom r = new SplittableRandom(11);
        float[] w = new float[c * h * wd];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.1f;
        }
        ExplainedModel m = LinearModels.linear(w, 0.5f, c, h, wd);
        Tensor x = Tensor.randomUniform(new SplittableRandom(12), 0, 1, 1, c, h, wd);
        Tensor truth = LinearModels.contributions(w, x);
        Tensor reversed = LinearModels.negate(truth);
        Tensor random = Tensor.randomNormal(new SplittableRandom(13), 1, 1, c, h, wd);
        DeletionInsertion del = DeletionInsertion.builder(Mode.DELETION).build();
        DeletionInsertion ins = DeletionInsertion.builder(Mode.INSERTION).build();
        double dTruth = del.evaluate(m, x, truth, 0).auc();
        double dRandom = del.evaluate(m, x, random, 0).auc();
        double dReversed = del.evaluate(m, x, reversed, 0).auc();
        double iTruth = ins.evaluate(m, x, truth, 0).auc();
        double iRandom = ins.evaluate(m, x, random, 0).auc();
        double iReversed = ins.evaluate(m, x, reversed, 0).auc();
        assertTrue(dTruth < dRandom && dRandom < dReversed, dTruth + " " + dRandom + " " + dReversed);
        assertTrue(iTruth > iRandom && iRandom > iReversed, iTruth + " " + iRandom + " " + iReversed);
    }

    @Test
    void blurKernelIsANormalisedGaussian() {
        float[] k = new GaussianBlur(5, 11).kernel();
        double sum = 0;
        for (float v : k) {
            sum += v;
        }
        assertEquals(1, sum, 1e-6);
        assertEquals(Math.exp(-25 / 50.0), k[0] / k[5], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> DeletionInsertion.builder(Mode.INSERTION).blur(5, 10));
    }
}
