package dev.netlens.explain.tabular;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.blackbox.Predictor;
import java.util.Objects;

/**
 * A {@link Predictor} seen as a function of encoded rows: double[N][F] in, scores double[N][K]
 * out, evaluated in chunks. Checks once that the predictor's input width (when fixed) equals the
 * number of features.
 */
public final class TabularModel {
    private final Predictor predictor;
    private final int features;
    private final int chunk;

    /** Wraps {@code predictor} for rows of {@code features} values, evaluated 1024 rows at a time. */
    public TabularModel(Predictor predictor, int features) {
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        this.features = features;
        this.chunk = 1024;
        int[] shape = predictor.inputShape();
        if (shape.length > 1 || (shape.length == 1 && shape[0] > 0 && shape[0] != features)) {
            throw new IllegalArgumentException(predictor.describe() + " takes inputs of shape " + java.util.Arrays.toString(shape)
                    + " per row, but the data has " + features + " feature columns; the model needs [N, " + features
                    + "] (drop or add columns so they match the model's inputs)");
        }
    }

    /** Number of features F. */
    public int features() {
        return features;
    }

    /** The wrapped predictor. */
    public Predictor predictor() {
        return predictor;
    }

    /** Scores [N][K] of the rows. */
    public double[][] scores(double[][] rows) {
        int n = rows.length;
        if (n == 0) {
            return new double[0][];
        }
        float[] in = new float[n * features];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != features) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + features);
            }
            for (int j = 0; j < features; j++) {
                in[i * features + j] = (float) rows[i][j];
            }
        }
        Tensor out = predictor.predictInChunks(Tensor.of(in, n, features), chunk);
        int k = out.size() / n;
        float[] d = out.data();
        double[][] s = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                s[i][j] = d[i * k + j];
            }
        }
        return s;
    }

    /** Output {@code k} of every row (for K = 1 models, k = 0 is the regression output). */
    public double[] output(double[][] rows, int k) {
        double[][] s = scores(rows);
        double[] v = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            if (k < 0 || k >= s[i].length) {
                throw new IllegalArgumentException("class " + k + " does not exist: the model has " + s[i].length
                        + " outputs (valid classes 0…" + (s[i].length - 1) + ")");
            }
            v[i] = s[i][k];
        }
        return v;
    }

    /** The arg-max class of every row. */
    public int[] predictedClasses(double[][] rows) {
        double[][] s = scores(rows);
        int[] c = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            c[i] = argmax(s[i]);
        }
        return c;
    }

    /** Number of outputs K (one forward pass on {@code probe}). */
    public int outputs(double[] probe) {
        return scores(new double[][] {probe})[0].length;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }
}
