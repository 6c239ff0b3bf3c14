package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Shapley value sampling: the mean marginal contribution of each segment over random orderings.
 *
 * <p>Castro, Gómez, Tejada, "Polynomial calculation of the Shapley value based on sampling",
 * Computers &amp; Operations Research 2009; Štrumbelj, Kononenko 2010; Captum's
 * {@code ShapleyValueSampling}; SPECS §D. For each item and each of n random permutations
 * (default 25, seeded) of the M segments (SLIC superpixels, about 50, or a user feature mask), start
 * from the baseline image (default zeros) and switch segments on in the permutation's order; a
 * segment's contribution is the rise of the target's raw value when it is switched on. The mean over
 * permutations estimates its Shapley value, and the contributions of every permutation sum to
 * f(x) − f(baseline) exactly. n·M + 1 forward passes per item. The map has the input's shape
 * (every channel of a pixel carries its segment's value); extra {@code segments} [N, 1, H, W].
 */
public final class ShapleySampling implements Attribution, CountsEvaluations {
    public static final String NAME = "shapley-sampling";
    public static final int DEFAULT_PERMUTATIONS = 25;
    public static final int DEFAULT_INTERNAL_BATCH = 32;

    private final Predictor model;
    private final SegmentSource segments;
    private final int permutations;
    private final long seed;
    private final float scalarBaseline;
    private final Tensor baseline;
    private final int internalBatch;

    private ShapleySampling(Builder b) {
        this.model = b.model;
        this.segments = new SegmentSource(b.mask, b.segments);
        this.permutations = b.permutations;
        this.seed = b.seed;
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

    /** From registry options: samples (permutations), seed, segments, featureMask, baseline, internalBatch. */
    public static ShapleySampling fromOptions(ExplainedModel model, MethodOptions o) {
        return fromOptions(Predictor.of(model), o);
    }

    /** From registry options, for any black box. */
    public static ShapleySampling fromOptions(Predictor model, MethodOptions o) {
        Builder b = builder(model).permutations(MethodOptions.or(o.samples(), DEFAULT_PERMUTATIONS))
                .seed(MethodOptions.or(o.seed(), 0L))
                .segments(MethodOptions.or(o.segments(), Segmentation.DEFAULT_SEGMENTS))
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
        long total = input.dim(0);
        for (int i = 0; i < input.dim(0); i++) {
            total += 1 + (long) permutations * segments.of(input, i).count();
        }
        return total;
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
        Tensor segmentMaps = Tensor.zeros(n, 1, input.dim(2), input.dim(3));
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            Segmentation seg = segments.of(input, i);
            int m = seg.count();
            Coalitions coalitions = new Coalitions(scorer, input, i, seg, base, false);
            double empty = coalitions.scores(List.of(new boolean[m]))[0];
            double[] phi = new double[m];
            for (int r = 0; r < permutations; r++) {
                int[] order = permutation(m, rng);
                List<boolean[]> prefixes = new ArrayList<>(m);
                boolean[] on = new boolean[m];
                for (int k = 0; k < m; k++) {
                    on[order[k]] = true;
                    prefixes.add(on.clone());
                }
                double[] s = coalitions.scores(prefixes);
                double previous = empty;
                for (int k = 0; k < m; k++) {
                    phi[order[k]] += s[k] - previous;
                    previous = s[k];
                }
            }
            for (int j = 0; j < m; j++) {
                phi[j] /= permutations;
            }
            System.arraycopy(seg.paint(phi, c), 0, map.data(), i * c * hw, c * hw);
            for (int p = 0; p < hw; p++) {
                segmentMaps.data()[i * hw + p] = seg.labels()[p];
            }
        }
        Map<String, Object> params = Inputs.params("segments", segments.describe(), "permutations", permutations,
                "seed", seed, "baseline", baseline == null ? (Object) scalarBaseline : "tensor",
                "internal_batch", internalBatch);
        return Explanation.of(map, NAME, params, target, model.sha256()).withExtra("segments", segmentMaps);
    }

    /** A uniformly random permutation of 0 … m−1 (Fisher–Yates). */
    static int[] permutation(int m, SplittableRandom rng) {
        int[] p = new int[m];
        for (int k = 0; k < m; k++) {
            p[k] = k;
        }
        for (int k = m - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int t = p[k];
            p[k] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Configures {@link ShapleySampling}. Defaults: about 50 SLIC superpixels, 25 permutations, seed
     * 0, baseline 0, {@value #DEFAULT_INTERNAL_BATCH} copies per forward pass.
     */
    public static final class Builder {
        private final Predictor model;
        private Tensor mask;
        private int segments = Segmentation.DEFAULT_SEGMENTS;
        private int permutations = DEFAULT_PERMUTATIONS;
        private long seed;
        private float scalarBaseline;
        private Tensor baseline;
        private int internalBatch = DEFAULT_INTERNAL_BATCH;

        private Builder(Predictor model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        public Builder segments(int v) {
            segments = Inputs.positive(NAME, "the number of superpixels", v);
            return this;
        }

        /** Segments from group ids [1 or N, 1, H, W] instead of superpixels. */
        public Builder mask(Tensor ids) {
            mask = Objects.requireNonNull(ids, "mask");
            return this;
        }

        /** Random permutations (default 25; {@code --samples} on the command line). */
        public Builder permutations(int v) {
            permutations = Inputs.positive(NAME, "permutations (--samples)", v);
            return this;
        }

        public Builder seed(long v) {
            seed = v;
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

        public ShapleySampling build() {
            return new ShapleySampling(this);
        }
    }
}
