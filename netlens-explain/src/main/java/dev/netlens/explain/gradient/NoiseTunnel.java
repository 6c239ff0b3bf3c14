package dev.netlens.explain.gradient;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Noise tunnel: any attribution method averaged over noisy copies of the input, x + N(0, σ²),
 * with σ = {@code sigma} × (max(x) − min(x)) per input item. Variants (registry names):
 * <ul>
 *   <li>{@code smoothgrad}: the mean of the n attributions (Smilkov et al. 2017);</li>
 *   <li>{@code smoothgrad-sq}: the mean of their squares;</li>
 *   <li>{@code vargrad}: their variance, E[a²] − E[a]² (Adebayo et al. 2018).</li>
 * </ul>
 *
 * <p>Smilkov, Thorat, Kim, Viégas, Wattenberg, "SmoothGrad: removing noise by adding noise",
 * ICML workshop 2017; Adebayo, Gilmer, Goodfellow, Kim, "Local Explanation Methods for Deep Neural
 * Networks Lack Sensitivity to Parameter Values", ICLR workshop 2018 (VarGrad). Captum
 * {@code NoiseTunnel} (whose {@code stdevs} is absolute; ours is the SmoothGrad paper's fraction of
 * the input range, as SPECS §A says).
 *
 * <p>Defaults: wrapped method {@link InputGradient} (the raw gradient, as in the SmoothGrad paper —
 * wrap {@link Saliency} to get Captum's {@code NoiseTunnel(Saliency(model))}, which averages
 * |gradient|); {@code samples} = 25; {@code sigma} = 0.15; {@code seed} = 0;
 * {@code internalBatch} = 16 noisy samples of every input item per call of the wrapped method.
 *
 * <p>The target is resolved once at the clean input and the same class (or unit) is explained for
 * every noisy copy. Randomness: each input item draws its noise from its own
 * {@code SplittableRandom(seed)}, so the same seed gives bit-identical results, and an item's
 * result does not depend on the batch it is explained in (items share the standard-normal draws,
 * scaled by their own σ).
 *
 * <pre>{@code
 * Attribution sg = NoiseTunnel.builder(model).samples(50).sigma(0.1f).seed(7).build();
 * Attribution captumLike = NoiseTunnel.builder(model).wrap(Saliency.of(model)).build();
 * Attribution vg = NoiseTunnel.builder(model).variant(NoiseTunnel.Variant.VARGRAD)
 *         .wrap(IntegratedGradients.builder(model).steps(20).build()).build();
 * Explanation e = sg.explain(x, Target.classes(281));
 * }</pre>
 */
public final class NoiseTunnel implements Attribution {
    /** How the n attributions are combined; {@link #id()} is the registry name. */
    public enum Variant {
        SMOOTHGRAD("smoothgrad"), SMOOTHGRAD_SQ("smoothgrad-sq"), VARGRAD("vargrad");

        private final String id;

        Variant(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Parses "smoothgrad", "smoothgrad-sq" (or "smoothgrad_sq") or "vargrad". */
        public static Variant parse(String name) {
            String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Variant v : values()) {
                if (v.id.equals(n)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown noise tunnel variant '" + name
                    + "'; valid: smoothgrad, smoothgrad-sq, vargrad");
        }
    }

    private final ExplainedModel model;
    private final Attribution inner;
    private final Variant variant;
    private final int samples;
    private final float sigma;
    private final long seed;
    private final int internalBatch;

    private NoiseTunnel(Builder b) {
        this.model = b.model;
        this.inner = b.inner != null ? b.inner : InputGradient.of(b.model);
        this.variant = b.variant;
        this.samples = b.samples;
        this.sigma = b.sigma;
        this.seed = b.seed;
        this.internalBatch = b.internalBatch;
    }

    /** A noise tunnel over {@code model}'s explanations (the model resolves predicted targets). */
    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return variant.id();
    }

    public Attribution wrapped() {
        return inner;
    }

    public Variant variant() {
        return variant;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        GradientSupport.requireBatch(input);
        Target t = GradientSupport.resolve(model, input, target).target();
        int n = input.dim(0);
        int per = input.size() / n;
        float[] x = input.data();
        double[] std = new double[n];
        SplittableRandom[] random = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int e = 0; e < per; e++) {
                lo = Math.min(lo, x[i * per + e]);
                hi = Math.max(hi, x[i * per + e]);
            }
            std[i] = (double) sigma * ((double) hi - lo);
            random[i] = new SplittableRandom(seed);
        }
        double[] sum = null;
        double[] sumSq = null;
        int[] mapShape = null;
        int mapPer = 0;
        Map<String, Object> innerParams = Map.of();
        for (int k0 = 0; k0 < samples; k0 += internalBatch) {
            int s = Math.min(internalBatch, samples - k0);
            Tensor noisy = Tensor.zeros(GradientSupport.withBatch(input.shape(), n * s));
            float[] r = noisy.data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    int dst = (i * s + j) * per;
                    for (int e = 0; e < per; e++) {
                        r[dst + e] = (float) (x[i * per + e] + std[i] * random[i].nextGaussian());
                    }
                }
            }
            Explanation e = inner.explain(noisy, t.repeatEach(s));
            Tensor a = e.map();
            if (a.dim(0) != n * s) {
                throw new IllegalStateException("the wrapped method " + inner.name() + " returned " + a.dim(0)
                        + " maps for " + n * s + " inputs");
            }
            if (sum == null) {
                mapPer = a.size() / a.dim(0);
                mapShape = GradientSupport.withBatch(a.shape(), n);
                sum = new double[n * mapPer];
                sumSq = new double[n * mapPer];
                innerParams = e.parameters();
            }
            float[] ad = a.data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    int src = (i * s + j) * mapPer;
                    int dst = i * mapPer;
                    for (int q = 0; q < mapPer; q++) {
                        double v = ad[src + q];
                        sum[dst + q] += v;
                        sumSq[dst + q] += v * v;
                    }
                }
            }
        }
        Tensor out = Tensor.zeros(mapShape);
        float[] o = out.data();
        for (int q = 0; q < o.length; q++) {
            double mean = sum[q] / samples;
            double meanSq = sumSq[q] / samples;
            o[q] = (float) switch (variant) {
                case SMOOTHGRAD -> mean;
                case SMOOTHGRAD_SQ -> meanSq;
                case VARGRAD -> Math.max(0.0, meanSq - mean * mean);
            };
        }
        Map<String, Object> params = GradientSupport.params("wrapped", inner.name(), "samples", samples,
                "sigma", sigma, "seed", seed, "internal_batch", internalBatch);
        innerParams.forEach((k, v) -> params.put(inner.name() + "." + k, v));
        return Explanation.of(out, variant.id(), params, t, model);
    }

    /** Builds a {@link NoiseTunnel}; see the class documentation for the defaults. */
    public static final class Builder {
        private final ExplainedModel model;
        private Attribution inner;
        private Variant variant = Variant.SMOOTHGRAD;
        private int samples = 25;
        private float sigma = 0.15f;
        private long seed;
        private int internalBatch = 16;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The wrapped method (default {@link InputGradient}, the raw gradient). */
        public Builder wrap(Attribution method) {
            if (method instanceof NoiseTunnel) {
                throw new IllegalArgumentException("wrapping a noise tunnel in a noise tunnel; wrap the inner method "
                        + "and raise samples instead");
            }
            this.inner = Objects.requireNonNull(method, "method");
            return this;
        }

        /** smoothgrad (default), smoothgrad-sq or vargrad. */
        public Builder variant(Variant variant) {
            this.variant = Objects.requireNonNull(variant, "variant");
            return this;
        }

        /** Number of noisy samples n (default 25, >= 1). */
        public Builder samples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Noise level as a fraction of each item's range max(x) − min(x) (default 0.15, finite, >= 0). */
        public Builder sigma(float sigma) {
            this.sigma = sigma;
            return this;
        }

        /** Random seed (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Noisy samples of every input item per call of the wrapped method (default 16, >= 1). */
        public Builder internalBatch(int internalBatch) {
            this.internalBatch = internalBatch;
            return this;
        }

        public NoiseTunnel build() {
            GradientSupport.positive(samples, "samples", " (number of noisy copies averaged)");
            if (!(sigma >= 0) || Float.isInfinite(sigma)) {
                throw new IllegalArgumentException("sigma must be a finite number >= 0 (a fraction of the input range,"
                        + " e.g. 0.15), got " + sigma);
            }
            GradientSupport.positive(internalBatch, "internalBatch", " (noisy samples per item in one call)");
            return new NoiseTunnel(this);
        }
    }
}
