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

    private final SegmentSettings settings;
    private final int permutations;

    private ShapleySampling(Builder b) {
        this.settings = b.settings();
        this.permutations = b.permutations;
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
        return builder(model).shared(o).permutations(MethodOptions.or(o.samples(), DEFAULT_PERMUTATIONS)).build();
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
            total += 1 + (long) permutations * settings.segments().of(input, i).count();
        }
        return total;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        SplittableRandom rng = new SplittableRandom(settings.seed());
        SegmentSettings.Maps maps = settings.run(input, target, false, (i, seg, coalitions) -> {
            int m = seg.count();
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
            return phi;
        });
        Map<String, Object> params = Inputs.params("segments", settings.segments().describe(), "permutations",
                permutations, "seed", settings.seed(), "baseline", settings.baselineParam(),
                "internal_batch", settings.internalBatch());
        return Explanation.of(maps.map(), NAME, params, target, settings.model().sha256())
                .withExtra("segments", maps.segments());
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
     * 0, baseline 0, 32 copies per forward pass.
     */
    public static final class Builder extends SegmentMethodBuilder<Builder> {
        private int permutations = DEFAULT_PERMUTATIONS;

        private Builder(Predictor model) {
            super(NAME, model);
        }

        /** Random permutations (default 25; {@code --samples} on the command line). */
        public Builder permutations(int v) {
            permutations = Inputs.positive(NAME, "permutations (--samples)", v);
            return this;
        }

        public ShapleySampling build() {
            return new ShapleySampling(this);
        }
    }
}
