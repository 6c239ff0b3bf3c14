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
import java.util.Objects;
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
    public static final int DEFAULT_INTERNAL_BATCH = 32;

    private final Predictor model;
    private final SegmentSource segments;
    private final int samples;
    private final long seed;
    private final float kernelWidth;
    private final double ridge;
    private final float scalarBaseline;
    private final Tensor baseline;
    private final int internalBatch;

    private Lime(Builder b) {
        this.model = b.model;
        this.segments = new SegmentSource(b.mask, b.segments);
        this.samples = b.samples;
        this.seed = b.seed;
        this.kernelWidth = b.kernelWidth;
        this.ridge = b.ridge;
        this.scalarBaseline = b.scalarBaseline;
        this.baseline = b.baseline;
        this.internalBatch = b.internalBatch;
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
        Builder b = builder(model).samples(MethodOptions.or(o.samples(), DEFAULT_SAMPLES))
                .seed(MethodOptions.or(o.seed(), 0L))
                .segments(MethodOptions.or(o.segments(), Segmentation.DEFAULT_SEGMENTS))
                .kernelWidth(MethodOptions.or(o.sigma(), DEFAULT_KERNEL_WIDTH))
                .internalBatch(MethodOptions.or(o.internalBatch(), DEFAULT_INTERNAL_BATCH));
        if (o.featureMask() != null) {
            b.mask(o.featureMask());
        }
        if (o.baseline() != null) {
            b.baseline(o.baseline());
        }
        return b.build();
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
        Inputs.requireImageBatch(NAME, input);
        int n = input.dim(0);
        int c = input.dim(1);
        int hw = input.dim(2) * input.dim(3);
        float[] base = Inputs.baseline(NAME, input, baseline, scalarBaseline);
        Scorer scorer = Scorer.at(model, input, target, internalBatch);
        Tensor map = Tensor.zerosLike(input);
        Tensor intercepts = Tensor.zeros(n);
        Tensor scores = Tensor.zeros(n);
        Tensor segmentMaps = Tensor.zeros(n, 1, input.dim(2), input.dim(3));
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            Segmentation seg = segments.of(input, i);
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
            double[] y = new Coalitions(scorer, input, i, seg, base, scorer.isClassTarget()).scores(z);
            LeastSquares.Fit fit = LeastSquares.weightedRidge(rows, y, weights, ridge);
            System.arraycopy(seg.paint(fit.coefficients(), c), 0, map.data(), i * c * hw, c * hw);
            intercepts.data()[i] = (float) fit.intercept();
            scores.data()[i] = (float) fit.r2();
            for (int p = 0; p < hw; p++) {
                segmentMaps.data()[i * hw + p] = seg.labels()[p];
            }
        }
        Map<String, Object> params = Inputs.params("segments", segments.describe(), "samples", samples, "seed", seed,
                "kernel_width", kernelWidth, "ridge", ridge, "baseline", baseline == null ? (Object) scalarBaseline : "tensor",
                "score", scorer.isClassTarget() ? "softmax probability" : "raw value", "internal_batch", internalBatch);
        return Explanation.of(map, NAME, params, target, model.sha256()).withExtra("intercept", intercepts)
                .withExtra("score", scores).withExtra("segments", segmentMaps);
    }

    /**
     * Configures {@link Lime}. Defaults: about 50 SLIC superpixels, 1000 samples, seed 0, kernel
     * width 0.25, ridge 1, baseline 0, {@value #DEFAULT_INTERNAL_BATCH} copies per forward pass.
     */
    public static final class Builder {
        private final Predictor model;
        private Tensor mask;
        private int segments = Segmentation.DEFAULT_SEGMENTS;
        private int samples = DEFAULT_SAMPLES;
        private long seed;
        private float kernelWidth = DEFAULT_KERNEL_WIDTH;
        private double ridge = DEFAULT_RIDGE;
        private float scalarBaseline;
        private Tensor baseline;
        private int internalBatch = DEFAULT_INTERNAL_BATCH;

        private Builder(Predictor model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** About this many SLIC superpixels per item (default 50). */
        public Builder segments(int v) {
            segments = Inputs.positive(NAME, "the number of superpixels", v);
            return this;
        }

        /** Segments from group ids [1 or N, 1, H, W] instead of superpixels. */
        public Builder mask(Tensor ids) {
            mask = Objects.requireNonNull(ids, "mask");
            return this;
        }

        public Builder samples(int v) {
            samples = Inputs.positive(NAME, "samples", v);
            return this;
        }

        public Builder seed(long v) {
            seed = v;
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

        public Builder baseline(float v) {
            scalarBaseline = v;
            baseline = null;
            return this;
        }

        /** A baseline tensor: the input's shape, batch 1, or one element. */
        public Builder baseline(Tensor v) {
            baseline = Objects.requireNonNull(v, "baseline");
            return this;
        }

        public Builder internalBatch(int v) {
            internalBatch = Inputs.positive(NAME, "internalBatch (copies per forward pass)", v);
            return this;
        }

        public Lime build() {
            return new Lime(this);
        }
    }
}
