package dev.netlens.explain;

import dev.netlens.core.tensor.Tensor;

/**
 * Options of an attribution method as the registry and the CLI pass them; null means "the
 * method's default". Each method reads the options it knows and documents its defaults.
 *
 * @param layer layer (value name) for CAM and layer methods
 * @param steps integration steps (integrated gradients)
 * @param integration "gausslegendre" (default), "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid"
 * @param baseline a baseline tensor, or null for zeros
 * @param composite LRP composite name
 * @param samples samples (SmoothGrad, GradientSHAP, RISE, LIME, …)
 * @param sigma noise level (SmoothGrad: fraction of the input range)
 * @param window occlusion window (C, H, W)
 * @param stride occlusion stride (C, H, W)
 * @param seed random seed
 * @param internalBatch items per forward/backward batch
 * @param upsample CAM maps resized to the input size
 * @param noRelu CAM maps keep their sign
 * @param reluOnly guided backprop / deconvnet only on Relu nodes (Captum's behaviour)
 * @param featureMask group ids [1 or N, 1 or C, H, W] (feature ablation, LIME, Kernel SHAP, Shapley sampling)
 * @param segments number of superpixels asked of the segmentation (LIME, Kernel SHAP, Shapley sampling)
 */
public record MethodOptions(String layer, Integer steps, String integration, Tensor baseline, String composite,
                            Integer samples, Float sigma, int[] window, int[] stride, Long seed,
                            Integer internalBatch, boolean upsample, boolean noRelu, boolean reluOnly,
                            Tensor featureMask, Integer segments) {

    /** Options without a feature mask or segment count. */
    public MethodOptions(String layer, Integer steps, String integration, Tensor baseline, String composite,
                         Integer samples, Float sigma, int[] window, int[] stride, Long seed,
                         Integer internalBatch, boolean upsample, boolean noRelu, boolean reluOnly) {
        this(layer, steps, integration, baseline, composite, samples, sigma, window, stride, seed, internalBatch,
                upsample, noRelu, reluOnly, null, null);
    }

    /** No options: every method's defaults. */
    public static MethodOptions defaults() {
        return new MethodOptions(null, null, null, null, null, null, null, null, null, null, null, false, false, false, null, null);
    }

    public MethodOptions withLayer(String v) {
        return new MethodOptions(v, steps, integration, baseline, composite, samples, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withSteps(Integer v) {
        return new MethodOptions(layer, v, integration, baseline, composite, samples, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withSamples(Integer v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, v, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withSeed(Long v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, sigma, window, stride, v,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withComposite(String v) {
        return new MethodOptions(layer, steps, integration, baseline, v, samples, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withBaseline(Tensor v) {
        return new MethodOptions(layer, steps, integration, v, composite, samples, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withUpsample(boolean v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, sigma, window, stride, seed,
                internalBatch, v, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withInternalBatch(Integer v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, sigma, window, stride, seed,
                v, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withSigma(Float v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, v, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withIntegration(String v) {
        return new MethodOptions(layer, steps, v, baseline, composite, samples, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withWindow(int[] w, int[] s) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, sigma, w, s, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, segments);
    }

    public MethodOptions withNoRelu(boolean v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, sigma, window, stride, seed,
                internalBatch, upsample, v, reluOnly, featureMask, segments);
    }

    public MethodOptions withReluOnly(boolean v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, v, featureMask, segments);
    }

    public MethodOptions withFeatureMask(Tensor v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, v, segments);
    }

    public MethodOptions withSegments(Integer v) {
        return new MethodOptions(layer, steps, integration, baseline, composite, samples, sigma, window, stride, seed,
                internalBatch, upsample, noRelu, reluOnly, featureMask, v);
    }

    /** The option or a default. */
    public static <T> T or(T value, T dflt) {
        return value != null ? value : dflt;
    }
}
