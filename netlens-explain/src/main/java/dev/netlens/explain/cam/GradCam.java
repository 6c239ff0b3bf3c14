package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;

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
public final class GradCam implements Attribution {
    private final ExplainedModel model;
    private final String layer;
    private final boolean upsample;
    private final boolean relu;

    private GradCam(Builder b) {
        this.model = b.model;
        this.layer = b.layer;
        this.upsample = b.upsample;
        this.relu = b.relu;
    }

    /** A builder for Grad-CAM at {@code layer} (a value name) of {@code model}. */
    public static Builder builder(ExplainedModel model, String layer) {
        return new Builder(model, layer);
    }

    /** Grad-CAM at {@code layer} with the defaults (ReLU, layer resolution). */
    public static GradCam of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.GRAD_CAM;
    }

    public String layer() {
        return layer;
    }

    public boolean upsample() {
        return upsample;
    }

    public boolean relu() {
        return relu;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        CamSupport.requireImageBatch(name(), input);
        Gradients.LayerGradient lg = Gradients.layer(model, input, target, layer);
        Tensor a = lg.activation();
        CamSupport.requireMapLayer(name(), layer, a, input.dim(0));
        float[] w = CamSupport.spatialMeans(lg.gradient());
        Tensor cam = CamSupport.channelWeighted(a, w, relu);
        return Explanation.of(CamSupport.finish(cam, input, upsample), name(),
                        CamSupport.parameters(layer, upsample, relu), target, model)
                .withExtra(CamSupport.CHANNEL_WEIGHTS, Tensor.of(w, a.dim(0), a.dim(1)));
    }

    /** Configures {@link GradCam}. Defaults: {@code upsample} false, {@code relu} true. */
    public static final class Builder {
        private final ExplainedModel model;
        private final String layer;
        private boolean upsample;
        private boolean relu = true;

        private Builder(ExplainedModel model, String layer) {
            CamSupport.requireModelAndLayer(CamSupport.GRAD_CAM, model, layer);
            this.model = model;
            this.layer = layer;
        }

        /** Resize the map bilinearly to the input size (default false: the layer's h × w). */
        public Builder upsample(boolean v) {
            upsample = v;
            return this;
        }

        /** Apply the final ReLU (default true); false keeps negative evidence. */
        public Builder relu(boolean v) {
            relu = v;
            return this;
        }

        public GradCam build() {
            return new GradCam(this);
        }
    }
}
