package dev.netlens.explain.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Target;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RiseTest {
    private static final int S = 16;

    private static boolean inRegion(int y, int x) {
        return y >= 2 && y < 6 && x >= 9 && x < 14;
    }

    /**
     * Logit 0 = 2 · (mean of the region rows 2–5, columns 9–13) − 1, logit 1 = 0: the class-0
     * probability rises with the region's mean, in the sigmoid's near-linear range.
     */
    private static ExplainedModel regionModel() {
        float[] w = new float[2 * S * S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                if (inRegion(y, x)) {
                    w[y * S + x] = 2f / 20;
                }
            }
        }
        return PerturbationModels.linear(w, new float[] {-1f, 0f}, 1, S, S);
    }

    @Test
    void mapIsHighestOnTheRegionTheScoreReads() {
        Tensor x = Tensor.ones(1, 1, S, S);
        Tensor map = Rise.builder(regionModel()).samples(2000).seed(3).build().explain(x, Target.classes(0)).map();
        double in = 0;
        double out = 0;
        int best = 0;
        float[] d = map.data();
        for (int p = 0; p < S * S; p++) {
            if (inRegion(p / S, p % S)) {
                in += d[p] / 20;
            } else {
                out += d[p] / (S * S - 20);
            }
            best = d[p] > d[best] ? p : best;
        }
        assertTrue(inRegion(best / S, best % S), "the maximum is at " + best / S + "," + best % S);
        assertTrue(in > out + 0.02, "inside " + in + " vs outside " + out);
    }

    @Test
    void deterministicBySeedAndIndependentOfTheBatchSize() {
        ExplainedModel m = PerturbationModels.cnn(4);
        Tensor x = Tensor.randomNormal(new SplittableRandom(5), 1f, 2, 3, 10, 10);
        Tensor a = Rise.builder(m).samples(40).seed(11).internalBatch(1).build().explain(x, Target.classes(2)).map();
        Tensor b = Rise.builder(m).samples(40).seed(11).internalBatch(7).build().explain(x, Target.classes(2)).map();
        Tensor c = Rise.builder(m).samples(40).seed(12).internalBatch(7).build().explain(x, Target.classes(2)).map();
        assertArrayEquals(a.data(), b.data());
        assertFalse(Arrays.equals(a.data(), c.data()), "another seed draws other masks");
        assertArrayEquals(x.shape(), a.shape());
        // The same map in every channel.
        for (int p = 0; p < 100; p++) {
            assertEquals(a.data()[p], a.data()[100 + p]);
            assertEquals(a.data()[p], a.data()[200 + p]);
        }
    }

    @Test
    void masksAreInTheUnitIntervalWithMeanNearP() {
        RiseMasks masks = new RiseMasks(1, 8, 0.5, 13, 21);
        float[] m = new float[13 * 21];
        double sum = 0;
        int count = 0;
        for (int i = 0; i < 500; i++) {
            masks.next(m, 0);
            for (float v : m) {
                assertTrue(v >= 0f && v <= 1f, "mask value " + v);
                sum += v;
                count++;
            }
        }
        assertEquals(0.5, sum / count, 0.03);
    }

    @Test
    void constantScoreGivesAConstantMapNearTheScore() {
        // With a constant probability q, S = q · mean(M) / p ≈ q everywhere.
        ExplainedModel m = PerturbationModels.linear(new float[2 * S * S], new float[] {0f, 0f}, 1, S, S);
        Tensor map = Rise.builder(m).samples(2000).seed(1).build().explain(Tensor.ones(1, 1, S, S), Target.classes(0))
                .map();
        for (float v : map.data()) {
            assertEquals(0.5, v, 0.06);
        }
    }

    @Test
    void badSettingsFailClearly() {
        ExplainedModel m = regionModel();
        assertThrows(IllegalArgumentException.class, () -> Rise.builder(m).samples(0));
        assertThrows(IllegalArgumentException.class, () -> Rise.builder(m).p(0));
        assertThrows(IllegalArgumentException.class, () -> Rise.builder(m).internalBatch(0));
        assertThrows(IllegalArgumentException.class,
                () -> Rise.builder(m).samples(2).build().explain(Tensor.ones(1, 1, S, S), Target.classes(5)));
    }
}
