package dev.netlens.explain.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OcclusionTest {
    private static final int C = 2;
    private static final int H = 4;
    private static final int W = 5;
    private static final int PER = C * H * W;

    @Test
    void oneElementWindowsOnALinearModelGiveWeightTimesInput() {
        float[] w = PerturbationModels.random(1, 3 * PER);
        ExplainedModel m = PerturbationModels.linear(w, new float[] {0.5f, -1f, 2f}, C, H, W);
        Tensor x = Tensor.randomNormal(new SplittableRandom(2), 1f, 2, C, H, W);
        Tensor map = Occlusion.builder(m).window(1, 1, 1).stride(1, 1, 1).build()
                .explain(x, Target.classes(1, 2)).map();
        assertArrayEquals(x.shape(), map.shape());
        for (int n = 0; n < 2; n++) {
            int cls = n + 1;
            for (int e = 0; e < PER; e++) {
                float expected = w[cls * PER + e] * x.data()[n * PER + e];
                assertEquals(expected, map.data()[n * PER + e], 1e-5, "item " + n + " element " + e);
            }
        }
    }

    @Test
    void overlappingWindowsMatchABruteForceLoop() {
        ExplainedModel m = PerturbationModels.cnn(3);
        Tensor x = Tensor.randomNormal(new SplittableRandom(4), 1f, 2, 3, 7, 6);
        int[] win = {2, 3, 2};
        int[] str = {1, 2, 3};
        Tensor map = Occlusion.builder(m).window(win).stride(str).baseline(0.25f).internalBatch(5).build()
                .explain(x, Target.classes(3)).map();
        float[] expected = bruteForce(m, x, win, str, 0.25f, 3);
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], map.data()[e], 1e-5 + 1e-5 * Math.abs(expected[e]), "element " + e);
        }
        // The stride 3 along W with window 2 skips column 2 and 5: those elements get 0.
        assertEquals(0f, map.data()[2]);
    }

    /** Δ per window from one forward pass per occluded copy, averaged per element, all in plain loops. */
    private static float[] bruteForce(ExplainedModel m, Tensor x, int[] win, int[] str, float base, int cls) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int per = c * h * w;
        double[] sum = new double[x.size()];
        int[] count = new int[x.size()];
        for (int i = 0; i < n; i++) {
            float[] item = new float[per];
            System.arraycopy(x.data(), i * per, item, 0, per);
            float y = m.forward(Tensor.of(item.clone(), 1, c, h, w)).data()[cls];
            for (int c0 = 0; c0 <= c - win[0]; c0 += str[0]) {
                for (int y0 = 0; y0 <= h - win[1]; y0 += str[1]) {
                    for (int x0 = 0; x0 <= w - win[2]; x0 += str[2]) {
                        float[] occ = item.clone();
                        for (int a = c0; a < c0 + win[0]; a++) {
                            for (int b = y0; b < y0 + win[1]; b++) {
                                for (int d = x0; d < x0 + win[2]; d++) {
                                    occ[(a * h + b) * w + d] = base;
                                }
                            }
                        }
                        float yo = m.forward(Tensor.of(occ, 1, c, h, w)).data()[cls];
                        for (int a = c0; a < c0 + win[0]; a++) {
                            for (int b = y0; b < y0 + win[1]; b++) {
                                for (int d = x0; d < x0 + win[2]; d++) {
                                    int e = i * per + (a * h + b) * w + d;
                                    sum[e] += y - yo;
                                    count[e]++;
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] out = new float[x.size()];
        for (int e = 0; e < out.length; e++) {
            out[e] = count[e] == 0 ? 0f : (float) (sum[e] / count[e]);
        }
        return out;
    }

    @Test
    void resultDoesNotDependOnTheBatchSize() {
        ExplainedModel m = PerturbationModels.cnn(5);
        Tensor x = Tensor.randomNormal(new SplittableRandom(6), 1f, 2, 3, 8, 8);
        Tensor one = Occlusion.builder(m).window(3, 3, 3).stride(3, 2, 2).internalBatch(1).build()
                .explain(x, Target.predicted()).map();
        Tensor seven = Occlusion.builder(m).window(3, 3, 3).stride(3, 2, 2).internalBatch(7).build()
                .explain(x, Target.predicted()).map();
        assertArrayEquals(one.data(), seven.data());
    }

    @Test
    void tensorBaselineIsUsed() {
        float[] w = PerturbationModels.random(7, PER);
        ExplainedModel m = PerturbationModels.linear(w, new float[] {0f}, C, H, W);
        Tensor x = Tensor.randomNormal(new SplittableRandom(8), 1f, 1, C, H, W);
        Tensor base = Tensor.randomNormal(new SplittableRandom(9), 1f, 1, C, H, W);
        Tensor map = Occlusion.builder(m).window(1, 1, 1).baseline(base).build().explain(x, Target.classes(0)).map();
        for (int e = 0; e < PER; e++) {
            assertEquals(w[e] * (x.data()[e] - base.data()[e]), map.data()[e], 1e-5);
        }
    }

    @Test
    void registryBuildsItFromWindowAndStride() {
        float[] w = PerturbationModels.random(10, PER);
        ExplainedModel m = PerturbationModels.linear(w, new float[] {0f}, C, H, W);
        Tensor x = Tensor.randomNormal(new SplittableRandom(11), 1f, 1, C, H, W);
        MethodOptions o = MethodOptions.defaults().withWindow(new int[] {1, 1, 1}, new int[] {1, 1, 1});
        Tensor map = AttributionMethods.create("occlusion", m, o).explain(x, Target.classes(0)).map();
        for (int e = 0; e < PER; e++) {
            assertEquals(w[e] * x.data()[e], map.data()[e], 1e-5);
        }
        // Defaults without a window: non-overlapping blocks covering a 16 × 16 image 8 × 8 times.
        ExplainedModel big = PerturbationModels.linear(PerturbationModels.random(12, 16 * 16), new float[] {0f}, 1, 16, 16);
        var e = AttributionMethods.create("occlusion", big, MethodOptions.defaults())
                .explain(Tensor.ones(1, 1, 16, 16), Target.classes(0));
        assertArrayEquals(new int[] {1, 2, 2}, (int[]) e.parameters().get("window"));
        assertEquals(64, e.parameters().get("windows"));
    }

    @Test
    void badSettingsFailClearly() {
        ExplainedModel m = PerturbationModels.linear(PerturbationModels.random(13, PER), new float[] {0f}, C, H, W);
        Tensor x = Tensor.zeros(1, C, H, W);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Occlusion.builder(m).window(1, 5, 1).build().explain(x, Target.classes(0))).getMessage();
        assertTrue(msg.contains("does not fit"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Occlusion.builder(m).window(1, 0, 1)).getMessage();
        assertTrue(msg.contains("window"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Occlusion.builder(m).stride(1, 1, 1).build())
                .getMessage();
        assertTrue(msg.contains("needs a window"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Occlusion.builder(m).baseline(Tensor.zeros(2, 2)).build().explain(x, Target.classes(0)))
                .getMessage();
        assertTrue(msg.contains("baseline"), msg);
        assertThrows(IllegalArgumentException.class,
                () -> Occlusion.builder(m).build().explain(Tensor.zeros(C, H, W), Target.classes(0)));
    }
}
