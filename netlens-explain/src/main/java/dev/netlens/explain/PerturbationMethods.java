package dev.netlens.explain;

import dev.netlens.explain.blackbox.Predictor;
import dev.netlens.explain.perturbation.FeatureAblation;
import dev.netlens.explain.perturbation.KernelShap;
import dev.netlens.explain.perturbation.Lime;
import dev.netlens.explain.perturbation.Occlusion;
import dev.netlens.explain.perturbation.Rise;
import dev.netlens.explain.perturbation.ShapleySampling;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registers the perturbation family ({@link dev.netlens.explain.perturbation}) in
 * {@link AttributionMethods}. Options read (null keeps the default):
 * <table>
 *   <caption>Registry names and options</caption>
 *   <tr><th>name</th><th>options read</th><th>defaults</th></tr>
 *   <tr><td>occlusion</td><td>window, stride, baseline, internalBatch</td>
 *       <td>window (C, ⌈H/8⌉, ⌈W/8⌉) with stride = window; with a window, stride (1, 1, 1); zeros; 32</td></tr>
 *   <tr><td>feature-ablation</td><td>featureMask, baseline, internalBatch</td>
 *       <td>every element its own group; zeros; 32</td></tr>
 *   <tr><td>rise</td><td>samples, seed, internalBatch</td><td>4000, 0, 32</td></tr>
 *   <tr><td>lime</td><td>samples, seed, segments, featureMask, sigma (kernel width), baseline, internalBatch</td>
 *       <td>1000, 0, 50 SLIC superpixels, 0.25, zeros, 32</td></tr>
 *   <tr><td>kernel-shap</td><td>samples, seed, segments, featureMask, baseline, internalBatch</td>
 *       <td>2048 (exact enumeration when 2^M ≤ samples), 0, 50 SLIC superpixels, zeros, 32</td></tr>
 *   <tr><td>shapley-sampling</td><td>samples (permutations), seed, segments, featureMask, baseline, internalBatch</td>
 *       <td>25, 0, 50 SLIC superpixels, zeros, 32</td></tr>
 * </table>
 * These methods only query the model, so {@link #create(String, Predictor, MethodOptions)} also
 * makes them for any black box (e.g. ONNX Runtime).
 */
public final class PerturbationMethods {
    /** Makes a configured method for a black box. */
    @FunctionalInterface
    public interface PredictorFactory {
        Attribution create(Predictor model, MethodOptions options);
    }

    private static final Map<String, PredictorFactory> BLACK_BOX = new TreeMap<>();
    private static boolean registered;

    private PerturbationMethods() {
    }

    /** Registers occlusion, feature-ablation and rise; idempotent. */
    public static synchronized void registerAll() {
        if (registered) {
            return;
        }
        registered = true;
        BLACK_BOX.put(Occlusion.NAME, Occlusion::fromOptions);
        BLACK_BOX.put(FeatureAblation.NAME, FeatureAblation::fromOptions);
        BLACK_BOX.put(Rise.NAME, Rise::fromOptions);
        BLACK_BOX.put(Lime.NAME, Lime::fromOptions);
        BLACK_BOX.put(ShapleySampling.NAME, ShapleySampling::fromOptions);
        BLACK_BOX.put(KernelShap.NAME, KernelShap::fromOptions);
        AttributionMethods.register(KernelShap.NAME, "Kernel SHAP over superpixels: Shapley-kernel weighted least "
                + "squares with Σφ = f(x) − f(baseline) (--samples, --segments, --feature-mask, --seed; Lundberg & Lee "
                + "2017)", false, KernelShap::fromOptions);
        AttributionMethods.register(Lime.NAME, "LIME: weighted ridge fit over superpixels on/off (--samples, --segments, "
                + "--feature-mask, --seed; Ribeiro et al. 2016)", false, Lime::fromOptions);
        AttributionMethods.register(ShapleySampling.NAME, "Shapley value sampling over superpixels (--samples "
                + "permutations, --segments, --feature-mask, --seed; Castro et al. 2009)", false, ShapleySampling::fromOptions);
        AttributionMethods.register(Occlusion.NAME, "occlusion: mean drop of the score over the windows covering "
                + "each element (--window C,H,W --stride C,H,W; Zeiler & Fergus 2014)", false, Occlusion::fromOptions);
        AttributionMethods.register(FeatureAblation.NAME, "feature ablation: drop of the score when each element "
                + "is set to the baseline (Captum FeatureAblation)", false, FeatureAblation::fromOptions);
        AttributionMethods.register(Rise.NAME, "RISE: class probability over random masks (--samples, --seed; "
                + "Petsiuk et al. 2018)", false, Rise::fromOptions);
    }

    /** The model-agnostic method names (those {@link #create(String, Predictor, MethodOptions)} knows). */
    public static synchronized java.util.Set<String> modelAgnostic() {
        registerAll();
        return Collections.unmodifiableSet(BLACK_BOX.keySet());
    }

    /** A model-agnostic method for a black box; other names fail listing the valid ones. */
    public static synchronized Attribution create(String name, Predictor model, MethodOptions options) {
        registerAll();
        PredictorFactory f = BLACK_BOX.get(name);
        if (f == null) {
            throw new IllegalArgumentException("method '" + name + "' needs the netlens engine (gradients or layers); "
                    + "with a black-box backend use one of " + BLACK_BOX.keySet());
        }
        return f.create(model, options);
    }
}
