package dev.netlens.explain.gradient;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * GradientSHAP / expected gradients (registry name {@code gradient-shap}): the mean over n samples
 * of (x − b) ⊙ ∂y/∂x evaluated at b + u (x + ε − b), with b drawn uniformly from a set of baselines,
 * u ~ U(0, 1) and ε ~ N(0, σ²) element-wise. It approximates SHAP values of the model when the
 * baselines are drawn from the data distribution; in expectation Σ attr = y(x) − E_b[y(b)].
 *
 * <p>Lundberg, Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017
 * (GradientSHAP); Erion, Janizek, Sturmfels, Lundberg, Lee, "Improving performance of deep
 * learning models with axiomatic attribution priors and expected gradients", Nature Machine
 * Intelligence 2021 (expected gradients). Captum {@code GradientShap}.
 *
 * <p>Defaults (Captum's, since SPECS §A gives none): {@code samples} n = 5, {@code stdev} σ = 0
 * (absolute, like Captum's {@code stdevs}; not a fraction of the range as in SmoothGrad),
 * {@code baselines} = one all-zero baseline, {@code seed} = 0, {@code internalBatch} = 16 samples
 * of every input item per forward/backward pass. Difference from Captum when σ &gt; 0: SPECS
 * multiplies by (x − b) where Captum multiplies by the noisy (x + ε − b); with the default σ = 0
 * both agree.
 *
 * <p>Randomness: each input item draws (b, u, ε) per sample from its own
 * {@code SplittableRandom(seed)}: the same seed gives bit-identical results and an item's
 * attribution does not depend on the batch it is explained in. The target is resolved once at x.
 *
 * <pre>{@code
 * Tensor background = ...;                                 // [B, C, H, W], e.g. training images
 * Attribution shap = GradientShap.builder(model).baselines(background).samples(50).seed(1).build();
 * Explanation e = shap.explain(x, Target.classes(281));
 * }</pre>
 */
public final class GradientShap implements Attribution {
    /** The registry name. */
    public static final String NAME = "gradient-shap";

    private final ExplainedModel model;
    private final int samples;
    private final float stdev;
    private final Tensor baselines;
    private final long seed;
    private final int internalBatch;

    private GradientShap(Builder b) {
        this.model = b.model;
        this.samples = b.samples;
        this.stdev = b.stdev;
        this.baselines = b.baselines;
        this.seed = b.seed;
        this.internalBatch = b.internalBatch;
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        GradientSupport.requireBatch(input);
        int n = input.dim(0);
        int per = input.size() / n;
        Tensor set = baselines;
        int[] item = Arrays.copyOfRange(input.shape(), 1, input.rank());
        if (set == null) {
            set = Tensor.zeros(GradientSupport.withBatch(input.shape(), 1));
        } else if (!Arrays.equals(Arrays.copyOfRange(set.shape(), 1, set.rank()), item)) {
            throw new IllegalArgumentException("the baselines have shape " + Shapes.toString(set.shape())
                    + "; they must be a batch [B, …] of items shaped like the input's, " + Shapes.toString(item));
        }
        int nb = set.dim(0);
        float[] bd = set.data();
        float[] x = input.data();
        GradientSupport.Resolved r = GradientSupport.resolve(model, input, target);
        Target t = r.target();
        SplittableRandom[] random = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            random[i] = new SplittableRandom(seed);
        }
        double[] acc = new double[n * per];
        for (int k0 = 0; k0 < samples; k0 += internalBatch) {
            int s = Math.min(internalBatch, samples - k0);
            Tensor rows = Tensor.zeros(GradientSupport.withBatch(input.shape(), n * s));
            float[] rd = rows.data();
            int[] chosen = new int[n * s];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    int b = random[i].nextInt(nb);
                    float u = (float) random[i].nextDouble();
                    chosen[i * s + j] = b;
                    int dst = (i * s + j) * per;
                    for (int e = 0; e < per; e++) {
                        float base = bd[b * per + e];
                        float noisy = stdev == 0f ? x[i * per + e]
                                : (float) (x[i * per + e] + stdev * random[i].nextGaussian());
                        rd[dst + e] = base + u * (noisy - base);
                    }
                }
            }
            Tensor g = Gradients.input(r.model(), rows, t.repeatEach(s), Composite.NONE).gradient();
            float[] gd = g.data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    int b = chosen[i * s + j];
                    int src = (i * s + j) * per;
                    for (int e = 0; e < per; e++) {
                        acc[i * per + e] += ((double) x[i * per + e] - bd[b * per + e]) * gd[src + e];
                    }
                }
            }
        }
        Tensor out = Tensor.zerosLike(input);
        float[] o = out.data();
        for (int q = 0; q < o.length; q++) {
            o[q] = (float) (acc[q] / samples);
        }
        Map<String, Object> params = GradientSupport.params("samples", samples, "stdev", stdev,
                "baselines", baselines == null ? "zeros" : nb + " given", "seed", seed, "internal_batch", internalBatch);
        return Explanation.of(out, NAME, params, t, model);
    }

    /** Builds a {@link GradientShap}; see the class documentation for the defaults. */
    public static final class Builder {
        private final ExplainedModel model;
        private int samples = 5;
        private float stdev;
        private Tensor baselines;
        private long seed;
        private int internalBatch = 16;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Number of samples n (default 5, >= 1). */
        public Builder samples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Standard deviation σ of the input noise ε, absolute (default 0, finite, >= 0). */
        public Builder stdev(float stdev) {
            this.stdev = stdev;
            return this;
        }

        /** The baseline set [B, …] (items shaped like the input's); default null = one zero baseline. */
        public Builder baselines(Tensor baselines) {
            this.baselines = baselines;
            return this;
        }

        /** Random seed (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Samples of every input item per forward/backward pass (default 16, >= 1). */
        public Builder internalBatch(int internalBatch) {
            this.internalBatch = internalBatch;
            return this;
        }

        public GradientShap build() {
            GradientSupport.positive(samples, "samples", " (number of baseline/interpolation draws)");
            if (!(stdev >= 0) || Float.isInfinite(stdev)) {
                throw new IllegalArgumentException("stdev must be a finite number >= 0 (absolute noise level), got "
                        + stdev);
            }
            if (baselines != null && (baselines.rank() < 1 || baselines.dim(0) < 1)) {
                throw new IllegalArgumentException("the baselines must be a non-empty batch [B, …], got shape "
                        + Shapes.toString(baselines.shape()));
            }
            GradientSupport.positive(internalBatch, "internalBatch", " (samples per item in one pass)");
            return new GradientShap(this);
        }
    }
}
