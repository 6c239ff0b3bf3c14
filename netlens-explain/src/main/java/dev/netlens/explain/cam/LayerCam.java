package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;

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
public final class LayerCam extends GradientCam {
    private LayerCam(Builder<LayerCam> b) {
        super(b);
    }

    /** A builder for this method at {@code layer} (a value name) of {@code model}. */
    public static Builder<LayerCam> builder(ExplainedModel model, String layer) {
        return new Builder<>(CamSupport.LAYER_CAM, model, layer, LayerCam::new);
    }

    /** This method at {@code layer} with the defaults (ReLU, layer resolution). */
    public static LayerCam of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.LAYER_CAM;
    }

    @Override
    protected float[] channelWeights(Tensor a, Tensor g) {
        return null;
    }

    /** W = ReLU(G). */
    @Override
    protected Tensor elementWeights(Tensor a, Tensor g) {
        Tensor positive = Tensor.zerosLike(g);
        float[] gd = g.data();
        float[] pd = positive.data();
        for (int i = 0; i < gd.length; i++) {
            pd[i] = Math.max(gd[i], 0f);
        }
        return positive;
    }
}
