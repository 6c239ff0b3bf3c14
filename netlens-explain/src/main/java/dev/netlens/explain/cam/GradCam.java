package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;

/**
 * Grad-CAM: the layer's channels weighted by their spatially averaged gradients.
 *
 * <p>Selvaraju, Cogswell, Das, Vedantam, Parikh, Batra, "Grad-CAM: Visual Explanations from Deep
 * Networks via Gradient-based Localization", ICCV 2017.
 *
 * <p>With A = the layer's activation [N, K, h, w] and G = ∂y/∂A (y = the target's value, resolved
 * once at the input): w_k = mean_ij G_kij and L = ReLU(Σ_k w_k A_k), a map [N, 1, h, w] — Captum's
 * {@code LayerGradCam} with {@code relu_attributions=True}. {@code relu(false)} keeps the sign (Captum's
 * default {@code relu_attributions=False}); {@code upsample(true)} resizes the map bilinearly to the
 * input's H × W with half-pixel coordinates (PyTorch bilinear, {@code align_corners=False}, as
 * Captum's {@code LayerAttribution.interpolate}). Each batch item gets its own map; the channel
 * weights are returned as the extra {@code channel_weights} [N, K].
 *
 * <pre>{@code
 * ExplainedModel model = ExplainedModel.load(Path.of("resnet18.onnx"));
 * GradCam cam = GradCam.builder(model, "layer4.1.relu2").upsample(true).build();
 * Explanation e = cam.explain(images, Target.classes(281));
 * Tensor map = e.map();                                  // [N, 1, 224, 224]
 * }</pre>
 */
public final class GradCam extends GradientCam {
    private GradCam(Builder<GradCam> b) {
        super(b);
    }

    /** A builder for this method at {@code layer} (a value name) of {@code model}. */
    public static Builder<GradCam> builder(ExplainedModel model, String layer) {
        return new Builder<>(CamSupport.GRAD_CAM, model, layer, GradCam::new);
    }

    /** This method at {@code layer} with the defaults (ReLU, layer resolution). */
    public static GradCam of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.GRAD_CAM;
    }

    /** w_k = mean_ij G_kij. */
    @Override
    protected float[] channelWeights(Tensor a, Tensor g) {
        return CamSupport.spatialMeans(g);
    }
}
