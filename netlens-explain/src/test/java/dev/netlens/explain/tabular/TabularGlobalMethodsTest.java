package dev.netlens.explain.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TabularGlobalMethodsTest {
    private static final TabularSchema MIXED = TabularSchema.of(List.of(new Feature("income", true, List.of()),
            new Feature("age", true, List.of()), new Feature("region", false, List.of("east", "north", "south"))), null);

    private static double[][] mixedRows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {Math.round(r.nextDouble() * 1000) / 10.0, 18 + r.nextInt(60), r.nextInt(3)};
        }
        return x;
    }

    @Test
    void surrogateOfAShallowTreeIsFaithfulAndReadable() {
        // The black box is itself a depth-2 tree: approve when income > 40 and region is not north.
        TabularModel model = TabularFixtures.model(3, x -> x[0] > 40 && Math.round(x[2]) != 1 ? 0 : 1,
                x -> x[0] > 40 && Math.round(x[2]) != 1 ? 1 : 0);
        GlobalSurrogate.Result s = GlobalSurrogate.train(model, MIXED, mixedRows(600, 1), 3, 5, 0.3, 7,
                List.of("rejected", "approved"));
        assertTrue(s.fidelity() >= 0.95, "fidelity " + s.fidelity());
        assertEquals(180, s.heldOutRows());
        String rules = s.tree().rules();
        assertTrue(rules.contains("income <= "), rules);
        assertTrue(rules.contains("region == north") || rules.contains("region != north"), rules);
        assertTrue(rules.contains("class approved"), rules);
    }

    @Test
    void surrogateOfAnUnlearnableModelAtDepthZeroIsNotFaithful() {
        // A depth-0 tree predicts one class; on a balanced model it agrees only about half the time.
        TabularModel model = TabularFixtures.model(3, x -> x[0] > 50 ? 0 : 1, x -> x[0] > 50 ? 1 : 0);
        GlobalSurrogate.Result s = GlobalSurrogate.train(model, MIXED, mixedRows(600, 2), 0, 5, 0.3, 7, null);
        assertTrue(s.fidelity() < 0.7, "fidelity " + s.fidelity());
    }

    @Test
    void partialDependenceOfAnAdditiveModelIsItsComponent() {
        TabularSchema schema = TabularFixtures.numeric(3);
        double[][] x = TabularFixtures.normalRows(100, new double[] {1, 2, 3}, 4);
        TabularModel model = TabularFixtures.model(3, r -> r[0] * r[0] + 3 * Math.sin(r[1]) - r[2]);
        PartialDependence.Result pd = PartialDependence.compute(model, schema, x, 0, 0, 15);
        assertEquals(15, pd.grid().length);
        double rest = 0;
        for (double[] r : x) {
            rest += (3 * Math.sin((float) r[1]) - (float) r[2]) / x.length;
        }
        for (int g = 0; g < pd.grid().length; g++) {
            double v = (float) pd.grid()[g];
            assertEquals(v * v + rest, pd.average()[g], 1e-4, "grid point " + g);
            // Additive model: every ICE curve is the component shifted by a constant.
            assertEquals(pd.ice()[5][g] - pd.ice()[5][0], v * v - Math.pow((float) pd.grid()[0], 2), 1e-4);
        }
        assertTrue(pd.grid()[0] < pd.grid()[14]);
    }

    @Test
    void partialDependenceOverACategoricalFeatureUsesEveryCategory() {
        TabularModel model = TabularFixtures.model(3, r -> Math.round(r[2]) * 10 + r[0]);
        PartialDependence.Result pd = PartialDependence.compute(model, MIXED, mixedRows(50, 3), 2, 0, 20);
        assertEquals(3, pd.grid().length);
        assertEquals(10, pd.average()[1] - pd.average()[0], 1e-4);
        assertEquals(20, pd.average()[2] - pd.average()[0], 1e-4);
    }

    @Test
    void permutationImportanceRanksAUsedFeatureAboveAnUnusedOne() {
        double[][] x = mixedRows(400, 5);
        int[] labels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            labels[i] = x[i][0] > 50 ? 1 : 0;
        }
        TabularModel model = TabularFixtures.model(3, r -> r[0] > 50 ? 0 : 1, r -> r[0] > 50 ? 1 : 0);
        PermutationImportance.Result r = PermutationImportance.classification(model, x, labels, 5, 1);
        assertEquals(1.0, r.baseline(), 0.0);
        assertTrue(r.mean()[0] > 0.3, "income importance " + r.mean()[0]);
        assertEquals(0.0, r.mean()[1], 0.0);
        assertEquals(0.0, r.std()[2], 0.0);
        assertTrue(r.std()[0] > 0);
    }

    @Test
    void regressionImportanceIsTheMseIncrease() {
        TabularSchema schema = TabularFixtures.numeric(2);
        double[][] x = TabularFixtures.normalRows(300, new double[] {1, 1}, 6);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (2 * x[i][0]);
        }
        TabularModel model = TabularFixtures.model(2, r -> 2 * r[0]);
        PermutationImportance.Result r = PermutationImportance.regression(model, x, y, 3, 0);
        assertEquals("mse", r.metric());
        assertEquals(0.0, r.baseline(), 1e-9);
        // Shuffling x0: E[(2x − 2x')²] = 8 Var(x) ≈ 8.
        assertEquals(8, r.mean()[0], 2.0);
        assertEquals(0.0, r.mean()[1], 1e-9);
        assertEquals(2, schema.size());
    }

    @Test
    void fairnessOnAHandComputedTable() {
        // group a: 4 rows, group b: 4 rows; positive class 1.
        String[] g = {"a", "a", "a", "a", "b", "b", "b", "b"};
        int[] y = {1, 1, 0, 0, 1, 0, 0, 0};
        int[] p = {1, 0, 1, 0, 1, 1, 1, 0};
        Fairness.Report r = Fairness.of(g, y, p, 1);
        // a: selection 2/4, TPR 1/2, FPR 1/2, accuracy 2/4. b: selection 3/4, TPR 1/1, FPR 2/3, accuracy 2/4.
        Fairness.Group a = r.groups().get(0);
        Fairness.Group b = r.groups().get(1);
        assertEquals("a", a.name());
        assertEquals(4, a.count());
        assertEquals(0.5, a.selectionRate(), 1e-12);
        assertEquals(0.75, b.selectionRate(), 1e-12);
        assertEquals(0.5, a.truePositiveRate(), 1e-12);
        assertEquals(1.0, b.truePositiveRate(), 1e-12);
        assertEquals(2.0 / 3, b.falsePositiveRate(), 1e-12);
        assertEquals(0.5, a.accuracy(), 1e-12);
        assertEquals(0.25, r.demographicParityDifference(), 1e-12);
        assertEquals(0.5, r.equalizedOddsDifference(), 1e-12); // max(|1 − 0.5|, |2/3 − 1/2|)
        assertEquals(0.5, r.accuracy(), 1e-12);
    }
}
