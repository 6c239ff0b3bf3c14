package dev.netlens.explain.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import org.junit.jupiter.api.Test;

/**
 * Every CAM method on {@link TinyCnn}, whose layer activation A and gradient G are known by hand:
 * for image 0, A_0 = [[2, 5], [0, 2]], A_1 = [[0, 1.5], [1.5, 0]]; for class 0, G = W[0] =
 * ([[1, −1], [2, 0.5]], [[0.25, 1], [−2, 3]]).
 */
class HandCheckedCamTest {
    private static final double TOL = 1e-6;
    private final ExplainedModel model = TinyCnn.model();

    @Test
    void tinyModelMatchesTheHandComputation() {
        Tensor y = model.forward(TinyCnn.input(2));
        for (int n = 0; n < 2; n++) {
            double[] expected = TinyCnn.logits(TinyCnn.image(n));
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[c], y.get(n, c), TOL);
            }
        }
        assertArrayEquals(new double[] {-3.4, 2.8, -1.7}, TinyCnn.logits(TinyCnn.image(0)), 1e-6);
    }

    @Test
    void gradCamByHand() {
        Explanation e = GradCam.of(model, "A").explain(TinyCnn.input(1), Target.classes(0));
        // w = (mean(1, −1, 2, 0.5), mean(0.25, 1, −2, 3)) = (0.625, 0.5625)
        assertMap(new double[][] {{1.25, 3.96875}, {0.84375, 1.25}}, e.map(), 0);
        assertArrayEquals(new float[] {0.625f, 0.5625f}, e.extras().get("channel_weights").data(), 1e-7f);
        assertArrayEquals(new int[] {1, 1, 2, 2}, e.map().shape());
        assertEquals("grad-cam", e.method());
        assertEquals("A", e.parameters().get("layer"));
        assertEquals(false, e.parameters().get("upsample"));
        assertEquals(true, e.parameters().get("relu"));
    }

    @Test
    void gradCamPlusPlusByHand() {
        Explanation e = GradCamPlusPlus.of(model, "A").explain(TinyCnn.input(1), Target.classes(0));
        // Channel 0 (Σ A = 9): G = 1 → 1/11, G = 2 → 2·4/80 = 1/10, G = 0.5 → 0.5·0.25/1.625 = 1/13, G = −1 → 0.
        // Channel 1 (Σ A = 3): G = 0.25 → 1/11, G = 1 → 1/5, G = 3 → 3·9/99 = 3/11, G = −2 → 0.
        double w0 = 1.0 / 11 + 1.0 / 10 + 1.0 / 13;
        double w1 = 4.0 / 11 + 1.0 / 5;
        assertArrayEquals(new float[] {(float) w0, (float) w1}, e.extras().get("channel_weights").data(), 1e-6f);
        double[][][] a = TinyCnn.a(0);
        assertMap(Naive.sumWeighted(a, new double[] {w0, w1}, true), e.map(), 0);
    }

    @Test
    void gradCamPlusPlusWithSpatiallyVaryingGradientsFollowsTheFormula() {
        // Image 1, class 2: G = ([[−1, 0], [0, 0]], [[0, 0], [0, 0.5]]): zeros, negatives and one positive.
        Explanation e = GradCamPlusPlus.builder(model, "A").relu(false).build()
                .explain(TinyCnn.input(2), Target.classes(0, 2));
        double[][][] a = TinyCnn.a(1);
        double[][][] g = TinyCnn.g(2);
        double[] w = new double[2];
        for (int k = 0; k < 2; k++) {
            double sumA = 0;
            for (double[] r : a[k]) {
                for (double v : r) {
                    sumA += v;
                }
            }
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    double gv = g[k][i][j];
                    double alpha = gv == 0 ? 0 : gv * gv / (2 * gv * gv + sumA * gv * gv * gv + 1e-7);
                    w[k] += alpha * Math.max(gv, 0);
                }
            }
        }
        assertEquals(0.0, w[0]);
        assertEquals(0.25 / (0.5 + 4.5 * 0.125), w[1] / 0.5, 1e-7); // Σ A_1 = 4.5
        assertMap(Naive.sumWeighted(a, w, false), e.map(), 1);
    }

    @Test
    void layerCamByHand() {
        Explanation e = LayerCam.of(model, "A").explain(TinyCnn.input(1), Target.classes(0));
        // ReLU(G_0) ⊙ A_0 + ReLU(G_1) ⊙ A_1 = [[2, 0], [0, 1]] + [[0, 1.5], [0, 0]]
        assertMap(new double[][] {{2, 1.5}, {0, 1}}, e.map(), 0);
    }

    @Test
    void layerCamKeepsTheSignOnlyOfTheSum() {
        // Class 2 on image 0: ReLU(G) = ([[0, 0], [0, 0]], [[0, 0], [0, 0.5]]) and A_1[1][1] = 0 → all zero,
        // whatever the outer ReLU: the gradients stay rectified.
        Explanation e = LayerCam.builder(model, "A").relu(false).build().explain(TinyCnn.input(1), Target.classes(2));
        assertMap(new double[][] {{0, 0}, {0, 0}}, e.map(), 0);
    }

    @Test
    void xGradCamByHand() {
        // w_0 = (2 − 5 + 0 + 1)/9 = −2/9, w_1 = (0 + 1.5 − 3 + 0)/3 = −1/2: every position negative.
        double w0 = -2.0 / 9 * 9 / (9 + 1e-7);
        double w1 = -0.5 * 3 / (3 + 1e-7);
        Explanation signed = XGradCam.builder(model, "A").relu(false).build()
                .explain(TinyCnn.input(1), Target.classes(0));
        assertMap(new double[][] {{2 * w0, 5 * w0 + 1.5 * w1}, {1.5 * w1, 2 * w0}}, signed.map(), 0);
        assertArrayEquals(new float[] {(float) w0, (float) w1}, signed.extras().get("channel_weights").data(), 1e-7f);
        Explanation rectified = XGradCam.of(model, "A").explain(TinyCnn.input(1), Target.classes(0));
        assertMap(new double[][] {{0, 0}, {0, 0}}, rectified.map(), 0);
        assertEquals(false, signed.parameters().get("relu"));
    }

    @Test
    void guidedGradCamByHand() {
        Explanation e = GuidedGradCam.of(model, "A").explain(TinyCnn.input(1), Target.classes(0));
        assertArrayEquals(new int[] {1, 1, 3, 3}, e.map().shape());
        double[][] cam = {{1.25, 3.96875}, {0.84375, 1.25}};
        // Nearest 2 → 3 (PyTorch: floor(dst · 2/3)): source rows/cols 0, 0, 1.
        int[] src = {0, 0, 1};
        // Guided gradient at z: max(G, 0)·[z > 0]; z_0 = [[2, 5], [0, 2]], z_1 = [[−1.5, 1.5], [1.5, −2.5]].
        double[][][] gz = {{{1, 0}, {0, 0.5}}, {{0, 1}, {0, 0}}};
        double[][] gx = new double[3][3];
        for (int c = 0; c < 2; c++) {
            for (int p = 0; p < 2; p++) {
                for (int q = 0; q < 2; q++) {
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 2; j++) {
                            gx[p + i][q + j] += gz[c][p][q] * TinyCnn.K[c][i][j];
                        }
                    }
                }
            }
        }
        // By hand: channel 0's units (0, 0) and (1, 1) spread 1 and 0.5 along the diagonal kernel; channel 1's
        // unit (0, 1) adds −1 at (0, 2) and +1 at (1, 1): gx = [[1, 0, −1], [0, 1 + 0.5 + 1, 0], [0, 0, 0.5]].
        assertArrayEquals(new double[] {1, 0, -1}, gx[0], 0);
        assertArrayEquals(new double[] {0, 2.5, 0}, gx[1], 0);
        assertArrayEquals(new double[] {0, 0, 0.5}, gx[2], 0);
        double[][] expected = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i][j] = cam[src[i]][src[j]] * gx[i][j];
            }
        }
        assertMap(expected, e.map(), 0);
    }

    @Test
    void scoreCamByHand() {
        Tensor x = TinyCnn.input(2);
        Explanation e = ScoreCam.of(model, "A").explain(x, Target.predicted());
        for (int n = 0; n < 2; n++) {
            double[][] img = TinyCnn.image(n);
            double[] y0 = TinyCnn.logits(img);
            int cls = y0[0] >= y0[1] && y0[0] >= y0[2] ? 0 : y0[1] >= y0[2] ? 1 : 2; // resolved once at x
            double[][][] a = TinyCnn.a(n);
            double[] s = new double[2];
            for (int k = 0; k < 2; k++) {
                double[][] m = Naive.bilinear(a[k], 3, 3);
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (double[] r : m) {
                    for (double v : r) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                double[][] masked = new double[3][3];
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        masked[i][j] = img[i][j] * (m[i][j] - min) / (max - min);
                    }
                }
                s[k] = TinyCnn.logits(masked)[cls];
            }
            double z = Math.exp(s[0]) + Math.exp(s[1]);
            double[] w = {Math.exp(s[0]) / z, Math.exp(s[1]) / z};
            assertEquals(s[0], e.extras().get("channel_scores").get(n, 0), 1e-5);
            assertEquals(s[1], e.extras().get("channel_scores").get(n, 1), 1e-5);
            assertEquals(w[0], e.extras().get("channel_weights").get(n, 0), 1e-6);
            assertMap(Naive.sumWeighted(a, w, true), e.map(), n);
        }
    }

    @Test
    void bilinearTwoToThreeByHand() {
        // Half-pixel 2 → 3: outputs read source 0, the midpoint, source 1 on each axis.
        Tensor m = Tensor.of(new float[] {1, 2, 3, 5}, 1, 1, 2, 2);
        Tensor up = CamSupport.bilinear(m, 3, 3);
        assertArrayEquals(new float[] {1, 1.5f, 2, 2, 2.75f, 3.5f, 3, 4, 5}, up.data(), 1e-6f);
    }

    static void assertMap(double[][] expected, Tensor map, int item) {
        assertEquals(expected.length, map.dim(2));
        assertEquals(expected[0].length, map.dim(3));
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[0].length; j++) {
                assertEquals(expected[i][j], map.get(item, 0, i, j), TOL * Math.max(1, Math.abs(expected[i][j])),
                        "map[" + item + ", 0, " + i + ", " + j + "]");
            }
        }
    }
}
