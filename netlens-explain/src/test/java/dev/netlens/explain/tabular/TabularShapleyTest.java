package dev.netlens.explain.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.explain.shapley.CoalitionGame;
import dev.netlens.explain.shapley.ExactShapley;
import dev.netlens.explain.shapley.KernelShapSolver;
import org.junit.jupiter.api.Test;

class TabularShapleyTest {
    /** A non-linear model with interactions. */
    private static double f(float[] x) {
        return x[0] * x[1] + Math.sin(x[2]) + Math.max(x[3], x[0]) + 0.5 * x[1] * x[2] * x[3];
    }

    @Test
    void exactShapleyOfTheGloveGameMatchesTheTextbook() {
        // Players 0, 1 hold left gloves, player 2 a right glove; a pair is worth 1.
        CoalitionGame glove = game(3, z -> Math.min((z[0] ? 1 : 0) + (z[1] ? 1 : 0), z[2] ? 1 : 0));
        assertArrayEquals(new double[] {1.0 / 6, 1.0 / 6, 2.0 / 3}, ExactShapley.values(glove), 1e-12);
    }

    @Test
    void kernelShapWithExactEnumerationEqualsBruteForceShapleyValues() {
        TabularSchema schema = TabularFixtures.numeric(4);
        double[][] background = TabularFixtures.normalRows(5, new double[] {1, 1, 1, 1}, 3);
        double[] row = {0.7, -1.2, 2.0, 0.3};
        TabularModel model = TabularFixtures.model(4, TabularShapleyTest::f);
        KernelShapTabular.Explanation e = KernelShapTabular.builder(schema, background).samples(2048).seed(1).build()
                .explain(model, row, 0);
        assertTrue(e.exact());
        // Independent reference: the interventional game evaluated directly in double precision,
        // then the Shapley definition by enumeration.
        CoalitionGame reference = game(4, z -> {
            double s = 0;
            for (double[] b : background) {
                float[] x = new float[4];
                for (int j = 0; j < 4; j++) {
                    x[j] = (float) (z[j] ? row[j] : b[j]);
                }
                s += f(x);
            }
            return s / background.length;
        });
        double[] exact = ExactShapley.values(reference);
        assertArrayEquals(exact, e.values(), 1e-4);
        double sum = 0;
        for (double v : e.values()) {
            sum += v;
        }
        assertEquals(e.prediction() - e.expected(), sum, 1e-9);
        float[] rf = {0.7f, -1.2f, 2.0f, 0.3f};
        assertEquals(f(rf), e.prediction(), 1e-5);
    }

    @Test
    void sampledKernelShapIsEfficientAndCloseToExactValues() {
        int m = 10;
        double[] w = new double[m];
        for (int j = 0; j < m; j++) {
            w[j] = j - 4.5;
        }
        // A game with pairwise interactions: v(S) = Σ_{i∈S} w_i + Σ_{i,i+1 ∈ S} 0.8.
        CoalitionGame g = game(m, z -> {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += z[j] ? w[j] : 0;
                if (j + 1 < m && z[j] && z[j + 1]) {
                    s += 0.8;
                }
            }
            return s;
        });
        double[] exact = ExactShapley.values(g);
        KernelShapSolver.Result r = KernelShapSolver.builder().samples(600).seed(5).build().solve(g);
        assertFalse(r.exact());
        double sum = 0;
        for (int j = 0; j < m; j++) {
            sum += r.values()[j];
            assertEquals(exact[j], r.values()[j], 0.15, "player " + j);
        }
        assertEquals(r.full() - r.base(), sum, 1e-9);
        KernelShapSolver.Result again = KernelShapSolver.builder().samples(600).seed(5).build().solve(g);
        assertArrayEquals(r.values(), again.values(), 0.0);
    }

    @Test
    void meanBaselineUsesOneBackgroundRow() {
        TabularSchema schema = TabularFixtures.numeric(2);
        double[][] background = {{0, 0}, {2, 4}};
        TabularModel model = TabularFixtures.model(2, x -> 3 * x[0] + x[1]);
        KernelShapTabular.Explanation e = KernelShapTabular.builder(schema, background)
                .baseline(KernelShapTabular.Baseline.MEAN).build().explain(model, new double[] {5, 5}, 0);
        // Linear model: φ_j = w_j (x_j − mean_j).
        assertArrayEquals(new double[] {3 * (5 - 1), 5 - 2}, e.values(), 1e-5);
    }

    private static CoalitionGame game(int m, java.util.function.ToDoubleFunction<boolean[]> v) {
        return new CoalitionGame() {
            @Override
            public int players() {
                return m;
            }

            @Override
            public double[] values(boolean[][] coalitions) {
                double[] out = new double[coalitions.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = v.applyAsDouble(coalitions[i]);
                }
                return out;
            }
        };
    }
}
