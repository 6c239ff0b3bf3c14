package dev.netlens.explain;

import dev.netlens.explain.gradient.Deconvnet;
import dev.netlens.explain.gradient.GradientShap;
import dev.netlens.explain.gradient.GuidedBackprop;
import dev.netlens.explain.gradient.InputGradient;
import dev.netlens.explain.gradient.InputXGradient;
import dev.netlens.explain.gradient.IntegratedGradients;
import dev.netlens.explain.gradient.LayerGradientXActivation;
import dev.netlens.explain.gradient.LayerIntegratedGradients;
import dev.netlens.explain.gradient.NoiseTunnel;
import dev.netlens.explain.gradient.Quadrature;
import dev.netlens.explain.gradient.Saliency;

/**
 * Registers the gradient family ({@link dev.netlens.explain.gradient}) with {@link AttributionMethods}.
 * How {@link MethodOptions} map onto each method (null options keep the method's default):
 * <table>
 *   <caption>Registry names and options</caption>
 *   <tr><th>name</th><th>options read</th><th>defaults</th></tr>
 *   <tr><td>gradient, saliency, input-x-gradient</td><td>—</td><td>—</td></tr>
 *   <tr><td>integrated-gradients</td><td>steps, integration, baseline, internalBatch</td>
 *       <td>50, gausslegendre, zeros, 16</td></tr>
 *   <tr><td>smoothgrad, smoothgrad-sq, vargrad</td><td>samples, sigma (fraction of the input range), seed,
 *       internalBatch</td><td>25, 0.15, 0, 16; wraps gradient</td></tr>
 *   <tr><td>gradient-shap</td><td>samples, sigma (absolute stdev), baseline (a batch of baselines), seed,
 *       internalBatch</td><td>5, 0, one zero baseline, 0, 16</td></tr>
 *   <tr><td>guided-backprop, deconvnet</td><td>reluOnly</td><td>false</td></tr>
 *   <tr><td>layer-gradient-x-activation</td><td>layer (required)</td><td>—</td></tr>
 *   <tr><td>layer-integrated-gradients</td><td>layer (required), steps, integration, baseline, internalBatch</td>
 *       <td>50, gausslegendre, zeros, 16</td></tr>
 * </table>
 *
 * <pre>{@code
 * GradientMethods.registerAll();   // idempotent
 * Attribution ig = AttributionMethods.create("integrated-gradients", model, MethodOptions.defaults().withSteps(64));
 * }</pre>
 */
public final class GradientMethods {
    private static boolean registered;

    private GradientMethods() {
    }

    /** Registers every gradient method once; later calls do nothing. */
    public static synchronized void registerAll() {
        if (registered) {
            return;
        }
        // Set first: registering may initialise AttributionMethods, whose static block may call back here.
        registered = true;
        AttributionMethods.register(InputGradient.NAME, "raw input gradient dy/dx", false,
                (m, o) -> InputGradient.of(m));
        AttributionMethods.register(Saliency.NAME, "|dy/dx| (Simonyan et al. 2014)", false,
                (m, o) -> Saliency.of(m));
        AttributionMethods.register(InputXGradient.NAME, "x * dy/dx", false,
                (m, o) -> InputXGradient.of(m));
        AttributionMethods.register(IntegratedGradients.NAME,
                "integrated gradients, Gauss-Legendre quadrature (Sundararajan et al. 2017)", false,
                (m, o) -> integratedGradients(m, o));
        for (NoiseTunnel.Variant v : NoiseTunnel.Variant.values()) {
            String what = switch (v) {
                case SMOOTHGRAD -> "SmoothGrad: mean gradient over noisy inputs (Smilkov et al. 2017)";
                case SMOOTHGRAD_SQ -> "SmoothGrad-squared: mean squared gradient over noisy inputs";
                case VARGRAD -> "VarGrad: variance of the gradient over noisy inputs (Adebayo et al. 2018)";
            };
            AttributionMethods.register(v.id(), what, false, (m, o) -> noiseTunnel(m, o, v));
        }
        AttributionMethods.register(GradientShap.NAME, "GradientSHAP / expected gradients (Lundberg & Lee 2017)",
                false, (m, o) -> gradientShap(m, o));
        AttributionMethods.register(GuidedBackprop.NAME, "guided backpropagation (Springenberg et al. 2015)", false,
                (m, o) -> GuidedBackprop.builder(m).reluOnly(o.reluOnly()).build());
        AttributionMethods.register(Deconvnet.NAME, "deconvnet (Zeiler & Fergus 2014)", false,
                (m, o) -> Deconvnet.builder(m).reluOnly(o.reluOnly()).build());
        AttributionMethods.register(LayerGradientXActivation.NAME, "layer activation * its gradient", true,
                (m, o) -> LayerGradientXActivation.builder(m, o.layer()).build());
        AttributionMethods.register(LayerIntegratedGradients.NAME, "integrated gradients at a layer's activations",
                true, (m, o) -> layerIntegratedGradients(m, o));
    }

    private static Attribution integratedGradients(ExplainedModel m, MethodOptions o) {
        IntegratedGradients.Builder b = IntegratedGradients.builder(m).baseline(o.baseline());
        if (o.steps() != null) {
            b.steps(o.steps());
        }
        if (o.integration() != null) {
            b.method(Quadrature.Method.parse(o.integration()));
        }
        if (o.internalBatch() != null) {
            b.internalBatch(o.internalBatch());
        }
        return b.build();
    }

    private static Attribution layerIntegratedGradients(ExplainedModel m, MethodOptions o) {
        LayerIntegratedGradients.Builder b = LayerIntegratedGradients.builder(m, o.layer()).baseline(o.baseline());
        if (o.steps() != null) {
            b.steps(o.steps());
        }
        if (o.integration() != null) {
            b.method(Quadrature.Method.parse(o.integration()));
        }
        if (o.internalBatch() != null) {
            b.internalBatch(o.internalBatch());
        }
        return b.build();
    }

    private static Attribution noiseTunnel(ExplainedModel m, MethodOptions o, NoiseTunnel.Variant v) {
        NoiseTunnel.Builder b = NoiseTunnel.builder(m).variant(v);
        if (o.samples() != null) {
            b.samples(o.samples());
        }
        if (o.sigma() != null) {
            b.sigma(o.sigma());
        }
        if (o.seed() != null) {
            b.seed(o.seed());
        }
        if (o.internalBatch() != null) {
            b.internalBatch(o.internalBatch());
        }
        return b.build();
    }

    private static Attribution gradientShap(ExplainedModel m, MethodOptions o) {
        GradientShap.Builder b = GradientShap.builder(m).baselines(o.baseline());
        if (o.samples() != null) {
            b.samples(o.samples());
        }
        if (o.sigma() != null) {
            b.stdev(o.sigma());
        }
        if (o.seed() != null) {
            b.seed(o.seed());
        }
        if (o.internalBatch() != null) {
            b.internalBatch(o.internalBatch());
        }
        return b.build();
    }
}
