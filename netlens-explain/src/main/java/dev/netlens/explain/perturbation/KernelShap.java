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

    private final SegmentSettings settings;
    private final int samples;

    private KernelShap(Builder b) {
        this.settings = b.settings();
        this.samples = b.samples;
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
        return builder(model).shared(o).samples(MethodOptions.or(o.samples(), DEFAULT_SAMPLES)).build();
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
            int m = settings.segments().of(input, i).count();
            total += m == 1 ? 2 : (m < 31 && (1L << m) <= samples ? 1L << m : 2 + 2L * Math.max(1, (samples - 2) / 2));
        }
        return total;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        Tensor exact = Tensor.zeros(input.dim(0));
        KernelShapSolver solver = KernelShapSolver.builder().samples(samples).seed(settings.seed())
                .batch(settings.internalBatch()).build();
        SegmentSettings.Maps maps = settings.run(input, target, false, (i, seg, coalitions) -> {
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
            exact.data()[i] = r.exact() ? 1 : 0;
            return r.values();
        });
        Map<String, Object> params = Inputs.params("segments", settings.segments().describe(), "samples", samples,
                "seed", settings.seed(), "baseline", settings.baselineParam(), "internal_batch", settings.internalBatch());
        return Explanation.of(maps.map(), NAME, params, target, settings.model().sha256())
                .withExtra("segments", maps.segments()).withExtra("exact", exact);
    }

    /**
     * Configures {@link KernelShap}. Defaults: about 50 SLIC superpixels, 2048 coalitions, seed 0,
     * baseline 0, 32 copies per forward pass.
     */
    public static final class Builder extends SegmentMethodBuilder<Builder> {
        private int samples = DEFAULT_SAMPLES;

        private Builder(Predictor model) {
            super(NAME, model);
        }

        /** Coalitions to evaluate (default 2048, at least 4); all 2^M when 2^M ≤ samples. */
        public Builder samples(int v) {
            if (v < 4) {
                throw new IllegalArgumentException(NAME + ": samples must be >= 4, got " + v);
            }
            samples = v;
            return this;
        }

        public KernelShap build() {
            return new KernelShap(this);
        }
    }
}
