package dev.netlens.explain.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Target;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureAblationTest {
    private static final int C = 2;
    private static final int H = 4;
    private static final int W = 4;
    private static final int PER = C * H * W;

    /** Quadrant ids per pixel (0..3), shared by both channels, with non-contiguous ids. */
    private static int[] quadrants() {
        int[] ids = new int[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                ids[y * W + x] = 10 * ((y / 2) * 2 + x / 2);
            }
        }
        return ids;
    }

    @Test
    void groupMaskOnALinearModelGivesTheGroupSumOfWeightTimesInput() {
        float[] w = PerturbationModels.random(1, 2 * PER);
        ExplainedModel m = PerturbationModels.linear(w, new float[] {0.3f, -0.7f}, C, H, W);
        Tensor x = Tensor.randomNormal(new SplittableRandom(2), 1f, 2, C, H, W);
        int[] ids = quadrants();
        Tensor map = FeatureAblation.builder(m).mask(ids, 1, 1, H, W).internalBatch(3).build()
                .explain(x, Target.classes(1)).map();
        for (int n = 0; n < 2; n++) {
            double[] group = new double[40];
            for (int c = 0; c < C; c++) {
                for (int p = 0; p < H * W; p++) {
                    int e = c * H * W + p;
                    group[ids[p]] += w[PER + e] * x.data()[n * PER + e];
                }
            }
            for (int c = 0; c < C; c++) {
                for (int p = 0; p < H * W; p++) {
                    assertEquals(group[ids[p]], map.data()[n * PER + c * H * W + p], 1e-5, "item " + n + " pixel " + p);
                }
            }
        }
    }

    @Test
    void perChannelAndPerItemMasks() {
        float[] w = PerturbationModels.random(3, PER);
        ExplainedModel m = PerturbationModels.linear(w, new float[] {0f}, C, H, W);
        Tensor x = Tensor.randomNormal(new SplittableRandom(4), 1f, 2, C, H, W);
        // Item 0: one group per channel; item 1: everything in one group.
        int[] ids = new int[2 * PER];
        for (int e = 0; e < PER; e++) {
            ids[e] = e / (H * W);
            ids[PER + e] = 5;
        }
        Tensor map = FeatureAblation.builder(m).mask(ids, 2, C, H, W).build().explain(x, Target.classes(0)).map();
        double[] channel = new double[C];
        double all1 = 0;
        for (int e = 0; e < PER; e++) {
            channel[e / (H * W)] += w[e] * x.data()[e];
            all1 += w[e] * x.data()[PER + e];
        }
        for (int e = 0; e < PER; e++) {
            assertEquals(channel[e / (H * W)], map.data()[e], 1e-5);
            assertEquals(all1, map.data()[PER + e], 1e-5);
        }
    }

    @Test
    void withoutAMaskEachElementIsItsOwnGroup() {
        float[] w = PerturbationModels.random(5, PER);
        ExplainedModel m = PerturbationModels.linear(w, new float[] {1f}, C, H, W);
        Tensor x = Tensor.randomNormal(new SplittableRandom(6), 1f, 1, C, H, W);
        Tensor map = FeatureAblation.builder(m).build().explain(x, Target.classes(0)).map();
        for (int e = 0; e < PER; e++) {
            assertEquals(w[e] * x.data()[e], map.data()[e], 1e-5);
        }
        Tensor viaOcclusion = Occlusion.builder(m).window(1, 1, 1).build().explain(x, Target.classes(0)).map();
        assertArrayEquals(viaOcclusion.data(), map.data(), 1e-6f);
    }

    @Test
    void batchSizeDoesNotMatter() {
        ExplainedModel m = PerturbationModels.cnn(7);
        Tensor x = Tensor.randomNormal(new SplittableRandom(8), 1f, 2, 3, 6, 6);
        int[] ids = new int[36];
        for (int p = 0; p < 36; p++) {
            ids[p] = p % 5;
        }
        Tensor a = FeatureAblation.builder(m).mask(ids, 1, 1, 6, 6).internalBatch(1).build().explain(x).map();
        Tensor b = FeatureAblation.builder(m).mask(ids, 1, 1, 6, 6).internalBatch(7).build().explain(x).map();
        assertArrayEquals(a.data(), b.data());
    }

    @Test
    void badMasksFailClearly() {
        ExplainedModel m = PerturbationModels.linear(PerturbationModels.random(9, PER), new float[] {0f}, C, H, W);
        Tensor x = Tensor.zeros(1, C, H, W);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> FeatureAblation.builder(m).mask(new int[9], 1, 1, 3, 3).build().explain(x, Target.classes(0)))
                .getMessage();
        assertTrue(msg.contains("mask has shape"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> FeatureAblation.builder(m).mask(new int[8], 1, 1, 3, 3)).getMessage();
        assertTrue(msg.contains("8 ids"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> FeatureAblation.builder(m).mask(Tensor.full(0.5f, 1, 1, H, W))).getMessage();
        assertTrue(msg.contains("integers"), msg);
    }
}
