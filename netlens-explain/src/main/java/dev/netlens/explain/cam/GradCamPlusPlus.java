package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;

/**
 * Grad-CAM++: channel weights from positive gradients, each position weighted by a closed-form
 * coefficient derived from higher-order derivatives of an exponential of the score.
 *
 * <p>Chattopadhyay, Sarkar, Howlader, Balasubramanian, "Grad-CAM++: Generalized Gradient-Based
 * Visual Explanations for Deep Convolutional Networks", WACV 2018 (Eq. 19, with the usual
 * approximation of the higher derivatives by powers of the gradient).
 *
 * <p>With A = the layer's activation [N, K, h, w] and G = ∂y/∂A:
 * a_kij = G_kij² / (2 G_kij² + (Σ_ab A_kab) G_kij³ + 1e-7), a = 0 where G = 0;
 * w_k = Σ_ij a_kij ReLU(G_kij); L = ReLU(Σ_k w_k A_k), [N, 1, h, w]. This is SPECS §B; it differs
 * from the pytorch-grad-cam library only in the stabiliser (1e-7 here, 1e-6 there) and the library's
 * final min–max scaling, which we do not apply. {@code relu(false)} drops the final ReLU only;
 * {@code upsample(true)} resizes bilinearly (half-pixel) to the input size. The channel weights are
 * returned as the extra {@code channel_weights} [N, K].
 *
 * <pre>{@code
 * GradCamPlusPlus cam = GradCamPlusPlus.builder(model, "layer4.1.relu2").upsample(true).build();
 * Tensor map = cam.explain(images, Target.classes(281)).map();   // [N, 1, H, W]
 * }</pre>
 */
public final class GradCamPlusPlus implements Attribution {
    private final ExplainedModel model;
    private final String layer;
    private final boolean upsample;
    private final boolean relu;

    private GradCamPlusPlus(Builder b) {
        this.model = b.model;
        this.layer = b.layer;
        this.upsample = b.upsample;
        this.relu = b.relu;
    }

    /** A builder for Grad-CAM++ at {@code layer} (a value name) of {@code model}. */
    public static Builder builder(ExplainedModel model, String layer) {
        return new Builder(model, layer);
    }

    /** Grad-CAM++ at {@code layer} with the defaults (ReLU, layer resolution). */
    public static GradCamPlusPlus of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.GRAD_CAM_PP;
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

    /** w_k = Σ_ij a_kij ReLU(G_kij) per item and channel: [N·K]. */
    static float[] weights(Tensor a, Tensor g) {
        int nk = a.dim(0) * a.dim(1);
        int hw = a.dim(2) * a.dim(3);
        float[] ad = a.data();
        float[] gd = g.data();
        float[] w = new float[nk];
        for (int c = 0; c < nk; c++) {
            int base = c * hw;
            double sumA = 0;
            for (int p = 0; p < hw; p++) {
                sumA += ad[base + p];
            }
            double s = 0;
            for (int p = 0; p < hw; p++) {
                double gv = gd[base + p];
                if (gv <= 0) {
                    continue; // a = 0 where G = 0, and ReLU(G) = 0 where G < 0
                }
                double g2 = gv * gv;
                double alpha = g2 / (2 * g2 + sumA * g2 * gv + 1e-7);
                s += alpha * gv;
            }
            w[c] = (float) s;
        }
        return w;
    }

    /** Configures {@link GradCamPlusPlus}. Defaults: {@code upsample} false, {@code relu} true. */
    public static final class Builder {
        private final ExplainedModel model;
        private final String layer;
        private boolean upsample;
        private boolean relu = true;

        private Builder(ExplainedModel model, String layer) {
            CamSupport.requireModelAndLayer(CamSupport.GRAD_CAM_PP, model, layer);
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

        public GradCamPlusPlus build() {
            return new GradCamPlusPlus(this);
        }
    }
}
