package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;

/**
 * XGrad-CAM (axiom-based Grad-CAM): gradients weighted by the normalised activation.
 *
 * <p>Fu, Hu, Dong, Guo, Gao, Li, "Axiom-based Grad-CAM: Towards Accurate Visualization and
 * Explanation of CNNs", BMVC 2020.
 *
 * <p>With A = the layer's activation [N, K, h, w] and G = ∂y/∂A:
 * w_k = Σ_ij (A_kij / (Σ_ab A_kab + 1e-7)) G_kij; L = ReLU(Σ_k w_k A_k), [N, 1, h, w] (SPECS §B).
 * {@code relu(false)} keeps the sign; {@code upsample(true)} resizes bilinearly (half-pixel) to the
 * input size. The channel weights are returned as the extra {@code channel_weights} [N, K].
 *
 * <pre>{@code
 * XGradCam cam = XGradCam.builder(model, "layer4.1.relu2").build();
 * Tensor map = cam.explain(images, Target.predicted()).map();    // [N, 1, h, w]
 * }</pre>
 */
public final class XGradCam implements Attribution {
    private final ExplainedModel model;
    private final String layer;
    private final boolean upsample;
    private final boolean relu;

    private XGradCam(Builder b) {
        this.model = b.model;
        this.layer = b.layer;
        this.upsample = b.upsample;
        this.relu = b.relu;
    }

    /** A builder for XGrad-CAM at {@code layer} (a value name) of {@code model}. */
    public static Builder builder(ExplainedModel model, String layer) {
        return new Builder(model, layer);
    }

    /** XGrad-CAM at {@code layer} with the defaults (ReLU, layer resolution). */
    public static XGradCam of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.XGRAD_CAM;
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
        float[] w = weights(a, lg.gradient());
        Tensor cam = CamSupport.channelWeighted(a, w, relu);
        return Explanation.of(CamSupport.finish(cam, input, upsample), name(),
                        CamSupport.parameters(layer, upsample, relu), target, model)
                .withExtra(CamSupport.CHANNEL_WEIGHTS, Tensor.of(w, a.dim(0), a.dim(1)));
    }

    /** w_k = Σ_ij A_kij G_kij / (Σ_ij A_kij + 1e-7) per item and channel: [N·K]. */
    static float[] weights(Tensor a, Tensor g) {
        int nk = a.dim(0) * a.dim(1);
        int hw = a.dim(2) * a.dim(3);
        float[] ad = a.data();
        float[] gd = g.data();
        float[] w = new float[nk];
        for (int c = 0; c < nk; c++) {
            int base = c * hw;
            double sumA = 0;
            double sumAG = 0;
            for (int p = 0; p < hw; p++) {
                sumA += ad[base + p];
                sumAG += (double) ad[base + p] * gd[base + p];
            }
            w[c] = (float) (sumAG / (sumA + 1e-7));
        }
        return w;
    }

    /** Configures {@link XGradCam}. Defaults: {@code upsample} false, {@code relu} true. */
    public static final class Builder {
        private final ExplainedModel model;
        private final String layer;
        private boolean upsample;
        private boolean relu = true;

        private Builder(ExplainedModel model, String layer) {
            CamSupport.requireModelAndLayer(CamSupport.XGRAD_CAM, model, layer);
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

        public XGradCam build() {
            return new XGradCam(this);
        }
    }
}
