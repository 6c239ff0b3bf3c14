package dev.netlens.explain.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TabularLimeTest {
    @Test
    void limeRecoversTheWeightsOfALinearModel() {
        double[] w = {2.0, -3.0, 0.5, 0.0};
        TabularSchema schema = TabularFixtures.numeric(4);
        double[][] train = TabularFixtures.normalRows(500, new double[] {1, 2, 5, 0.5}, 11);
        TabularModel model = TabularFixtures.model(4, x -> w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3] * x[3] + 1);
        LimeTabular.Explanation e = LimeTabular.builder(FeatureStats.of(schema, train)).samples(5000).seed(3).build()
                .explain(model, train[7], 0);
        for (int j = 0; j < 4; j++) {
            assertEquals(w[j], e.perUnit()[j], 0.02 * Math.max(1, Math.abs(w[j])), "feature " + j);
        }
        assertTrue(e.r2() > 0.999, "R² " + e.r2());
        assertEquals(e.modelPrediction(), e.localPrediction(), 1e-2);
        assertEquals(List.of("x0", "x1", "x2", "x3"), e.labels());
    }

    @Test
    void categoricalFeatureGetsTheEffectOfItsCategory() {
        TabularSchema schema = TabularSchema.of(List.of(new Feature("x", true, List.of()),
                new Feature("colour", false, List.of("blue", "green", "red"))), null);
        double[][] train = new double[300][];
        for (int i = 0; i < train.length; i++) {
            train[i] = new double[] {(i % 17) / 4.0, i % 3};
        }
        TabularModel model = TabularFixtures.model(2, x -> 0.5 * x[0] + (Math.round(x[1]) == 2 ? 1.5 : 0));
        LimeTabular.Explanation e = LimeTabular.builder(FeatureStats.of(schema, train)).seed(1).build()
                .explain(model, new double[] {1, 2}, 0);
        assertEquals("colour=red", e.labels().get(1));
        assertEquals(1.5, e.weights()[1], 0.03);
        assertEquals(0.5, e.perUnit()[0], 0.02);
    }

    @Test
    void sameSeedSameAnswerOtherSeedOtherSamples() {
        TabularSchema schema = TabularFixtures.numeric(3);
        double[][] train = TabularFixtures.normalRows(200, new double[] {1, 1, 1}, 2);
        TabularModel model = TabularFixtures.model(3, x -> Math.tanh(x[0] * x[1]) + x[2] * x[2]);
        FeatureStats stats = FeatureStats.of(schema, train);
        LimeTabular.Explanation a = LimeTabular.builder(stats).samples(500).seed(9).build().explain(model, train[0], 0);
        LimeTabular.Explanation b = LimeTabular.builder(stats).samples(500).seed(9).build().explain(model, train[0], 0);
        LimeTabular.Explanation c = LimeTabular.builder(stats).samples(500).seed(10).build().explain(model, train[0], 0);
        assertArrayEquals(a.weights(), b.weights(), 0.0);
        assertNotEquals(a.weights()[0], c.weights()[0]);
    }

    @Test
    void discretisedModeLabelsQuartileBins() {
        TabularSchema schema = TabularFixtures.numeric(2);
        double[][] train = new double[100][];
        for (int i = 0; i < 100; i++) {
            train[i] = new double[] {i, 100 - i};
        }
        TabularModel model = TabularFixtures.model(2, x -> x[0] > 74.25 ? 1 : 0);
        LimeTabular.Explanation e = LimeTabular.builder(FeatureStats.of(schema, train)).discretize(true).seed(4).build()
                .explain(model, new double[] {90, 10}, 0);
        assertEquals("x0 > 74.25", e.labels().get(0));
        assertEquals("x1 <= 25.75", e.labels().get(1));
        // Being in the top quartile of x0 is exactly what the model checks.
        assertEquals(1.0, e.weights()[0], 0.02);
        assertEquals(0.0, e.weights()[1], 0.05);
    }
}
