package dev.netlens.explain;

import dev.netlens.explain.cam.GradCam;
import dev.netlens.explain.cam.GradCamPlusPlus;
import dev.netlens.explain.cam.GuidedGradCam;
import dev.netlens.explain.cam.LayerCam;
import dev.netlens.explain.cam.ScoreCam;
import dev.netlens.explain.cam.XGradCam;

/**
 * Registers the CAM family ({@link dev.netlens.explain.cam}) in {@link AttributionMethods}; every
 * entry needs {@code --layer}. Options read: {@code layer}; {@code upsample} (default false: the
 * map stays at the layer's resolution); {@code noRelu} (default false: the final ReLU is applied);
 * {@code internalBatch} for score-cam (default 32); {@code reluOnly} for guided-grad-cam (default
 * false: guided rule on Relu and Clip(0, ·)).
 */
public final class CamMethods {
    private static boolean registered;

    private CamMethods() {
    }

    /** Registers grad-cam, guided-grad-cam, grad-cam-pp, layer-cam, xgrad-cam and score-cam; idempotent. */
    public static synchronized void registerAll() {
        if (registered) {
            return;
        }
        registered = true;
        AttributionMethods.register("grad-cam", "Grad-CAM: channels weighted by mean gradients (Selvaraju et al. 2017)",
                true, (m, o) -> GradCam.builder(m, o.layer()).upsample(o.upsample()).relu(!o.noRelu()).build());
        AttributionMethods.register("guided-grad-cam",
                "Guided Grad-CAM: nearest-upsampled Grad-CAM times guided backprop (Selvaraju et al. 2017)",
                true, (m, o) -> GuidedGradCam.builder(m, o.layer()).reluOnly(o.reluOnly()).build());
        AttributionMethods.register("grad-cam-pp",
                "Grad-CAM++: positive gradients with higher-order pixel weights (Chattopadhyay et al. 2018)",
                true, (m, o) -> GradCamPlusPlus.builder(m, o.layer()).upsample(o.upsample()).relu(!o.noRelu()).build());
        AttributionMethods.register("layer-cam", "Layer-CAM: activations times positive gradients (Jiang et al. 2021)",
                true, (m, o) -> LayerCam.builder(m, o.layer()).upsample(o.upsample()).relu(!o.noRelu()).build());
        AttributionMethods.register("xgrad-cam",
                "XGrad-CAM: gradients weighted by normalised activations (Fu et al. 2020)",
                true, (m, o) -> XGradCam.builder(m, o.layer()).upsample(o.upsample()).relu(!o.noRelu()).build());
        AttributionMethods.register("score-cam",
                "Score-CAM: channels weighted by softmax of masked-input scores (Wang et al. 2020)",
                true, (m, o) -> ScoreCam.builder(m, o.layer()).upsample(o.upsample()).relu(!o.noRelu())
                        .internalBatch(MethodOptions.or(o.internalBatch(), ScoreCam.DEFAULT_INTERNAL_BATCH)).build());
    }
}
