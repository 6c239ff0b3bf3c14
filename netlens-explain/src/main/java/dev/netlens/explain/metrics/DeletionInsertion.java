package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;

/**
 * The deletion and insertion metrics of Petsiuk, Das and Saenko, "RISE: Randomized Input Sampling
 * for Explanation of Black-box Models", BMVC 2018 (SPECS §H). Pixels are ranked by the attribution
 * summed over channels ({@link PixelMaps}), most relevant first. <b>Deletion</b> starts from the
 * image and sets {@code step} pixels at a time (all channels) to the baseline (default 0);
 * <b>insertion</b> starts from a blurred copy (Gaussian σ = 5, 11 taps) and puts back {@code step}
 * original pixels at a time. After every step the target class's softmax probability is recorded;
 * the score is the area under that curve by the trapezoid rule on the fraction of pixels changed
 * (x from 0 to 1). Lower deletion AUC and higher insertion AUC mean a more faithful map. Default
 * step: H·W/100 pixels (23 at 48×48, so 101 steps and 102 points; the last step may be shorter).
 *
 * <pre>{@code
 * DeletionInsertion deletion = DeletionInsertion.builder(DeletionInsertion.Mode.DELETION).build();
 * Curve c = deletion.evaluate(model, image, explanation.map(), cls);   // c.auc()
 * }</pre>
 *
 * <p>Ties in the ranking are broken in a random order from {@code seed} (default 0).
 */
public final class DeletionInsertion {
    /** Which curve. */
    public enum Mode {
        /** Remove the most relevant pixels first; lower AUC is better. */
        DELETION,
        /** Insert the most relevant pixels first into a blurred copy; higher AUC is better. */
        INSERTION
    }

    private final Mode mode;
    private final int step;
    private final float baseline;
    private final double sigma;
    private final int kernel;
    private final boolean softmax;
    private final int batch;
    private final long seed;

    private DeletionInsertion(Builder b) {
        this.mode = b.mode;
        this.step = b.step;
        this.baseline = b.baseline;
        this.sigma = b.sigma;
        this.kernel = b.kernel;
        this.softmax = b.softmax;
        this.batch = b.batch;
        this.seed = b.seed;
    }

    public static Builder builder(Mode mode) {
        return new Builder(mode);
    }

    public Mode mode() {
        return mode;
    }

    /** The pixels changed per step for an H × W image. */
    public int step(int height, int width) {
        return step > 0 ? step : Math.max(1, height * width / 100);
    }

    /**
     * The curve for one image [C, H, W] or [1, C, H, W], its map (any shape {@link PixelMaps}
     * accepts; item 0) and the class explained.
     */
    public Curve evaluate(ExplainedModel model, Tensor image, Tensor map, int cls) {
        return evaluate(new ClassScorer(model, batch), image, map, cls);
    }

    /** The curve, scoring through {@code scorer}. */
    public Curve evaluate(ClassScorer scorer, Tensor image, Tensor map, int cls) {
        Tensor x = PixelMaps.single(image);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int area = h * w;
        int[] order = PixelMaps.rankDescending(PixelMaps.pixels(map, 0, h, w), seed);
        int st = step(h, w);
        int steps = (area + st - 1) / st;
        float[] original = x.data();
        float[] start;
        float[] finish;
        if (mode == Mode.DELETION) {
            start = original;
            finish = new float[original.length];
            java.util.Arrays.fill(finish, baseline);
        } else {
            start = new GaussianBlur(sigma, kernel).apply(original, c, h, w);
            finish = original;
        }
        float[] current = start.clone();
        double[] fractions = new double[steps + 1];
        float[] scores = scorer.scoreSequence(steps + 1, new int[] {c, h, w}, cls, softmax, (i, img) -> {
            if (i > 0) {
                int from = (i - 1) * st;
                int to = Math.min(area, i * st);
                for (int k = from; k < to; k++) {
                    int p = order[k];
                    for (int ch = 0; ch < c; ch++) {
                        current[ch * area + p] = finish[ch * area + p];
                    }
                }
            }
            System.arraycopy(current, 0, img, 0, current.length);
        });
        double[] s = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            fractions[i] = Math.min(area, (long) i * st) / (double) area;
            s[i] = scores[i];
        }
        return Curve.of(fractions, s);
    }

    /** Settings with documented defaults. */
    public static final class Builder {
        private final Mode mode;
        private int step;
        private float baseline;
        private double sigma = 5;
        private int kernel = 11;
        private boolean softmax = true;
        private int batch = 32;
        private long seed;

        private Builder(Mode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("mode must be DELETION or INSERTION");
            }
            this.mode = mode;
        }

        /** Pixels per step (default 0 = H·W/100). */
        public Builder step(int pixels) {
            if (pixels < 0) {
                throw new IllegalArgumentException("step must be ≥ 1 pixel (or 0 for H·W/100), got " + pixels);
            }
            this.step = pixels;
            return this;
        }

        /** The value deleted pixels get (default 0). */
        public Builder baseline(float value) {
            this.baseline = value;
            return this;
        }

        /** The insertion blur (default σ 5, 11 taps). */
        public Builder blur(double sigma, int kernelSize) {
            new GaussianBlur(sigma, kernelSize);
            this.sigma = sigma;
            this.kernel = kernelSize;
            return this;
        }

        /** Record the softmax probability (default) or, with false, the raw logit. */
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

        /** Seed of the tie-breaking order (default 0). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public DeletionInsertion build() {
            return new DeletionInsertion(this);
        }
    }
}
