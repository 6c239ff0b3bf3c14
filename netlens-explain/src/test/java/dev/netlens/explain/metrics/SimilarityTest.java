package dev.netlens.explain.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimilarityTest {
    @Test
    void spearmanWithTiesByHand() {
        // ranks of b: 1, 2, 3.5, 5, 3.5; ρ = 8 / √(10 · 9.5)
        double rho = Statistics.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7});
        assertEquals(8 / Math.sqrt(95), rho, 1e-12);
        assertArrayEquals(new double[] {1, 2, 3.5, 5, 3.5}, Statistics.ranks(new double[] {5, 6, 7, 8, 7}), 0);
        assertEquals(-1, Statistics.spearman(new double[] {1, 2, 3}, new double[] {9, 4, 1}), 1e-12);
        assertTrue(Double.isNaN(Statistics.spearman(new double[] {1, 2, 3}, new double[] {2, 2, 2})));
    }

    @Test
    void pearsonByHand() {
        // x = 1,2,3; y = 1,3,2: cov 1·(−1)+0+1·(−0)… = (−1)(−1)+0·1+1·0 = 1; var 2, 2 → 0.5
        assertEquals(0.5, Statistics.pearson(new double[] {1, 2, 3}, new double[] {1, 3, 2}), 1e-12);
    }

    @Test
    void ssimOfConstantImagesByHand() {
        // one 11×11 window: σ = cov = 0, so SSIM = (2ab + C1) / (a² + b² + C1) with C1 = 1e-4
        float[] a = new float[121];
        float[] b = new float[121];
        java.util.Arrays.fill(a, 0.2f);
        java.util.Arrays.fill(b, 0.6f);
        double expected = (2 * 0.2 * 0.6 + 1e-4) / (0.04 + 0.36 + 1e-4);
        assertEquals(expected, Ssim.ssim(a, b, 11, 11, 1), 1e-6);
    }

    @Test
    void ssimIsOneForIdenticalAndNegativeForInvertedStructure() {
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[24 * 24];
        float[] inv = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
            inv[i] = 1 - a[i];
        }
        assertEquals(1, Ssim.ssim(a, a.clone(), 24, 24, 1), 1e-9);
        assertTrue(Ssim.ssim(a, inv, 24, 24, 1) < -0.5);
    }

    @Test
    void ssimOfOneWindowMatchesTheWeightedFormula() {
        // 11×11 images: one window position, Gaussian weights g(dy)g(dx), σ = 1.5.
        SplittableRandom r = new SplittableRandom(2);
        float[] a = new float[121];
        float[] b = new float[121];
        for (int i = 0; i < 121; i++) {
            a[i] = (float) r.nextDouble();
            b[i] = (float) (0.5 * a[i] + 0.5 * r.nextDouble());
        }
        double[] g = new double[11];
        double s = 0;
        for (int i = 0; i < 11; i++) {
            g[i] = Math.exp(-(i - 5) * (i - 5) / 4.5);
            s += g[i];
        }
        double ma = 0;
        double mb = 0;
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 11; x++) {
                double wt = g[y] * g[x] / (s * s);
                ma += wt * a[y * 11 + x];
                mb += wt * b[y * 11 + x];
            }
        }
        double va = 0;
        double vb = 0;
        double cov = 0;
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 11; x++) {
                double wt = g[y] * g[x] / (s * s);
                va += wt * (a[y * 11 + x] - ma) * (a[y * 11 + x] - ma);
                vb += wt * (b[y * 11 + x] - mb) * (b[y * 11 + x] - mb);
                cov += wt * (a[y * 11 + x] - ma) * (b[y * 11 + x] - mb);
            }
        }
        double c1 = 1e-4;
        double c2 = 9e-4;
        double expected = (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
        assertEquals(expected, Ssim.ssim(a, b, 11, 11, 1), 1e-6);
    }
}
