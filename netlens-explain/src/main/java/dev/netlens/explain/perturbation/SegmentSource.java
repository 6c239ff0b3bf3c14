package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;

/**
 * Where the segments of LIME, Kernel SHAP and Shapley sampling come from: a user feature mask
 * [1 or N, 1, H, W] of group ids, or else SLIC superpixels of each item (about {@code segments}).
 */
record SegmentSource(Tensor mask, int segments) {
    SegmentSource {
        if (mask == null && segments < 1) {
            throw new IllegalArgumentException("the number of superpixels must be >= 1, got " + segments);
        }
    }

    /** The segmentation of item {@code item} of x [N, C, H, W]. */
    Segmentation of(Tensor x, int item) {
        return mask != null ? Segmentation.fromMask(mask, item, x.dim(2), x.dim(3))
                : Segmentation.slic(x, item, segments);
    }

    /** For provenance. */
    Object describe() {
        return mask != null ? "feature mask " + dev.netlens.core.tensor.Shapes.toString(mask.shape())
                : "slic(" + segments + ")";
    }
}
