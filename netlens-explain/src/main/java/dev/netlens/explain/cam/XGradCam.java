package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;

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
public final class XGradCam extends GradientCam {
    private XGradCam(Builder<XGradCam> b) {
        super(b);
    }

    /** A builder for this method at {@code layer} (a value name) of {@code model}. */
    public static Builder<XGradCam> builder(ExplainedModel model, String layer) {
        return new Builder<>(CamSupport.XGRAD_CAM, model, layer, XGradCam::new);
    }

    /** This method at {@code layer} with the defaults (ReLU, layer resolution). */
    public static XGradCam of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.XGRAD_CAM;
    }

    @Override
    protected float[] channelWeights(Tensor a, Tensor g) {
        return weights(a, g);
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
}
