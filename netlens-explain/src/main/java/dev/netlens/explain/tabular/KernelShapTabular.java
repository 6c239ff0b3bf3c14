package dev.netlens.explain.tabular;

import dev.netlens.explain.shapley.CoalitionGame;
import dev.netlens.explain.shapley.KernelShapSolver;

/**
 * Kernel SHAP over the features of one row (Lundberg and Lee, NeurIPS 2017). The players are the
 * features; the value of a coalition S is the model's output for the chosen class when the
 * features in S take the row's values and the others come from a background set:
 * <ul>
 *   <li>{@link Baseline#AVERAGE} (default, the shap package's {@code KernelExplainer}):
 *       v(S) = mean over background rows b of f(x_S, b_S̄);</li>
 *   <li>{@link Baseline#MEAN}: v(S) = f(x_S, m_S̄) with m the background mean of numeric features
 *       and the most frequent category of categorical ones (one forward per coalition).</li>
 * </ul>
 * The values satisfy Σφ = f(x) − v(∅) = f(x) − E_background f (efficiency), solved by
 * {@link KernelShapSolver} (2048 coalitions by default, exact enumeration when 2^F ≤ samples).
 *
 * <pre>{@code
 * KernelShapTabular.Explanation e = KernelShapTabular.builder(background).seed(3).build().explain(model, row, 1);
 * }</pre>
 */
public final class KernelShapTabular {
    /** How absent features are filled. */
    public enum Baseline {
        /** Average the output over background rows. */
        AVERAGE,
        /** One baseline row: background mean (numeric) / mode (categorical). */
        MEAN
    }

    private final double[][] background;
    private final TabularSchema schema;
    private final Baseline baseline;
    private final int samples;
    private final long seed;

    private KernelShapTabular(Builder b) {
        this.background = b.background;
        this.schema = b.schema;
        this.baseline = b.baseline;
        this.samples = b.samples;
        this.seed = b.seed;
    }

    /** A builder over encoded background rows [B][F] described by {@code schema}. */
    public static Builder builder(TabularSchema schema, double[][] background) {
        return new Builder(schema, background);
    }

    /**
     * SHAP values of one row.
     *
     * @param values φ per feature
     * @param expected v(∅), the expected output over the background
     * @param prediction f(x)
     * @param exact whether all coalitions were enumerated
     * @param coalitions distinct coalitions evaluated
     * @param target the explained class
     */
    public record Explanation(double[] values, double expected, double prediction, boolean exact, int coalitions,
                              int target) {
    }

    /** Explains output {@code target} of {@code model} at the encoded {@code row}. */
    public Explanation explain(TabularModel model, double[] row, int target) {
        double[][] bg = baseline == Baseline.MEAN ? new double[][] {meanRow()} : background;
        int f = row.length;
        CoalitionGame game = new CoalitionGame() {
            @Override
            public int players() {
                return f;
            }

            @Override
            public double[] values(boolean[][] coalitions) {
                double[][] inputs = new double[coalitions.length * bg.length][];
                int k = 0;
                for (boolean[] z : coalitions) {
                    for (double[] b : bg) {
                        double[] x = b.clone();
                        for (int j = 0; j < f; j++) {
                            if (z[j]) {
                                x[j] = row[j];
                            }
                        }
                        inputs[k++] = x;
                    }
                }
                double[] out = model.output(inputs, target);
                double[] v = new double[coalitions.length];
                for (int c = 0; c < coalitions.length; c++) {
                    double s = 0;
                    for (int i = 0; i < bg.length; i++) {
                        s += out[c * bg.length + i];
                    }
                    v[c] = s / bg.length;
                }
                return v;
            }
        };
        KernelShapSolver.Result r = KernelShapSolver.builder().samples(samples).seed(seed)
                .batch(Math.max(1, 4096 / bg.length)).build().solve(game);
        return new Explanation(r.values(), r.base(), r.full(), r.exact(), r.coalitions(), target);
    }

    double[] meanRow() {
        int f = schema.size();
        double[] m = new double[f];
        for (int j = 0; j < f; j++) {
            Feature ft = schema.features().get(j);
            if (ft.numeric()) {
                for (double[] b : background) {
                    m[j] += b[j] / background.length;
                }
            } else {
                int[] counts = new int[ft.categories().size()];
                for (double[] b : background) {
                    counts[(int) Math.round(b[j])]++;
                }
                int best = 0;
                for (int k = 1; k < counts.length; k++) {
                    if (counts[k] > counts[best]) {
                        best = k;
                    }
                }
                m[j] = best;
            }
        }
        return m;
    }

    /** Options: baseline AVERAGE, 2048 samples, seed 0. */
    public static final class Builder {
        private final TabularSchema schema;
        private final double[][] background;
        private Baseline baseline = Baseline.AVERAGE;
        private int samples = 2048;
        private long seed = 0;

        private Builder(TabularSchema schema, double[][] background) {
            if (background.length == 0) {
                throw new IllegalArgumentException("Kernel SHAP needs at least one background row");
            }
            this.schema = schema;
            this.background = background;
        }

        public Builder baseline(Baseline baseline) {
            this.baseline = java.util.Objects.requireNonNull(baseline, "baseline");
            return this;
        }

        /** Coalition budget (default 2048). */
        public Builder samples(int samples) {
            if (samples < 4) {
                throw new IllegalArgumentException("Kernel SHAP samples must be ≥ 4, got " + samples);
            }
            this.samples = samples;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public KernelShapTabular build() {
            return new KernelShapTabular(this);
        }
    }
}
