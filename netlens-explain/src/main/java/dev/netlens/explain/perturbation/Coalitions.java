package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import java.util.List;

/**
 * Scores coalitions of segments of one item: a coalition z ∈ {0,1}^M keeps the segments with
 * z_j = 1 and replaces the pixels (all channels) of the others by the baseline. Coalitions are
 * evaluated {@link Scorer#batch()} at a time, in order, so results do not depend on the batch size.
 */
final class Coalitions {
    private final Scorer scorer;
    private final Tensor x;
    private final int item;
    private final Segmentation segments;
    private final float[] baseline;
    private final boolean softmax;
    private int evaluated;

    /** {@code baseline} is flat in x's layout (all items); {@code softmax} scores class probabilities. */
    Coalitions(Scorer scorer, Tensor x, int item, Segmentation segments, float[] baseline, boolean softmax) {
        this.scorer = scorer;
        this.x = x;
        this.item = item;
        this.segments = segments;
        this.baseline = baseline;
        this.softmax = softmax;
    }

    /** Number of segments M. */
    int size() {
        return segments.count();
    }

    /** Coalitions scored so far (forward-pass inputs). */
    int evaluated() {
        return evaluated;
    }

    /** The target's score for each coalition, in order. */
    double[] scores(List<boolean[]> coalitions) {
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        int per = c * hw;
        int[] labels = segments.labels();
        float[] xd = x.data();
        double[] out = new double[coalitions.size()];
        for (int from = 0; from < coalitions.size(); from += scorer.batch()) {
            int b = Math.min(scorer.batch(), coalitions.size() - from);
            Tensor copies = Tensor.zeros(b, c, x.dim(2), x.dim(3));
            float[] cd = copies.data();
            for (int j = 0; j < b; j++) {
                boolean[] z = coalitions.get(from + j);
                if (z.length != segments.count()) {
                    throw new IllegalArgumentException("a coalition over " + segments.count() + " segments has "
                            + z.length + " entries");
                }
                int dst = j * per;
                int src = item * per;
                for (int ch = 0; ch < c; ch++) {
                    int o = ch * hw;
                    for (int p = 0; p < hw; p++) {
                        cd[dst + o + p] = z[labels[p]] ? xd[src + o + p] : baseline[src + o + p];
                    }
                }
            }
            float[] s = scorer.score(item, copies, softmax);
            for (int j = 0; j < b; j++) {
                out[from + j] = s[j];
            }
            evaluated += b;
        }
        return out;
    }
}
