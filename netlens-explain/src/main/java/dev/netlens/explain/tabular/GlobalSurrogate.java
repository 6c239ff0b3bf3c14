package dev.netlens.explain.tabular;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A global surrogate: a shallow {@link DecisionTree} trained to imitate the black box's predictions
 * (not the true labels) on training rows, with its fidelity measured on held-out rows (Craven and
 * Shavlik, "Extracting Tree-Structured Representations of Trained Networks", NIPS 1996; Molnar,
 * Interpretable Machine Learning, §"Global Surrogate"). For a classifier (K &gt; 1 outputs) the tree
 * learns the arg-max class and fidelity is the agreement rate; for a regression (K = 1) it learns
 * output 0 and fidelity is R². Rows are split into training and held-out parts by a seeded shuffle.
 *
 * <pre>{@code
 * GlobalSurrogate.Result s = GlobalSurrogate.train(model, schema, x, 3, 5, 0.3, 0, classNames);
 * System.out.print(s.tree().rules());
 * }</pre>
 */
public final class GlobalSurrogate {
    private GlobalSurrogate() {
    }

    /**
     * @param tree the surrogate
     * @param fidelity agreement (classification) or R² (regression) on the held-out rows
     * @param trainFidelity the same on the training rows
     * @param trainRows rows used to train
     * @param heldOutRows rows used to measure fidelity
     * @param regression whether the black box is a regression
     */
    public record Result(DecisionTree tree, double fidelity, double trainFidelity, int trainRows, int heldOutRows,
                         boolean regression) {
    }

    /** Trains a surrogate of depth ≤ maxDepth on a (1 − heldOut) share of the rows. */
    public static Result train(TabularModel model, TabularSchema schema, double[][] x, int maxDepth, int minLeaf,
                               double heldOut, long seed, List<String> classNames) {
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new IllegalArgumentException("the held-out share must be in (0, 1), got " + heldOut);
        }
        int n = x.length;
        int test = (int) Math.round(n * heldOut);
        if (test < 1 || n - test < 2) {
            throw new IllegalArgumentException("a surrogate needs at least 3 rows to train and test on, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[k];
            order[k] = t;
        }
        double[][] scores = model.scores(x);
        boolean regression = scores[0].length == 1;
        double[][] trainX = new double[n - test][];
        double[][] testX = new double[test][];
        double[] trainY = new double[n - test];
        double[] testY = new double[test];
        for (int i = 0; i < n; i++) {
            double label = regression ? scores[order[i]][0] : TabularModel.argmax(scores[order[i]]);
            if (i < n - test) {
                trainX[i] = x[order[i]];
                trainY[i] = label;
            } else {
                testX[i - (n - test)] = x[order[i]];
                testY[i - (n - test)] = label;
            }
        }
        DecisionTree tree = regression ? DecisionTree.regressor(schema, trainX, trainY, maxDepth, minLeaf)
                : DecisionTree.classifier(schema, trainX, java.util.Arrays.stream(trainY).mapToInt(v -> (int) v).toArray(),
                        maxDepth, minLeaf, classNames);
        return new Result(tree, fidelity(tree, testX, testY, regression), fidelity(tree, trainX, trainY, regression),
                n - test, test, regression);
    }

    static double fidelity(DecisionTree tree, double[][] x, double[] y, boolean regression) {
        if (!regression) {
            int agree = 0;
            for (int i = 0; i < x.length; i++) {
                if (tree.predict(x[i]) == y[i]) {
                    agree++;
                }
            }
            return agree / (double) x.length;
        }
        double mean = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        double res = 0;
        double tot = 0;
        for (int i = 0; i < x.length; i++) {
            double p = tree.predict(x[i]);
            res += (y[i] - p) * (y[i] - p);
            tot += (y[i] - mean) * (y[i] - mean);
        }
        return tot > 0 ? 1 - res / tot : (res == 0 ? 1 : 0);
    }
}
