package dev.netlens.explain.perturbation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.Predictor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LIME and Shapley sampling over segments, against answers known independently: the weights of a
 * linear black box, and Shapley values by brute-force enumeration of all coalitions.
 */
class SegmentMethodsTest {
    static final int H = 6;
    static final int W = 6;
    static final int M = 6;

    /** Segment ids: one per column of the 6×6 image. */
    static Tensor columnMask() {
        float[] ids = new float[H * W];
        for (int p = 0; p < ids.length; p++) {
            ids[p] = 10 * (p % W);          // non-contiguous ids, renumbered in order
        }
        return Tensor.of(ids, 1, 1, H, W);
    }

    /** Mean of each column of item n of x [N, 1, H, W]. */
    static double[] columnMeans(Tensor x, int n) {
        double[] m = new double[W];
        for (int p = 0; p < H * W; p++) {
            m[p % W] += x.data()[n * H * W + p] / H;
        }
        return m;
    }

    /** The first output column as a raw value (LIME then fits raw values, not probabilities). */
    static final Target FIRST = new Target() {
        @Override
        public float[] values(Tensor output) {
            int k = output.size() / output.dim(0);
            float[] v = new float[output.dim(0)];
            for (int n = 0; n < v.length; n++) {
                v[n] = output.data()[n * k];
            }
            return v;
        }

        @Override
        public Tensor seed(Tensor output) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "output 0";
        }
    };

    static Predictor blackBox(java.util.function.ToDoubleFunction<double[]> f) {
        return Predictor.of(new int[] {1, H, W}, x -> {
            int n = x.dim(0);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) f.applyAsDouble(columnMeans(x, i));
            }
            return Tensor.of(out, n, 1);
        });
    }

    static Tensor ones() {
        float[] d = new float[H * W];
        java.util.Arrays.fill(d, 1f);
        return Tensor.of(d, 1, 1, H, W);
    }

    /** Per-segment values of a map painted from segments of the column mask. */
    static double[] perColumn(Tensor map) {
        double[] v = new double[W];
        for (int x = 0; x < W; x++) {
            v[x] = map.data()[x];
            for (int y = 1; y < H; y++) {
                assertEquals(v[x], map.data()[y * W + x], 0, "one value per segment");
            }
        }
        return v;
    }

    @Test
    void limeRecoversTheWeightsOfALinearModel() {
        double[] w = {0.8, -1.5, 0.0, 2.25, 0.3, -0.6};
        Predictor linear = blackBox(m -> {
            double s = 0.4;
            for (int j = 0; j < M; j++) {
                s += w[j] * m[j];
            }
            return s;
        });
        Explanation exact = Lime.builder(linear).mask(columnMask()).samples(400).seed(5).ridge(0).build()
                .explain(ones(), FIRST);
        double[] got = perColumn(exact.map());
        for (int j = 0; j < M; j++) {
            assertEquals(w[j], got[j], 1e-5, "segment " + j + " without the ridge penalty");
        }
        assertEquals(0.4, exact.extras().get("intercept").data()[0], 1e-5);
        assertEquals(1.0, exact.extras().get("score").data()[0], 1e-6);
        double[] shrunk = perColumn(Lime.builder(linear).mask(columnMask()).seed(5).build().explain(ones(), FIRST).map());
        for (int j = 0; j < M; j++) {
            assertEquals(w[j], shrunk[j], 0.03 * Math.abs(w[j]) + 1e-3, "segment " + j + " with λ = 1, 1000 samples");
        }
    }

    @Test
    void limeWithClassTargetsFitsProbabilities() {
        // Two classes whose logits differ by a linear function: LIME fits the probability, which rises
        // with the segments that raise class 1's logit.
        Predictor two = Predictor.of(new int[] {1, H, W}, x -> {
            int n = x.dim(0);
            float[] out = new float[2 * n];
            for (int i = 0; i < n; i++) {
                double[] m = columnMeans(x, i);
                out[2 * i + 1] = (float) (2 * m[0] - 2 * m[5]);
            }
            return Tensor.of(out, n, 2);
        });
        double[] v = perColumn(Lime.builder(two).mask(columnMask()).seed(1).build().explain(ones(), Target.classes(1)).map());
        assertTrue(v[0] > 0.1 && v[5] < -0.1, java.util.Arrays.toString(v));
        for (int j = 1; j < 5; j++) {
            assertEquals(0, v[j], 0.02, "segment " + j + " does not matter");
        }
    }

    /** A non-additive game over column means: interactions between segments. */
    static double game(double[] m) {
        return 1.5 * m[0] * m[1] - m[2] + 0.7 * m[3] * m[4] * m[5] + 0.2 * m[1] * m[5] + 0.3;
    }

    /** Exact Shapley values of the game at x = ones, baseline 0, by enumerating all 2^M coalitions. */
    static double[] exactShapley() {
        double[] phi = new double[M];
        double[] fact = new double[M + 1];
        fact[0] = 1;
        for (int k = 1; k <= M; k++) {
            fact[k] = fact[k - 1] * k;
        }
        for (int s = 0; s < 1 << M; s++) {
            double vs = game(indicator(s));
            int size = Integer.bitCount(s);
            for (int j = 0; j < M; j++) {
                if ((s & 1 << j) == 0) {
                    double weight = fact[size] * fact[M - size - 1] / fact[M];
                    phi[j] += weight * (game(indicator(s | 1 << j)) - vs);
                }
            }
        }
        return phi;
    }

    static double[] indicator(int s) {
        double[] m = new double[M];
        for (int j = 0; j < M; j++) {
            m[j] = (s >> j) & 1;
        }
        return m;
    }

    static double error(double[] a, double[] b) {
        double e = 0;
        for (int j = 0; j < a.length; j++) {
            e += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return Math.sqrt(e);
    }

    @Test
    void shapleySamplingConvergesToTheExactValues() {
        Predictor black = blackBox(SegmentMethodsTest::game);
        double[] exact = exactShapley();
        double f1 = game(indicator((1 << M) - 1));
        double f0 = game(indicator(0));
        double smallError = 0;
        double largeError = 0;
        for (long seed = 0; seed < 6; seed++) {
            double[] few = perColumn(ShapleySampling.builder(black).mask(columnMask()).permutations(5).seed(seed).build()
                    .explain(ones(), FIRST).map());
            double[] many = perColumn(ShapleySampling.builder(black).mask(columnMask()).permutations(400).seed(seed)
                    .build().explain(ones(), FIRST).map());
            assertEquals(f1 - f0, java.util.Arrays.stream(few).sum(), 1e-5, "every permutation sums to f(x) − f(b)");
            assertEquals(f1 - f0, java.util.Arrays.stream(many).sum(), 1e-4);
            smallError += error(few, exact);
            largeError += error(many, exact);
        }
        assertTrue(largeError < smallError / 3, "error shrinks with samples: " + smallError + " → " + largeError);
        assertTrue(largeError / 6 < 0.05, "400 permutations are close to exact: " + largeError / 6);
    }

    @Test
    void kernelShapByEnumerationEqualsTheExactShapleyValues() {
        Predictor black = blackBox(SegmentMethodsTest::game);
        double[] exact = exactShapley();
        Explanation e = KernelShap.builder(black).mask(columnMask()).build().explain(ones(), FIRST);
        assertEquals(1f, e.extras().get("exact").data()[0], "2^6 coalitions ≤ 2048: enumerated");
        double[] got = perColumn(e.map());
        for (int j = 0; j < M; j++) {
            assertEquals(exact[j], got[j], 1e-5, "segment " + j);
        }
        Explanation sampled = KernelShap.builder(black).mask(columnMask()).samples(40).seed(3).build()
                .explain(ones(), FIRST);
        assertEquals(0f, sampled.extras().get("exact").data()[0]);
        double[] approx = perColumn(sampled.map());
        assertEquals(game(indicator((1 << M) - 1)) - game(indicator(0)), java.util.Arrays.stream(approx).sum(), 1e-5,
                "efficiency holds for sampled coalitions too");
        assertTrue(error(approx, exact) < 0.25, "40 sampled coalitions are near the exact values: " + error(approx, exact));
    }

    @Test
    void shapleySamplingIsExactForAdditiveModels() {
        double[] w = {0.5, -1, 2, 0, 0.25, 3};
        Predictor additive = blackBox(m -> {
            double s = 0;
            for (int j = 0; j < M; j++) {
                s += w[j] * m[j] * m[j];
            }
            return s;
        });
        double[] got = perColumn(ShapleySampling.builder(additive).mask(columnMask()).permutations(3).build()
                .explain(ones(), FIRST).map());
        for (int j = 0; j < M; j++) {
            assertEquals(w[j], got[j], 1e-5);
        }
    }

    @Test
    void resultsDoNotDependOnTheForwardBatch() {
        Predictor black = blackBox(SegmentMethodsTest::game);
        Tensor x = Tensor.randomNormal(new SplittableRandom(3), 1f, 1, 1, H, W);
        assertEquals(java.util.Arrays.toString(Lime.builder(black).mask(columnMask()).internalBatch(1).build()
                        .explain(x, FIRST).map().data()),
                java.util.Arrays.toString(Lime.builder(black).mask(columnMask()).internalBatch(64).build()
                        .explain(x, FIRST).map().data()));
        assertEquals(java.util.Arrays.toString(ShapleySampling.builder(black).mask(columnMask()).internalBatch(7)
                        .build().explain(x, FIRST).map().data()),
                java.util.Arrays.toString(ShapleySampling.builder(black).mask(columnMask()).internalBatch(32).build()
                        .explain(x, FIRST).map().data()));
    }

    @Test
    void badMasksAreRejectedWithTheirShape() {
        Predictor black = blackBox(SegmentMethodsTest::game);
        var e = assertThrows(IllegalArgumentException.class, () -> Lime.builder(black)
                .mask(Tensor.zeros(1, 1, H, W + 1)).build().explain(ones(), FIRST));
        assertTrue(e.getMessage().contains("[1, 1, 6, 7]") && e.getMessage().contains("[1 or N, 1, 6, 6]"), e.getMessage());
        float[] frac = new float[H * W];
        frac[3] = 0.5f;
        e = assertThrows(IllegalArgumentException.class, () -> ShapleySampling.builder(black)
                .mask(Tensor.of(frac, 1, 1, H, W)).build().explain(ones(), FIRST));
        assertTrue(e.getMessage().contains("integers") && e.getMessage().contains("(0, 3)"), e.getMessage());
    }
}
