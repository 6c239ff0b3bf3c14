package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * The last SLIC segmentations per input array (weakly held) and item: counting a method's
     * evaluations in advance (for a progress bar) and explaining then segment each item once. An
     * entry is reused only for the same number of superpixels and the same pixel values.
     */
    private static final Map<float[], Map<Integer, Memo>> SLIC_MEMO =
            Collections.synchronizedMap(new WeakHashMap<>());

    private record Memo(int segments, int checksum, Segmentation segmentation) {
    }

    /** The segmentation of item {@code item} of x [N, C, H, W]. */
    Segmentation of(Tensor x, int item) {
        if (mask != null) {
            return Segmentation.fromMask(mask, item, x.dim(2), x.dim(3));
        }
        int checksum = checksum(x, item);
        Map<Integer, Memo> items = SLIC_MEMO.computeIfAbsent(x.data(), k -> new ConcurrentHashMap<>());
        Memo memo = items.get(item);
        if (memo != null && memo.segments() == segments && memo.checksum() == checksum) {
            return memo.segmentation();
        }
        Segmentation s = Segmentation.slic(x, item, segments);
        items.put(item, new Memo(segments, checksum, s));
        return s;
    }

    private static int checksum(Tensor x, int item) {
        int size = x.size() / x.dim(0);
        return Arrays.hashCode(Arrays.copyOfRange(x.data(), item * size, (item + 1) * size));
    }

    /** For provenance. */
    Object describe() {
        return mask != null ? "feature mask " + dev.netlens.core.tensor.Shapes.toString(mask.shape())
                : "slic(" + segments + ")";
    }
}
