package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.Predictor;
import java.util.Map;
import java.util.Objects;

/**
 * RISE: the saliency of a pixel is the expected class probability over random masks that keep it.
 *
 * <p>Petsiuk, Das, Saenko, "RISE: Randomized Input Sampling for Explanation of Black-box Models",
 * BMVC 2018. With n masks M_i (SPECS §D; see below), S = (1 / (n·p)) Σ_i softmax(f(x ⊙ M_i))[t] · M_i,
 * t being the target class resolved once at x. Masks: an s × s grid (s = 8) of Bernoulli(p = 0.5)
 * cells, upsampled bilinearly to (s+1)·⌈H/s⌉ (half-pixel coordinates, edges clamped), shifted by a
 * random offset below one cell and cropped to H × W; each mask multiplies every channel. The same n
 * masks, drawn from {@code seed}, serve every batch item; the result is deterministic for a seed and
 * independent of {@code internalBatch}. Targets other than a class (e.g. a neuron) use the target's
 * raw value in place of the probability, as does {@code softmax(false)}.
 *
 * <p>The map is H × W; it is returned repeated over the input's channels, [N, C, H, W], like every
 * input attribution.
 *
 * <pre>{@code
 * Rise rise = Rise.builder(model).samples(4000).seed(7).internalBatch(64).build();
 * Tensor s = rise.explain(images, Target.classes(281)).map();   // [N, C, H, W], equal over C
 * }</pre>
 */
public final class Rise implements Attribution, CountsEvaluations {
    public static final String NAME = "rise";
    public static final int DEFAULT_SAMPLES = 4000;
    public static final int DEFAULT_CELLS = 8;
    public static final double DEFAULT_P = 0.5;
    public static final int DEFAULT_INTERNAL_BATCH = 32;

    private final Predictor model;
    private final int samples;
    private final int cells;
    private final double p;
    private final long seed;
    private final boolean softmax;
    private final int internalBatch;

    private Rise(Builder b) {
        this.model = b.model;
        this.samples = b.samples;
        this.cells = b.cells;
        this.p = b.p;
        this.seed = b.seed;
        this.softmax = b.softmax;
        this.internalBatch = b.internalBatch;
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(Predictor.of(model));
    }

    /** A builder for any black box (e.g. an {@link dev.netlens.explain.blackbox.OnnxRuntimePredictor}). */
    public static Builder builder(Predictor model) {
        return new Builder(model);
    }

    /** From registry options: samples, seed, internalBatch. */
    public static Rise fromOptions(ExplainedModel model, MethodOptions o) {
        return fromOptions(Predictor.of(model), o);
    }

    /** From registry options, for any black box. */
    public static Rise fromOptions(Predictor model, MethodOptions o) {
        return builder(model).samples(MethodOptions.or(o.samples(), DEFAULT_SAMPLES))
                .seed(MethodOptions.or(o.seed(), 0L))
                .internalBatch(MethodOptions.or(o.internalBatch(), DEFAULT_INTERNAL_BATCH)).build();
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
        int h = input.dim(2);
        int w = input.dim(3);
        int hw = h * w;
        Scorer scorer = Scorer.at(model, input, target, internalBatch);
        boolean probabilities = softmax && scorer.isClassTarget();
        RiseMasks masks = new RiseMasks(seed, cells, p, h, w);
        double[] sal = new double[n * hw];
        float[] xd = input.data();
        int batch = scorer.batch();
        float[] m = new float[batch * hw];
        for (int i0 = 0; i0 < samples; i0 += batch) {
            int b = Math.min(batch, samples - i0);
            for (int j = 0; j < b; j++) {
                masks.next(m, j * hw);
            }
            for (int i = 0; i < n; i++) {
                Tensor copies = Tensor.zeros(b, c, h, w);
                float[] cd = copies.data();
                for (int j = 0; j < b; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        int src = (i * c + ch) * hw;
                        int dst = (j * c + ch) * hw;
                        for (int q = 0; q < hw; q++) {
                            cd[dst + q] = xd[src + q] * m[j * hw + q];
                        }
                    }
                }
                float[] s = scorer.score(i, copies, probabilities);
                for (int j = 0; j < b; j++) {
                    for (int q = 0; q < hw; q++) {
                        sal[i * hw + q] += (double) s[j] * m[j * hw + q];
                    }
                }
            }
        }
        Tensor map = Tensor.zeros(n, c, h, w);
        float[] md = map.data();
        double scale = 1.0 / (samples * p);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int q = 0; q < hw; q++) {
                    md[(i * c + ch) * hw + q] = (float) (sal[i * hw + q] * scale);
                }
            }
        }
        Map<String, Object> params = Inputs.params("samples", samples, "cells", cells, "p", p, "seed", seed,
                "softmax", probabilities, "internal_batch", internalBatch);
        return Explanation.of(map, NAME, params, target, model.sha256());
    }

    /**
     * Configures {@link Rise}. Defaults: {@code samples} {@value #DEFAULT_SAMPLES}, {@code cells}
     * {@value #DEFAULT_CELLS}, {@code p} 0.5, {@code seed} 0, {@code softmax} true,
     * {@code internalBatch} {@value #DEFAULT_INTERNAL_BATCH}.
     */
    public static final class Builder {
        private final Predictor model;
        private int samples = DEFAULT_SAMPLES;
        private int cells = DEFAULT_CELLS;
        private double p = DEFAULT_P;
        private long seed;
        private boolean softmax = true;
        private int internalBatch = DEFAULT_INTERNAL_BATCH;

        private Builder(Predictor model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Number of masks n (default 4000), >= 1. */
        public Builder samples(int v) {
            samples = Inputs.positive(NAME, "samples (number of masks)", v);
            return this;
        }

        /** Grid size s (default 8), >= 1. */
        public Builder cells(int v) {
            cells = Inputs.positive(NAME, "cells (mask grid size s)", v);
            return this;
        }

        /** Probability p that a grid cell is kept (default 0.5), in (0, 1]. */
        public Builder p(double v) {
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException("rise: p (the probability of keeping a cell) must be in (0, 1], got "
                        + v);
            }
            p = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Weight masks by the class probability (default true) or by the raw target value (false). */
        public Builder softmax(boolean v) {
            softmax = v;
            return this;
        }

        /** Masked copies per forward pass (default 32), >= 1. */
        public Builder internalBatch(int v) {
            internalBatch = Inputs.positive(NAME, "internalBatch (masked copies per forward pass)", v);
            return this;
        }

        public Rise build() {
            return new Rise(this);
        }
    }
}
