package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.Predictor;
import dev.netlens.explain.shapley.CoalitionGame;
import dev.netlens.explain.shapley.KernelShapSolver;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Kernel SHAP over image segments: Shapley values of the superpixels from a weighted least-squares
 * fit with the Shapley kernel and the efficiency constraint.
 *
 * <p>Lundberg, Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017; SPECS §D.
 * The players are the segments of each item (SLIC superpixels, about 50 by default, or a user
 * feature mask); a coalition keeps its segments and sets the others to the baseline (default zeros,
 * as Captum's {@code KernelShap}); its value is the target's raw value. The solver
 * ({@link KernelShapSolver}) evaluates n coalitions (default 2048) drawn from the Shapley kernel in
 * complementary pairs, or all 2^M when 2^M ≤ n (then the values are exact), and enforces
 * Σφ = f(x) − f(baseline). The map has the input's shape (every channel of a pixel carries its
 * segment's value); extras {@code segments} [N, 1, H, W] and {@code exact} (1 when enumerated).
 */
public final class KernelShap implements Attribution, CountsEvaluations {
    public static final String NAME = "kernel-shap";
    public static final int DEFAULT_SAMPLES = 2048;
    public static final int DEFAULT_INTERNAL_BATCH = 32;

    private final Predictor model;
    private final SegmentSource segments;
    private final int samples;
    private final long seed;
    private final float scalarBaseline;
    private final Tensor baseline;
    private final int internalBatch;

    private KernelShap(Builder b) {
        this.model = b.model;
        this.segments = new SegmentSource(b.mask, b.segments);
        this.samples = b.samples;
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

    /** From registry options: samples, seed, segments, featureMask, baseline, internalBatch. */
    public static KernelShap fromOptions(ExplainedModel model, MethodOptions o) {
        return fromOptions(Predictor.of(model), o);
    }

    /** From registry options, for any black box. */
    public static KernelShap fromOptions(Predictor model, MethodOptions o) {
        Builder b = builder(model).samples(MethodOptions.or(o.samples(), DEFAULT_SAMPLES))
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
            int m = segments.of(input, i).count();
            total += m == 1 ? 2 : (m < 31 && (1L << m) <= samples ? 1L << m : 2 + 2L * Math.max(1, (samples - 2) / 2));
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
        Tensor exact = Tensor.zeros(n);
        KernelShapSolver solver = KernelShapSolver.builder().samples(samples).seed(seed).batch(scorer.batch()).build();
        for (int i = 0; i < n; i++) {
            Segmentation seg = segments.of(input, i);
            Coalitions coalitions = new Coalitions(scorer, input, i, seg, base, false);
            KernelShapSolver.Result r = solver.solve(new CoalitionGame() {
                @Override
                public int players() {
                    return seg.count();
                }

                @Override
                public double[] values(boolean[][] z) {
                    return coalitions.scores(Arrays.asList(z));
                }
            });
            System.arraycopy(seg.paint(r.values(), c), 0, map.data(), i * c * hw, c * hw);
            exact.data()[i] = r.exact() ? 1 : 0;
            for (int p = 0; p < hw; p++) {
                segmentMaps.data()[i * hw + p] = seg.labels()[p];
            }
        }
        Map<String, Object> params = Inputs.params("segments", segments.describe(), "samples", samples, "seed", seed,
                "baseline", baseline == null ? (Object) scalarBaseline : "tensor", "internal_batch", internalBatch);
        return Explanation.of(map, NAME, params, target, model.sha256()).withExtra("segments", segmentMaps)
                .withExtra("exact", exact);
    }

    /**
     * Configures {@link KernelShap}. Defaults: about 50 SLIC superpixels, 2048 coalitions, seed 0,
     * baseline 0, {@value #DEFAULT_INTERNAL_BATCH} copies per forward pass.
     */
    public static final class Builder {
        private final Predictor model;
        private Tensor mask;
        private int segments = Segmentation.DEFAULT_SEGMENTS;
        private int samples = DEFAULT_SAMPLES;
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

        /** Coalitions to evaluate (default 2048, at least 4); all 2^M when 2^M ≤ samples. */
        public Builder samples(int v) {
            if (v < 4) {
                throw new IllegalArgumentException(NAME + ": samples must be >= 4, got " + v);
            }
            samples = v;
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

        public KernelShap build() {
            return new KernelShap(this);
        }
    }
}
