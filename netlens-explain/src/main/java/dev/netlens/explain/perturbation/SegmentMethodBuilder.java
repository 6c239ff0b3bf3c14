package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.blackbox.Predictor;
import java.util.Objects;

/**
 * The settings LIME, Kernel SHAP and Shapley sampling share — segments (about 50 SLIC superpixels,
 * or a feature mask), seed (0), baseline (0) and copies per forward pass (32) — with their setters
 * and their reading from registry options.
 *
 * @param <B> the concrete builder
 */
public abstract class SegmentMethodBuilder<B extends SegmentMethodBuilder<B>> {
    /** Default number of perturbed copies per forward pass. */
    public static final int DEFAULT_INTERNAL_BATCH = 32;

    final String method;
    final Predictor model;
    Tensor mask;
    int segments = Segmentation.DEFAULT_SEGMENTS;
    long seed;
    float scalarBaseline;
    Tensor baseline;
    int internalBatch = DEFAULT_INTERNAL_BATCH;

    SegmentMethodBuilder(String method, Predictor model) {
        this.method = method;
        this.model = Objects.requireNonNull(model, "model");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** About this many SLIC superpixels per item (default 50). */
    public B segments(int v) {
        segments = Inputs.positive(method, "the number of superpixels", v);
        return self();
    }

    /** Segments from group ids [1 or N, 1, H, W] instead of superpixels. */
    public B mask(Tensor ids) {
        mask = Objects.requireNonNull(ids, "mask");
        return self();
    }

    public B seed(long v) {
        seed = v;
        return self();
    }

    /** A scalar baseline for the pixels of "off" segments (default 0). */
    public B baseline(float v) {
        scalarBaseline = v;
        baseline = null;
        return self();
    }

    /** A baseline tensor: the input's shape, batch 1, or one element. */
    public B baseline(Tensor v) {
        baseline = Objects.requireNonNull(v, "baseline");
        return self();
    }

    /** Perturbed copies per forward pass (default 32). */
    public B internalBatch(int v) {
        internalBatch = Inputs.positive(method, "internalBatch (copies per forward pass)", v);
        return self();
    }

    /** Reads seed, segments, featureMask, baseline and internalBatch from registry options. */
    B shared(MethodOptions o) {
        seed(MethodOptions.or(o.seed(), 0L));
        segments(MethodOptions.or(o.segments(), Segmentation.DEFAULT_SEGMENTS));
        internalBatch(MethodOptions.or(o.internalBatch(), DEFAULT_INTERNAL_BATCH));
        if (o.featureMask() != null) {
            mask(o.featureMask());
        }
        if (o.baseline() != null) {
            baseline(o.baseline());
        }
        return self();
    }

    /** The shared settings, frozen for a built method. */
    SegmentSettings settings() {
        return new SegmentSettings(method, model, new SegmentSource(mask, segments), seed, scalarBaseline, baseline,
                internalBatch);
    }
}
