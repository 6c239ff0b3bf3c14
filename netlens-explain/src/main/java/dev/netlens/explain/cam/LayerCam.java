package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;

/**
 * Layer-CAM: every position of every channel weighted by its own positive gradient.
 *
 * <p>Jiang, Zhang, Hou, Cheng, Wei, "LayerCAM: Exploring Hierarchical Class Activation Maps for
 * Localization", IEEE Transactions on Image Processing 30, 2021.
 *
 * <p>With A = the layer's activation [N, K, h, w] and G = ∂y/∂A:
 * L = ReLU(Σ_k ReLU(G_k) ⊙ A_k), [N, 1, h, w] (SPECS §B). {@code relu(false)} drops the outer
 * ReLU only (the gradients stay rectified); {@code upsample(true)} resizes bilinearly (half-pixel)
 * to the input size. Suited to shallow layers as well as deep ones.
 *
 * <pre>{@code
 * LayerCam cam = LayerCam.builder(model, "layer2.1.relu2").upsample(true).build();
 * Tensor map = cam.explain(images, Target.classes(281)).map();   // [N, 1, H, W]
 * }</pre>
 */
public final class LayerCam implements Attribution {
    private final ExplainedModel model;
    private final String layer;
    private final boolean upsample;
    private final boolean relu;

    private LayerCam(Builder b) {
        this.model = b.model;
        this.layer = b.layer;
        this.upsample = b.upsample;
        this.relu = b.relu;
    }

    /** A builder for Layer-CAM at {@code layer} (a value name) of {@code model}. */
    public static Builder builder(ExplainedModel model, String layer) {
        return new Builder(model, layer);
    }

    /** Layer-CAM at {@code layer} with the defaults (ReLU, layer resolution). */
    public static LayerCam of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.LAYER_CAM;
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
        Tensor g = lg.gradient();
        Tensor positive = Tensor.zerosLike(g);
        float[] gd = g.data();
        float[] pd = positive.data();
        for (int i = 0; i < gd.length; i++) {
            pd[i] = Math.max(gd[i], 0f);
        }
        Tensor cam = CamSupport.elementWeighted(a, positive, relu);
        return Explanation.of(CamSupport.finish(cam, input, upsample), name(),
                CamSupport.parameters(layer, upsample, relu), target, model);
    }

    /** Configures {@link LayerCam}. Defaults: {@code upsample} false, {@code relu} true. */
    public static final class Builder {
        private final ExplainedModel model;
        private final String layer;
        private boolean upsample;
        private boolean relu = true;

        private Builder(ExplainedModel model, String layer) {
            CamSupport.requireModelAndLayer(CamSupport.LAYER_CAM, model, layer);
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

        public LayerCam build() {
            return new LayerCam(this);
        }
    }
}
