package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;

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
public final class GradCamPlusPlus extends GradientCam {
    private GradCamPlusPlus(Builder<GradCamPlusPlus> b) {
        super(b);
    }

    /** A builder for this method at {@code layer} (a value name) of {@code model}. */
    public static Builder<GradCamPlusPlus> builder(ExplainedModel model, String layer) {
        return new Builder<>(CamSupport.GRAD_CAM_PP, model, layer, GradCamPlusPlus::new);
    }

    /** This method at {@code layer} with the defaults (ReLU, layer resolution). */
    public static GradCamPlusPlus of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.GRAD_CAM_PP;
    }

    @Override
    protected float[] channelWeights(Tensor a, Tensor g) {
        return weights(a, g);
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
}
