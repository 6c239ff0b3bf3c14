package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.Target;
import java.util.SplittableRandom;

/**
 * Max-sensitivity of Yeh, Hsieh, Suggala, Inouye and Ravikumar, "On the (In)fidelity and Sensitivity
 * of Explanations", NeurIPS 2019, with Captum's definition ({@code captum.metrics.sensitivity_max}
 * and its defaults): n = 10 inputs x + u, u uniform in the L∞ ball of radius r = 0.02 (seeded);
 * <pre>SENS_max = max_j ‖Φ(x + u_j) − Φ(x)‖_F / ‖Φ(x)‖_F</pre>
 * (the denominator taken as 1 when Φ(x) = 0). The explained class stays the one explained at x.
 * Lower is better. The perturbed inputs are explained in one batch.
 *
 * <pre>{@code
 * double s = MaxSensitivity.builder().build().evaluate(AttributionMethods.create("saliency", model, o), image, cls);
 * }</pre>
 */
public final class MaxSensitivity {
    private final int samples;
    private final double radius;
    private final long seed;

    private MaxSensitivity(Builder b) {
        this.samples = b.samples;
        this.radius = b.radius;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Max-sensitivity of {@code method} at one image for class {@code cls}. */
    public double evaluate(Attribution method, Tensor image, int cls) {
        Tensor x = PixelMaps.single(image);
        Tensor base = method.explain(x, Target.classes(cls)).map();
        return evaluate(method, x, base, cls);
    }

    /** The same, reusing an explanation {@code map} already computed at x by {@code method}. */
    public double evaluate(Attribution method, Tensor image, Tensor map, int cls) {
        Tensor x = PixelMaps.single(image);
        int per = x.size();
        float[] data = x.data();
        SplittableRandom random = new SplittableRandom(seed);
        float[] batch = new float[samples * per];
        for (int j = 0; j < samples; j++) {
            for (int i = 0; i < per; i++) {
                batch[j * per + i] = data[i] + (float) ((random.nextDouble() * 2 - 1) * radius);
            }
        }
        int[] shape = x.shape().clone();
        shape[0] = samples;
        Tensor maps = method.explain(Tensor.of(batch, shape), Target.classes(cls)).map();
        float[] m = map.data();
        int mper = maps.size() / samples;
        if (mper != m.length) {
            throw new IllegalStateException("the method's maps have " + mper + " values per item at the perturbed"
                    + " inputs but " + m.length + " at x");
        }
        double norm = 0;
        for (float v : m) {
            norm += (double) v * v;
        }
        norm = norm == 0 ? 1 : Math.sqrt(norm);
        double max = 0;
        float[] md = maps.data();
        for (int j = 0; j < samples; j++) {
            double d = 0;
            for (int i = 0; i < mper; i++) {
                double diff = md[j * mper + i] - m[i];
                d += diff * diff;
            }
            max = Math.max(max, Math.sqrt(d) / norm);
        }
        return max;
    }

    /** Settings with documented defaults. */
    public static final class Builder {
        private int samples = 10;
        private double radius = 0.02;
        private long seed;

        private Builder() {
        }

        /** Perturbed inputs (default 10). */
        public Builder samples(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("samples must be ≥ 1, got " + v);
            }
            this.samples = v;
            return this;
        }

        /** L∞ radius of the uniform perturbation (default 0.02). */
        public Builder radius(double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("radius must be > 0, got " + v);
            }
            this.radius = v;
            return this;
        }

        /** Seed of the perturbations (default 0). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public MaxSensitivity build() {
            return new MaxSensitivity(this);
        }
    }
}
