package dev.netlens.explain;

import dev.netlens.explain.perturbation.FeatureAblation;
import dev.netlens.explain.perturbation.Occlusion;
import dev.netlens.explain.perturbation.Rise;

/**
 * Registers the perturbation family ({@link dev.netlens.explain.perturbation}) in
 * {@link AttributionMethods}. Options read (null keeps the default):
 * <table>
 *   <caption>Registry names and options</caption>
 *   <tr><th>name</th><th>options read</th><th>defaults</th></tr>
 *   <tr><td>occlusion</td><td>window, stride, baseline, internalBatch</td>
 *       <td>window (C, ⌈H/8⌉, ⌈W/8⌉) with stride = window; with a window, stride (1, 1, 1); zeros; 32</td></tr>
 *   <tr><td>feature-ablation</td><td>baseline, internalBatch</td>
 *       <td>every element its own group (a mask is set through the builder); zeros; 32</td></tr>
 *   <tr><td>rise</td><td>samples, seed, internalBatch</td><td>4000, 0, 32</td></tr>
 * </table>
 */
public final class PerturbationMethods {
    private static boolean registered;

    private PerturbationMethods() {
    }

    /** Registers occlusion, feature-ablation and rise; idempotent. */
    public static synchronized void registerAll() {
        if (registered) {
            return;
        }
        registered = true;
        AttributionMethods.register(Occlusion.NAME, "occlusion: mean drop of the score over the windows covering "
                + "each element (--window C,H,W --stride C,H,W; Zeiler & Fergus 2014)", false, Occlusion::fromOptions);
        AttributionMethods.register(FeatureAblation.NAME, "feature ablation: drop of the score when each element "
                + "is set to the baseline (Captum FeatureAblation)", false, FeatureAblation::fromOptions);
        AttributionMethods.register(Rise.NAME, "RISE: class probability over random masks (--samples, --seed; "
                + "Petsiuk et al. 2018)", false, Rise::fromOptions);
    }
}
