package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.SplittableRandom;

/**
 * Explanation infidelity of Yeh, Hsieh, Suggala, Inouye and Ravikumar, "On the (In)fidelity and
 * Sensitivity of Explanations", NeurIPS 2019, with Captum's definition ({@code captum.metrics.infidelity}):
 * <pre>INFD = 1/n Σ_{j=1}^{n} (Σ_i a_i I_ij − (f(x) − f(x − I_j)))²</pre>
 * with f the class's raw output (logit) and I_j perturbations of the input's shape. Captum leaves
 * the perturbation to the caller; we use the Gaussian noise of its documentation and of Yeh et al.'s
 * experiments, I ~ N(0, σ²) per element, σ = 0.003 by default, n = 10 perturbations (Captum's
 * {@code n_perturb_samples} default). With {@code normalize} the attributions are first scaled by
 * the β that minimises the error (Captum's {@code normalize=True}), making the value invariant to
 * the map's scale. Lower is better. A map with fewer channels than the input (a CAM map) is
 * resized to H × W and applied to every channel.
 *
 * <pre>{@code
 * double infd = Infidelity.builder().build().evaluate(model, image, map, cls);
 * }</pre>
 */
public final class Infidelity {
    private final int samples;
    private final double sigma;
    private final boolean normalize;
    private final int batch;
    private final long seed;

    private Infidelity(Builder b) {
        this.samples = b.samples;
        this.sigma = b.sigma;
        this.normalize = b.normalize;
        this.batch = b.batch;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double evaluate(ExplainedModel model, Tensor image, Tensor map, int cls) {
        return evaluate(new ClassScorer(model, batch), image, map, cls);
    }

    public double evaluate(ClassScorer scorer, Tensor image, Tensor map, int cls) {
        Tensor x = PixelMaps.single(image);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int area = h * w;
        float[] attr = elementwise(map, c, h, w);
        float[] data = x.data();
        SplittableRandom random = new SplittableRandom(seed);
        double[] dot = new double[samples];
        float[][] noise = new float[samples][];
        for (int j = 0; j < samples; j++) {
            float[] n = new float[data.length];
            double d = 0;
            for (int i = 0; i < n.length; i++) {
                n[i] = (float) (random.nextGaussian() * sigma);
                d += (double) attr[i] * n[i];
            }
            noise[j] = n;
            dot[j] = d;
        }
        double fx = scorer.score(x, cls, false);
        float[] perturbed = scorer.scoreSequence(samples, new int[] {c, h, w}, cls, false, (j, img) -> {
            for (int i = 0; i < img.length; i++) {
                img[i] = data[i] - noise[j][i];
            }
        });
        double aa = 0;
        double ab = 0;
        double bb = 0;
        double mse = 0;
        for (int j = 0; j < samples; j++) {
            double diff = fx - perturbed[j];
            aa += dot[j] * dot[j];
            ab += dot[j] * diff;
            bb += diff * diff;
            mse += (dot[j] - diff) * (dot[j] - diff);
        }
        if (normalize) {
            double beta = aa == 0 ? 0 : ab / aa;
            return (beta * beta * aa - 2 * beta * ab + bb) / samples;
        }
        return mse / samples;
    }

    /** The map as one value per input element: the input's shape as is, otherwise per pixel on every channel. */
    static float[] elementwise(Tensor map, int c, int h, int w) {
        int area = h * w;
        int[] s = map.shape();
        boolean same = (s.length == 4 && s[0] == 1 && s[1] == c && s[2] == h && s[3] == w)
                || (s.length == 3 && s[0] == c && s[1] == h && s[2] == w);
        if (same) {
            return map.data();
        }
        float[] px = PixelMaps.pixels(map, 0, h, w);
        float[] out = new float[c * area];
        for (int ch = 0; ch < c; ch++) {
            System.arraycopy(px, 0, out, ch * area, area);
        }
        return out;
    }

    /** Settings with documented defaults. */
    public static final class Builder {
        private int samples = 10;
        private double sigma = 0.003;
        private boolean normalize;
        private int batch = 32;
        private long seed;

        private Builder() {
        }

        /** Perturbations per image (default 10). */
        public Builder samples(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("samples must be ≥ 1, got " + v);
            }
            this.samples = v;
            return this;
        }

        /** Standard deviation of the Gaussian perturbation (default 0.003). */
        public Builder sigma(double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("sigma must be > 0, got " + v);
            }
            this.sigma = v;
            return this;
        }

        /** Scale-invariant infidelity (Captum's normalize=True; default false). */
        public Builder normalize(boolean v) {
            this.normalize = v;
            return this;
        }

        /** Images per forward pass (default 32). */
        public Builder batch(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("batch must be ≥ 1, got " + v);
            }
            this.batch = v;
            return this;
        }

        /** Seed of the perturbations (default 0). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public Infidelity build() {
            return new Infidelity(this);
        }
    }
}
