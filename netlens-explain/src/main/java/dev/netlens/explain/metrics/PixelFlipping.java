package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.SplittableRandom;

/**
 * Region perturbation ("pixel flipping") and its summary AOPC, after Samek, Binder, Montavon,
 * Lapuschkin and Müller, "Evaluating the Visualization of What a Deep Neural Network Has Learned",
 * IEEE TNNLS 2017. The image is cut into non-overlapping {@code region × region} squares, ranked by
 * the attribution summed inside them (most relevant first, MoRF). Step k replaces the pixels of
 * the k-th region (all channels) by values drawn uniformly from the image's [min, max] range
 * (seeded), cumulatively; f is the class score after each step, and
 * <pre>AOPC = 1/(L+1) Σ_{k=0}^{L} (f(x⁰) − f(x^k))</pre>
 * Higher AOPC means the map found the regions the model depends on. Defaults: 4×4 regions, L = 25
 * steps (≈ 17 % of a 48×48 image, the share Samek et al. perturb with 100 9×9 regions at 224²),
 * softmax probability as f (false: logit).
 *
 * <pre>{@code
 * PixelFlipping.Result r = PixelFlipping.builder().build().evaluate(model, image, map, cls);  // r.aopc()
 * }</pre>
 */
public final class PixelFlipping {
    /**
     * @param aopc the area over the MoRF perturbation curve
     * @param curve the score after 0, 1, …, L steps (fractions = share of the image perturbed)
     */
    public record Result(double aopc, Curve curve) {
    }

    private final int region;
    private final int steps;
    private final boolean softmax;
    private final int batch;
    private final long seed;

    private PixelFlipping(Builder b) {
        this.region = b.region;
        this.steps = b.steps;
        this.softmax = b.softmax;
        this.batch = b.batch;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Result evaluate(ExplainedModel model, Tensor image, Tensor map, int cls) {
        return evaluate(new ClassScorer(model, batch), image, map, cls);
    }

    public Result evaluate(ClassScorer scorer, Tensor image, Tensor map, int cls) {
        Tensor x = PixelMaps.single(image);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int area = h * w;
        float[] px = PixelMaps.pixels(map, 0, h, w);
        int rows = (h + region - 1) / region;
        int cols = (w + region - 1) / region;
        float[] regionSum = new float[rows * cols];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                regionSum[(y / region) * cols + xx / region] += px[y * w + xx];
            }
        }
        int[] order = PixelMaps.rankDescending(regionSum, seed);
        int l = Math.min(steps, order.length);
        float[] data = x.data();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : data) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float low = lo;
        float range = hi - lo;
        SplittableRandom random = new SplittableRandom(seed);
        float[] current = data.clone();
        double[] fractions = new double[l + 1];
        int[] changed = {0};
        float[] scores = scorer.scoreSequence(l + 1, new int[] {c, h, w}, cls, softmax, (i, img) -> {
            if (i > 0) {
                int r = order[i - 1];
                int y0 = (r / cols) * region;
                int x0 = (r % cols) * region;
                for (int y = y0; y < Math.min(h, y0 + region); y++) {
                    for (int xx = x0; xx < Math.min(w, x0 + region); xx++) {
                        changed[0]++;
                        for (int ch = 0; ch < c; ch++) {
                            current[ch * area + y * w + xx] = low + range * (float) random.nextDouble();
                        }
                    }
                }
            }
            fractions[i] = changed[0] / (double) area;
            System.arraycopy(current, 0, img, 0, current.length);
        });
        double[] s = new double[l + 1];
        double sum = 0;
        for (int i = 0; i <= l; i++) {
            s[i] = scores[i];
            sum += scores[0] - scores[i];
        }
        return new Result(sum / (l + 1), Curve.of(fractions, s));
    }

    /** Settings with documented defaults. */
    public static final class Builder {
        private int region = 4;
        private int steps = 25;
        private boolean softmax = true;
        private int batch = 32;
        private long seed;

        private Builder() {
        }

        /** Side of the square regions in pixels (default 4). */
        public Builder region(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("region must be ≥ 1 pixel, got " + v);
            }
            this.region = v;
            return this;
        }

        /** Regions perturbed, L (default 25; capped at the number of regions). */
        public Builder steps(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("steps must be ≥ 1, got " + v);
            }
            this.steps = v;
            return this;
        }

        /** f = softmax probability (default) or, with false, the logit. */
        public Builder softmax(boolean v) {
            this.softmax = v;
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

        /** Seed of the replacement values and of tie-breaking (default 0). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public PixelFlipping build() {
            return new PixelFlipping(this);
        }
    }
}
