package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.Predictor;

/**
 * The frozen shared settings of a segment method and the per-item loop they all run: segment the
 * item, compute one value per segment, paint the values on the segment's pixels (every channel)
 * and record the segment map.
 */
record SegmentSettings(String method, Predictor model, SegmentSource segments, long seed, float scalarBaseline,
                       Tensor baseline, int internalBatch) {

    /** One value per segment of item {@code item}, from coalitions of its segments. */
    @FunctionalInterface
    interface PerItem {
        double[] values(int item, Segmentation segmentation, Coalitions coalitions);
    }

    /** A map of the input's shape plus the "segments" map [N, 1, H, W]. */
    record Maps(Tensor map, Tensor segments) {
    }

    /** Runs {@code perItem} on every item; coalitions score class probabilities when {@code softmax} (class targets only). */
    Maps run(Tensor input, Target target, boolean softmax, PerItem perItem) {
        Inputs.requireImageBatch(method, input);
        int n = input.dim(0);
        int c = input.dim(1);
        int hw = input.dim(2) * input.dim(3);
        float[] base = Inputs.baseline(method, input, baseline, scalarBaseline);
        Scorer scorer = Scorer.at(model, input, target, internalBatch);
        Tensor map = Tensor.zerosLike(input);
        Tensor segmentMaps = Tensor.zeros(n, 1, input.dim(2), input.dim(3));
        for (int i = 0; i < n; i++) {
            Segmentation seg = segments.of(input, i);
            Coalitions coalitions = new Coalitions(scorer, input, i, seg, base, softmax && scorer.isClassTarget());
            System.arraycopy(seg.paint(perItem.values(i, seg, coalitions), c), 0, map.data(), i * c * hw, c * hw);
            for (int p = 0; p < hw; p++) {
                segmentMaps.data()[i * hw + p] = seg.labels()[p];
            }
        }
        return new Maps(map, segmentMaps);
    }

    /** The baseline for provenance: the scalar, or "tensor". */
    Object baselineParam() {
        return baseline == null ? (Object) scalarBaseline : "tensor";
    }
}
