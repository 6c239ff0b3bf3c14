package dev.netlens.explain.tabular;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.blackbox.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** Small helpers for tabular tests: schemas, random rows, Java-function models. */
final class TabularFixtures {
    private TabularFixtures() {
    }

    /** F numeric features named x0…x{F−1}. */
    static TabularSchema numeric(int f) {
        List<Feature> fs = new ArrayList<>();
        for (int j = 0; j < f; j++) {
            fs.add(new Feature("x" + j, true, List.of()));
        }
        return TabularSchema.of(fs, null);
    }

    /** Rows with feature j ~ N(0, scale[j]²). */
    static double[][] normalRows(int n, double[] scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][scale.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < scale.length; j++) {
                x[i][j] = (float) (r.nextGaussian() * scale[j]);
            }
        }
        return x;
    }

    /** A model with one output per function, evaluated row by row. */
    @SafeVarargs
    static TabularModel model(int f, ToDoubleFunction<float[]>... outputs) {
        Predictor p = Predictor.of(new int[] {f}, batch -> {
            int n = batch.dim(0);
            float[] d = batch.data();
            float[] out = new float[n * outputs.length];
            for (int i = 0; i < n; i++) {
                float[] row = new float[f];
                System.arraycopy(d, i * f, row, 0, f);
                for (int k = 0; k < outputs.length; k++) {
                    out[i * outputs.length + k] = (float) outputs[k].applyAsDouble(row);
                }
            }
            return Tensor.of(out, n, outputs.length);
        });
        return new TabularModel(p, f);
    }
}
