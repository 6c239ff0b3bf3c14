package dev.netlens.explain.tabular;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * Partial dependence (Friedman, "Greedy Function Approximation: A Gradient Boosting Machine",
 * Annals of Statistics 2001) and individual conditional expectation curves (Goldstein, Kapelner,
 * Bleich, Pitkin, "Peeking Inside the Black Box", JCGS 2015) of one feature: for every grid value
 * v, ICE_i(v) = f(x_i with feature := v)[class] for every row i, and PD(v) = mean_i ICE_i(v) — the
 * "brute" method of scikit-learn's {@code partial_dependence}. The grid is every category of a
 * categorical feature, and for a numeric feature its distinct values when there are at most
 * {@code gridSize} of them, else {@code gridSize} quantiles equally spaced from the 5th to the 95th
 * percentile (scikit-learn's default percentiles).
 *
 * <pre>{@code
 * PartialDependence.Result pd = PartialDependence.compute(model, schema, x, schema.index("income"), 1, 20);
 * }</pre>
 */
public final class PartialDependence {
    private PartialDependence() {
    }

    /**
     * @param feature the feature index
     * @param grid grid values (encoded: category indices for categorical features)
     * @param average partial dependence per grid value
     * @param ice ICE curves [rows][grid]
     * @param target the class
     */
    public record Result(int feature, double[] grid, double[] average, double[][] ice, int target) {
    }

    /** Partial dependence and ICE of {@code feature} for output {@code target} over the rows {@code x}. */
    public static Result compute(TabularModel model, TabularSchema schema, double[][] x, int feature, int target,
                                 int gridSize) {
        if (gridSize < 2) {
            throw new IllegalArgumentException("the PDP grid needs at least 2 points, got " + gridSize);
        }
        double[] grid = grid(schema.features().get(feature), x, feature, gridSize);
        int n = x.length;
        double[][] inputs = new double[n * grid.length][];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < grid.length; g++) {
                double[] r = x[i].clone();
                r[feature] = grid[g];
                inputs[i * grid.length + g] = r;
            }
        }
        double[] out = model.output(inputs, target);
        double[][] ice = new double[n][grid.length];
        double[] avg = new double[grid.length];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < grid.length; g++) {
                ice[i][g] = out[i * grid.length + g];
                avg[g] += ice[i][g] / n;
            }
        }
        return new Result(feature, grid, avg, ice, target);
    }

    static double[] grid(Feature ft, double[][] x, int feature, int gridSize) {
        if (!ft.numeric()) {
            double[] g = new double[ft.categories().size()];
            for (int k = 0; k < g.length; k++) {
                g[k] = k;
            }
            return g;
        }
        TreeSet<Double> distinct = new TreeSet<>();
        double[] col = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            col[i] = x[i][feature];
            distinct.add(col[i]);
        }
        if (distinct.size() <= gridSize) {
            return distinct.stream().mapToDouble(Double::doubleValue).toArray();
        }
        Arrays.sort(col);
        double[] g = new double[gridSize];
        for (int k = 0; k < gridSize; k++) {
            g[k] = FeatureStats.quantile(col, 0.05 + 0.9 * k / (gridSize - 1));
        }
        return Arrays.stream(g).distinct().toArray();
    }
}
