package dev.netlens.explain.tabular;

import java.util.SplittableRandom;

/**
 * Permutation feature importance (Breiman, "Random Forests", Machine Learning 2001; Fisher, Rudin,
 * Dominici, "All Models are Wrong, but Many are Useful", JMLR 2019; scikit-learn's
 * {@code permutation_importance}): the drop of the model's score when one column is shuffled, which
 * breaks its link to the target while keeping its distribution. Classification scores accuracy
 * (importance = accuracy − accuracy after shuffling); regression scores mean squared error
 * (importance = MSE after shuffling − MSE). Each column is shuffled {@code repeats} times with a
 * seeded Fisher–Yates shuffle; the result is the mean and the (population) standard deviation.
 *
 * <pre>{@code
 * PermutationImportance.Result r = PermutationImportance.classification(model, x, labels, 5, 0);
 * }</pre>
 */
public final class PermutationImportance {
    private PermutationImportance() {
    }

    /**
     * Importances.
     *
     * @param baseline the score on the unshuffled data (accuracy or MSE)
     * @param mean mean importance per feature
     * @param std standard deviation per feature over the repeats
     * @param metric "accuracy" or "mse"
     */
    public record Result(double baseline, double[] mean, double[] std, String metric) {
    }

    /** Accuracy-based importances for a classifier ({@code labels} are class indices). */
    public static Result classification(TabularModel model, double[][] x, int[] labels, int repeats, long seed) {
        return run(model, x, repeats, seed, false, labels, null);
    }

    /** MSE-based importances for a regression model (output 0). */
    public static Result regression(TabularModel model, double[][] x, double[] targets, int repeats, long seed) {
        return run(model, x, repeats, seed, true, null, targets);
    }

    private static Result run(TabularModel model, double[][] x, int repeats, long seed, boolean regression, int[] labels,
                              double[] targets) {
        if (repeats < 1) {
            throw new IllegalArgumentException("permutation importance needs repeats ≥ 1, got " + repeats);
        }
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("permutation importance needs at least 2 rows, got " + n);
        }
        int f = x[0].length;
        double base = score(model, x, regression, labels, targets);
        double[] mean = new double[f];
        double[] std = new double[f];
        SplittableRandom random = new SplittableRandom(seed);
        for (int j = 0; j < f; j++) {
            double[] drops = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                double[][] shuffled = new double[n][];
                for (int i = 0; i < n; i++) {
                    shuffled[i] = x[i].clone();
                }
                for (int i = n - 1; i > 0; i--) {
                    int k = random.nextInt(i + 1);
                    double t = shuffled[i][j];
                    shuffled[i][j] = shuffled[k][j];
                    shuffled[k][j] = t;
                }
                double s = score(model, shuffled, regression, labels, targets);
                drops[r] = regression ? s - base : base - s;
                mean[j] += drops[r] / repeats;
            }
            double ss = 0;
            for (double d : drops) {
                ss += (d - mean[j]) * (d - mean[j]);
            }
            std[j] = Math.sqrt(ss / repeats);
        }
        return new Result(base, mean, std, regression ? "mse" : "accuracy");
    }

    private static double score(TabularModel model, double[][] x, boolean regression, int[] labels, double[] targets) {
        if (regression) {
            double[] y = model.output(x, 0);
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (y[i] - targets[i]) * (y[i] - targets[i]);
            }
            return s / y.length;
        }
        int[] p = model.predictedClasses(x);
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == labels[i]) {
                correct++;
            }
        }
        return correct / (double) p.length;
    }
}
