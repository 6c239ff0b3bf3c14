package dev.netlens.dissect;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What Network Dissection (Bau et al. 2017) says about one unit (channel) of a layer.
 *
 * @param unit the channel index (0-based, as in {@link dev.netlens.core.graph.Interventions})
 * @param threshold T_k, the estimated top-quantile of the unit's activations
 * @param thresholdRankError an upper bound on the threshold's quantile-rank error
 *     ({@link QuantileSketch#rankErrorBound})
 * @param best the concept with the highest IoU over all categories (null when there are no concepts)
 * @param bestPerCategory for each category (dataset order), its highest-IoU concept (null when the
 *     category has no concepts)
 * @param detector whether {@code best.iou()} exceeds the IoU threshold
 * @param topImages dataset indices of the images with the largest maximum activation, best first
 * @param topActivations those maximum activations
 */
public record UnitDissection(int unit, float threshold, double thresholdRankError, ConceptScore best,
                             Map<String, ConceptScore> bestPerCategory, boolean detector, int[] topImages,
                             float[] topActivations) {
    public UnitDissection {
        bestPerCategory = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bestPerCategory));
        topImages = topImages.clone();
        topActivations = topActivations.clone();
    }

    /** The categories in order. */
    public List<String> categories() {
        return List.copyOf(bestPerCategory.keySet());
    }

    @Override
    public int[] topImages() {
        return topImages.clone();
    }

    @Override
    public float[] topActivations() {
        return topActivations.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitDissection u && u.unit == unit && Float.compare(u.threshold, threshold) == 0
                && Double.compare(u.thresholdRankError, thresholdRankError) == 0
                && java.util.Objects.equals(u.best, best) && u.bestPerCategory.equals(bestPerCategory)
                && u.detector == detector && Arrays.equals(u.topImages, topImages)
                && Arrays.equals(u.topActivations, topActivations);
    }

    @Override
    public int hashCode() {
        return unit * 31 + Float.hashCode(threshold);
    }

    @Override
    public String toString() {
        return "unit " + unit + ": " + (best == null ? "-" : best.label() + " (" + best.category() + ", IoU "
                + String.format(java.util.Locale.ROOT, "%.4f", best.iou()) + ")") + (detector ? " detector" : "");
    }
}
