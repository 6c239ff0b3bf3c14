package dev.netlens.explain.tabular;

import dev.netlens.explain.shapley.LeastSquares;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * LIME for tabular rows (Ribeiro, Singh, Guestrin, "Why Should I Trust You?": Explaining the
 * Predictions of Any Classifier, KDD 2016), following the semantics of the lime package's
 * {@code LimeTabularExplainer}:
 * <ol>
 *   <li><b>Sampling</b> from training statistics ({@link FeatureStats}). Continuous mode (default):
 *       a numeric feature is x_j + z·σ_j with z ~ N(0, 1) (around the row; with
 *       {@code sampleAroundInstance(false)} it is μ_j + z·σ_j, lime's default); a categorical
 *       feature is drawn from the training frequencies of its categories. Discretised mode
 *       ({@code discretize(true)}, lime's quartile discretiser): a numeric feature draws its
 *       quartile bin from the training bin frequencies, then a training value from that bin (lime
 *       draws from a truncated normal fitted to the bin instead). The first sample is the row itself.</li>
 *   <li><b>Interpretable representation</b>: continuous numeric features standardised,
 *       (v − μ_j)/σ_j; categorical features and quartile bins as 1 when equal to the row's value,
 *       else 0.</li>
 *   <li><b>Kernel</b>: π = exp(−d²/σ²) with d the Euclidean distance to the row's representation and
 *       σ = 0.75·√F by default (lime's kernel width; lime itself weights by √π, i.e. its effective
 *       width is σ·√2 — set {@code kernelWidth} to match it exactly).</li>
 *   <li><b>Fit</b>: weighted ridge regression (λ = 1, unpenalised intercept, like scikit-learn's
 *       {@code Ridge}) of the model's output for the chosen class on the representation → one weight
 *       per feature, an intercept, and the weighted R² of the local fit ({@code score} in lime).</li>
 * </ol>
 * Weights of continuous numeric features are per standard deviation; {@link Explanation#perUnit()}
 * divides them by σ_j (the change of the output per unit of the feature). Deterministic for a seed.
 *
 * <pre>{@code
 * LimeTabular lime = LimeTabular.builder(stats).samples(5000).seed(1).build();
 * LimeTabular.Explanation e = lime.explain(model, row, 1);
 * }</pre>
 */
public final class LimeTabular {
    private final FeatureStats stats;
    private final int samples;
    private final long seed;
    private final double kernelWidth;
    private final double lambda;
    private final boolean discretize;
    private final boolean aroundInstance;

    private LimeTabular(Builder b) {
        this.stats = b.stats;
        this.samples = b.samples;
        this.seed = b.seed;
        this.kernelWidth = b.kernelWidth > 0 ? b.kernelWidth : 0.75 * Math.sqrt(b.stats.schema().size());
        this.lambda = b.lambda;
        this.discretize = b.discretize;
        this.aroundInstance = b.aroundInstance;
    }

    public static Builder builder(FeatureStats stats) {
        return new Builder(stats);
    }

    /**
     * A local linear explanation.
     *
     * @param labels one readable label per feature (e.g. "income", "region=north", "42 &lt; age ≤ 55")
     * @param weights the ridge coefficients on the interpretable representation
     * @param perUnit weights per unit of the feature (continuous numeric: weight/σ_j; otherwise = weight)
     * @param intercept the ridge intercept
     * @param r2 weighted R² of the local fit
     * @param localPrediction the local model at the row
     * @param modelPrediction the black box's output at the row
     * @param target the explained output (class)
     * @param kernelWidth σ used
     */
    public record Explanation(List<String> labels, double[] weights, double[] perUnit, double intercept, double r2,
                              double localPrediction, double modelPrediction, int target, double kernelWidth) {
    }

    /** Explains output {@code target} of {@code model} at the encoded {@code row}. */
    public Explanation explain(TabularModel model, double[] row, int target) {
        TabularSchema schema = stats.schema();
        int f = schema.size();
        if (row.length != f) {
            throw new IllegalArgumentException("the row has " + row.length + " values, the schema " + f + " features");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] data = new double[samples][f];
        double[][] repr = new double[samples][f];
        data[0] = row.clone();
        for (int i = 1; i < samples; i++) {
            for (int j = 0; j < f; j++) {
                Feature ft = schema.features().get(j);
                if (!ft.numeric()) {
                    data[i][j] = draw(stats.frequencies[j], random);
                } else if (discretize) {
                    double[] col = stats.sorted[j];
                    int bin = (int) draw(binFrequencies(j), random);
                    data[i][j] = valueInBin(j, bin, col, random);
                } else {
                    double centre = aroundInstance ? row[j] : stats.mean[j];
                    data[i][j] = centre + random.nextGaussian() * stats.std[j];
                }
            }
        }
        double[] rowRepr = representation(row, row);
        for (int i = 0; i < samples; i++) {
            repr[i] = representation(data[i], row);
        }
        double[] weights = new double[samples];
        for (int i = 0; i < samples; i++) {
            double d2 = 0;
            for (int j = 0; j < f; j++) {
                double d = repr[i][j] - rowRepr[j];
                d2 += d * d;
            }
            weights[i] = Math.exp(-d2 / (kernelWidth * kernelWidth));
        }
        double[] y = model.output(data, target);
        LeastSquares.Fit fit = LeastSquares.weightedRidge(repr, y, weights, lambda);
        double local = fit.intercept();
        double[] perUnit = new double[f];
        List<String> labels = new ArrayList<>();
        for (int j = 0; j < f; j++) {
            local += fit.coefficients()[j] * rowRepr[j];
            Feature ft = schema.features().get(j);
            boolean continuous = ft.numeric() && !discretize;
            perUnit[j] = continuous ? fit.coefficients()[j] / stats.std[j] : fit.coefficients()[j];
            labels.add(label(j, row[j]));
        }
        return new Explanation(labels, fit.coefficients(), perUnit, fit.intercept(), fit.r2(), local, y[0], target,
                kernelWidth);
    }

    private double[] representation(double[] v, double[] row) {
        int f = v.length;
        double[] r = new double[f];
        for (int j = 0; j < f; j++) {
            Feature ft = stats.schema().features().get(j);
            if (!ft.numeric()) {
                r[j] = Math.round(v[j]) == Math.round(row[j]) ? 1 : 0;
            } else if (discretize) {
                r[j] = stats.bin(j, v[j]) == stats.bin(j, row[j]) ? 1 : 0;
            } else {
                r[j] = (v[j] - stats.mean[j]) / stats.std[j];
            }
        }
        return r;
    }

    private String label(int j, double value) {
        Feature ft = stats.schema().features().get(j);
        if (!ft.numeric()) {
            return ft.name() + "=" + ft.describe(value);
        }
        if (!discretize) {
            return ft.name();
        }
        double[] q = stats.quartiles[j];
        int b = stats.bin(j, value);
        String n = ft.name();
        return switch (b) {
            case 0 -> n + " <= " + Feature.format(q[0]);
            case 3 -> n + " > " + Feature.format(q[2]);
            default -> Feature.format(q[b - 1]) + " < " + n + " <= " + Feature.format(q[b]);
        };
    }

    private double[] binFrequencies(int j) {
        double[] fr = new double[4];
        double[] col = stats.sorted[j];
        for (double v : col) {
            fr[stats.bin(j, v)] += 1.0 / col.length;
        }
        return fr;
    }

    private double valueInBin(int j, int bin, double[] col, SplittableRandom random) {
        int count = 0;
        for (double v : col) {
            if (stats.bin(j, v) == bin) {
                count++;
            }
        }
        int pick = random.nextInt(Math.max(1, count));
        for (double v : col) {
            if (stats.bin(j, v) == bin && pick-- == 0) {
                return v;
            }
        }
        return col[0];
    }

    static double draw(double[] probabilities, SplittableRandom random) {
        double u = random.nextDouble();
        double c = 0;
        for (int k = 0; k < probabilities.length; k++) {
            c += probabilities[k];
            if (u < c) {
                return k;
            }
        }
        for (int k = probabilities.length - 1; k >= 0; k--) {
            if (probabilities[k] > 0) {
                return k;
            }
        }
        return 0;
    }

    /** Options with lime's defaults. */
    public static final class Builder {
        private final FeatureStats stats;
        private int samples = 5000;
        private long seed = 0;
        private double kernelWidth = 0;
        private double lambda = 1;
        private boolean discretize = false;
        private boolean aroundInstance = true;

        private Builder(FeatureStats stats) {
            this.stats = java.util.Objects.requireNonNull(stats, "stats");
        }

        /** Number of perturbed samples including the row itself (default 5000, lime's). */
        public Builder samples(int samples) {
            if (samples < 10) {
                throw new IllegalArgumentException("LIME needs at least 10 samples, got " + samples);
            }
            this.samples = samples;
            return this;
        }

        /** Seed of the sampler (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Kernel width σ (default 0.75·√F). */
        public Builder kernelWidth(double width) {
            if (!(width > 0)) {
                throw new IllegalArgumentException("kernel width must be > 0, got " + width);
            }
            this.kernelWidth = width;
            return this;
        }

        /** Ridge penalty λ (default 1). */
        public Builder ridge(double lambda) {
            if (!(lambda >= 0)) {
                throw new IllegalArgumentException("ridge λ must be ≥ 0, got " + lambda);
            }
            this.lambda = lambda;
            return this;
        }

        /** Quartile-discretised numeric features (default false: continuous). */
        public Builder discretize(boolean discretize) {
            this.discretize = discretize;
            return this;
        }

        /** Centre numeric samples on the row (default true) or on the training mean (false, lime's default). */
        public Builder sampleAroundInstance(boolean around) {
            this.aroundInstance = around;
            return this;
        }

        public LimeTabular build() {
            return new LimeTabular(this);
        }
    }
}
