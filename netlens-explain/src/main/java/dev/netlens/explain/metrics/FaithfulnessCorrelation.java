package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.SplittableRandom;

/**
 * Faithfulness correlation of Bhatt, Weller and Moura, "Evaluating and Aggregating Feature-based
 * Model Explanations", IJCAI 2020: for {@code subsets} random pixel subsets S of a fixed size
 * (seeded), set S to the baseline (all channels) and correlate (Pearson) the attribution summed over
 * S, Σ_{i∈S} g_i (pixel attributions summed over channels), with the score drop f(x) − f(x_S←baseline).
 * Defaults: 100 subsets of H·W/20 pixels (115 at 48×48), baseline 0, f = the class logit (as
 * Quantus' {@code FaithfulnessCorrelation} with {@code softmax=False}). Range [−1, 1], higher is
 * better; NaN when either side does not vary (e.g. an all-zero map).
 *
 * <pre>{@code
 * double rho = FaithfulnessCorrelation.builder().build().evaluate(model, image, map, cls);
 * }</pre>
 */
public final class FaithfulnessCorrelation {
    private final int subsets;
    private final int subsetSize;
    private final float baseline;
    private final boolean softmax;
    private final int batch;
    private final long seed;

    private FaithfulnessCorrelation(Builder b) {
        this.subsets = b.subsets;
        this.subsetSize = b.subsetSize;
        this.baseline = b.baseline;
        this.softmax = b.softmax;
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
        int size = subsetSize > 0 ? Math.min(subsetSize, area) : Math.max(1, area / 20);
        float[] px = PixelMaps.pixels(map, 0, h, w);
        SplittableRandom random = new SplittableRandom(seed);
        double[] attr = new double[subsets];
        int[][] chosen = new int[subsets][];
        int[] perm = new int[area];
        for (int i = 0; i < area; i++) {
            perm[i] = i;
        }
        for (int s = 0; s < subsets; s++) {
            for (int i = 0; i < size; i++) {
                int j = i + random.nextInt(area - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            chosen[s] = java.util.Arrays.copyOf(perm, size);
            double sum = 0;
            for (int p : chosen[s]) {
                sum += px[p];
            }
            attr[s] = sum;
        }
        float original = scorer.score(x, cls, softmax);
        float[] data = x.data();
        float[] scores = scorer.scoreSequence(subsets, new int[] {c, h, w}, cls, softmax, (i, img) -> {
            System.arraycopy(data, 0, img, 0, data.length);
            for (int p : chosen[i]) {
                for (int ch = 0; ch < c; ch++) {
                    img[ch * area + p] = baseline;
                }
            }
        });
        double[] drop = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            drop[s] = original - scores[s];
        }
        return Statistics.pearson(attr, drop);
    }

    /** Settings with documented defaults. */
    public static final class Builder {
        private int subsets = 100;
        private int subsetSize;
        private float baseline;
        private boolean softmax;
        private int batch = 32;
        private long seed;

        private Builder() {
        }

        /** Random subsets drawn (default 100). */
        public Builder subsets(int v) {
            if (v < 2) {
                throw new IllegalArgumentException("a correlation needs ≥ 2 subsets, got " + v);
            }
            this.subsets = v;
            return this;
        }

        /** Pixels per subset (default 0 = H·W/20). */
        public Builder subsetSize(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("subset size must be ≥ 1 (or 0 for H·W/20), got " + v);
            }
            this.subsetSize = v;
            return this;
        }

        /** The value removed pixels get (default 0). */
        public Builder baseline(float v) {
            this.baseline = v;
            return this;
        }

        /** f = logit (default) or, with true, the softmax probability. */
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

        /** Seed of the subsets (default 0). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public FaithfulnessCorrelation build() {
            return new FaithfulnessCorrelation(this);
        }
    }
}
