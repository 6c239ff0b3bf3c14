package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.Predictor;
import dev.netlens.explain.shapley.LeastSquares;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LIME for images: fit a weighted linear model over superpixels "on"/"off" to the black box's
 * scores near the image, and paint each superpixel with its weight.
 *
 * <p>Ribeiro, Singh, Guestrin, "'Why Should I Trust You?': Explaining the Predictions of Any
 * Classifier", KDD 2016; SPECS §D. For each item: segments (SLIC superpixels, about 50 by default,
 * or a user feature mask); n samples (default 1000) of on/off vectors z ∈ {0,1}^M — the first is
 * all on (the image itself), the others have each segment on with probability ½, seeded; "off"
 * segments take the baseline (default zeros, which for a normalised input is the dataset's mean
 * colour); the score is the class probability (softmax of the output row, as the {@code lime}
 * package explains {@code predict_proba}) for class targets, the raw value for other targets.
 * Each sample is weighted by exp(−d²/σ²), d the cosine distance between z and the all-on vector,
 * σ = 0.25; a weighted ridge regression (λ = 1, unpenalised intercept) gives one weight per segment.
 * The map has the input's shape (all channels of a pixel carry its segment's weight); extras:
 * {@code intercept} and {@code score} (the weighted R² of the local fit) per item, and
 * {@code segments} [N, 1, H, W] (the segment of each pixel).
 *
 * <pre>{@code
 * Lime lime = Lime.builder(predictor).samples(1000).segments(50).seed(3).build();
 * Explanation e = lime.explain(images, Target.classes(281));
 * }</pre>
 */
public final class Lime implements Attribution, CountsEvaluations {
    public static final String NAME = "lime";
    public static final int DEFAULT_SAMPLES = 1000;
    public static final float DEFAULT_KERNEL_WIDTH = 0.25f;
    public static final double DEFAULT_RIDGE = 1.0;

    private final SegmentSettings settings;
    private final int samples;
    private final float kernelWidth;
    private final double ridge;

    private Lime(Builder b) {
        this.settings = b.settings();
        this.samples = b.samples;
        this.kernelWidth = b.kernelWidth;
        this.ridge = b.ridge;
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(Predictor.of(model));
    }

    /** A builder for any black box. */
    public static Builder builder(Predictor model) {
        return new Builder(model);
    }

    /** From registry options: samples, seed, segments, featureMask, sigma (kernel width), baseline, internalBatch. */
    public static Lime fromOptions(ExplainedModel model, MethodOptions o) {
        return fromOptions(Predictor.of(model), o);
    }

    /** From registry options, for any black box. */
    public static Lime fromOptions(Predictor model, MethodOptions o) {
        return builder(model).shared(o).samples(MethodOptions.or(o.samples(), DEFAULT_SAMPLES))
                .kernelWidth(MethodOptions.or(o.sigma(), DEFAULT_KERNEL_WIDTH)).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long evaluations(Tensor input) {
        Inputs.requireImageBatch(NAME, input);
        return (long) input.dim(0) * (1 + samples);
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        int n = input.dim(0);
        Tensor intercepts = Tensor.zeros(n);
        Tensor scores = Tensor.zeros(n);
        SplittableRandom rng = new SplittableRandom(settings.seed());
        SegmentSettings.Maps maps = settings.run(input, target, true, (i, seg, coalitions) -> {
            int m = seg.count();
            List<boolean[]> z = new ArrayList<>(samples);
            double[][] rows = new double[samples][m];
            double[] weights = new double[samples];
            for (int s = 0; s < samples; s++) {
                boolean[] on = new boolean[m];
                int count = 0;
                for (int j = 0; j < m; j++) {
                    on[j] = s == 0 || rng.nextBoolean();
                    rows[s][j] = on[j] ? 1 : 0;
                    count += on[j] ? 1 : 0;
                }
                z.add(on);
                double d = count == 0 ? 1 : 1 - count / (Math.sqrt(count) * Math.sqrt(m));
                weights[s] = Math.exp(-d * d / ((double) kernelWidth * kernelWidth));
            }
            LeastSquares.Fit fit = LeastSquares.weightedRidge(rows, coalitions.scores(z), weights, ridge);
            intercepts.data()[i] = (float) fit.intercept();
            scores.data()[i] = (float) fit.r2();
            return fit.coefficients();
        });
        Map<String, Object> params = Inputs.params("segments", settings.segments().describe(), "samples", samples,
                "seed", settings.seed(), "kernel_width", kernelWidth, "ridge", ridge, "baseline", settings.baselineParam(),
                "score", target instanceof Target.ClassTarget ? "softmax probability" : "raw value",
                "internal_batch", settings.internalBatch());
        return Explanation.of(maps.map(), NAME, params, target, settings.model().sha256())
                .withExtra("intercept", intercepts).withExtra("score", scores).withExtra("segments", maps.segments());
    }

    /**
     * Configures {@link Lime}. Defaults: about 50 SLIC superpixels, 1000 samples, seed 0, kernel
     * width 0.25, ridge 1, baseline 0, 32 copies per forward pass.
     */
    public static final class Builder extends SegmentMethodBuilder<Builder> {
        private int samples = DEFAULT_SAMPLES;
        private float kernelWidth = DEFAULT_KERNEL_WIDTH;
        private double ridge = DEFAULT_RIDGE;

        private Builder(Predictor model) {
            super(NAME, model);
        }

        public Builder samples(int v) {
            samples = Inputs.positive(NAME, "samples", v);
            return this;
        }

        /** σ of the kernel exp(−d²/σ²), > 0 (default 0.25). */
        public Builder kernelWidth(float v) {
            if (!(v > 0) || !Float.isFinite(v)) {
                throw new IllegalArgumentException(NAME + ": the kernel width (--sigma) must be > 0, got " + v);
            }
            kernelWidth = v;
            return this;
        }

        /** Ridge penalty λ ≥ 0 (default 1). */
        public Builder ridge(double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(NAME + ": the ridge penalty must be >= 0, got " + v);
            }
            ridge = v;
            return this;
        }

        public Lime build() {
            return new Lime(this);
        }
    }
}
