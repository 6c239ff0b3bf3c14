package dev.netlens.explain.tabular;

import java.util.Arrays;

/**
 * Per-feature statistics of training rows, as lime's {@code LimeTabularExplainer} keeps them: mean
 * and standard deviation (population, like scikit-learn's {@code StandardScaler}; 1 where it is 0)
 * of every numeric feature, the frequency of every category of a categorical feature, and the
 * quartiles of numeric features (for the discretised mode).
 */
public final class FeatureStats {
    private final TabularSchema schema;
    final double[] mean;
    final double[] std;
    final double[][] frequencies;
    final double[][] quartiles;
    final double[][] sorted;

    private FeatureStats(TabularSchema schema, double[][] rows) {
        this.schema = schema;
        int f = schema.size();
        int n = rows.length;
        if (n == 0) {
            throw new IllegalArgumentException("feature statistics need at least one training row");
        }
        mean = new double[f];
        std = new double[f];
        frequencies = new double[f][];
        quartiles = new double[f][];
        sorted = new double[f][];
        for (int j = 0; j < f; j++) {
            Feature ft = schema.features().get(j);
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = rows[i][j];
            }
            Arrays.sort(col);
            sorted[j] = col;
            if (ft.numeric()) {
                double s = 0;
                for (double v : col) {
                    s += v;
                }
                mean[j] = s / n;
                double ss = 0;
                for (double v : col) {
                    ss += (v - mean[j]) * (v - mean[j]);
                }
                double sd = Math.sqrt(ss / n);
                std[j] = sd > 0 ? sd : 1;
                quartiles[j] = new double[] {quantile(col, 0.25), quantile(col, 0.5), quantile(col, 0.75)};
            } else {
                std[j] = 1;
                double[] fr = new double[ft.categories().size()];
                for (double v : col) {
                    fr[(int) Math.round(v)] += 1.0 / n;
                }
                frequencies[j] = fr;
            }
        }
    }

    /** Statistics of encoded training rows [N][F]. */
    public static FeatureStats of(TabularSchema schema, double[][] rows) {
        return new FeatureStats(schema, rows);
    }

    public TabularSchema schema() {
        return schema;
    }

    /** Mean of numeric feature j (0 for categorical). */
    public double mean(int j) {
        return mean[j];
    }

    /** Standard deviation of numeric feature j (1 for categorical and constant features). */
    public double std(int j) {
        return std[j];
    }

    /** Quantile q of a sorted array with linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The quartile bin (0…3) of value v of numeric feature j: bins (−∞,q1], (q1,q2], (q2,q3], (q3,∞). */
    int bin(int j, double v) {
        double[] q = quartiles[j];
        int b = 0;
        while (b < 3 && v > q[b]) {
            b++;
        }
        return b;
    }
}
