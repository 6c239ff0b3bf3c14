package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import java.util.List;

/**
 * The engine behind occlusion and feature ablation. For each item and each patch (a set of flat
 * element offsets within the item), Δ = y(x) − y(x with the patch set to the baseline); an element's
 * attribution is the mean Δ over the patches that contain it, and 0 when none does. Patches of one
 * item are evaluated {@link Scorer#batch()} at a time, and Δs are accumulated in patch order, so
 * the result does not depend on the batch size.
 */
final class Ablation {
    /** The patches of one item. */
    @FunctionalInterface
    interface Patches {
        List<int[]> of(int item);
    }

    private Ablation() {
    }

    /** Attributions [N, C, H, W] of x for the patches, replacing with {@code baseline} (flat, x's layout). */
    static Tensor attribute(Scorer scorer, Tensor x, float[] baseline, Patches patches) {
        int n = x.dim(0);
        int per = x.size() / n;
        int[] one = x.shape();
        one[0] = 1;
        Tensor out = Tensor.zerosLike(x);
        float[] xd = x.data();
        for (int i = 0; i < n; i++) {
            List<int[]> list = patches.of(i);
            double[] sum = new double[per];
            int[] count = new int[per];
            int base = i * per;
            for (int p0 = 0; p0 < list.size(); p0 += scorer.batch()) {
                int b = Math.min(scorer.batch(), list.size() - p0);
                int[] shape = one.clone();
                shape[0] = b;
                Tensor copies = Tensor.zeros(shape);
                float[] cd = copies.data();
                for (int j = 0; j < b; j++) {
                    System.arraycopy(xd, base, cd, j * per, per);
                    for (int e : list.get(p0 + j)) {
                        cd[j * per + e] = baseline[base + e];
                    }
                }
                float[] s = scorer.score(i, copies, false);
                for (int j = 0; j < b; j++) {
                    double delta = (double) scorer.original(i) - s[j];
                    for (int e : list.get(p0 + j)) {
                        sum[e] += delta;
                        count[e]++;
                    }
                }
            }
            float[] od = out.data();
            for (int e = 0; e < per; e++) {
                od[base + e] = count[e] == 0 ? 0f : (float) (sum[e] / count[e]);
            }
        }
        return out;
    }
}
