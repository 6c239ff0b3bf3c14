package dev.netlens.explain.cam;

import dev.netlens.explain.gradient.ReluFamilyRule;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import java.util.List;
import java.util.Map;

/**
 * Guided Grad-CAM: Grad-CAM, upsampled to the input size by nearest neighbour, times guided
 * backpropagation — class-discriminative and high-resolution.
 *
 * <p>Selvaraju, Cogswell, Das, Vedantam, Parikh, Batra, "Grad-CAM: Visual Explanations from Deep
 * Networks via Gradient-based Localization", ICCV 2017 (Section 3.1); guided backpropagation from
 * Springenberg, Dosovitskiy, Brox, Riedmiller, "Striving for Simplicity: The All Convolutional
 * Net", ICLR workshop 2015.
 *
 * <p>As Captum's {@code GuidedGradCam}: the Grad-CAM map L = ReLU(Σ_k w_k A_k) [N, 1, h, w] is
 * resized to H × W by nearest neighbour (PyTorch {@code F.interpolate(mode="nearest")}: source index
 * floor(dst · in / out)) and multiplied, broadcast over the channels, by the guided-backprop
 * gradient ∂y/∂x [N, C, H, W], in which every ReLU-family node (Relu, and Clip with min 0 such as
 * ReLU6) passes g_in = max(g_out, 0) ⊙ [0 &lt; x &lt; max] (SPECS §A). The result has the input's shape.
 * One forward pass serves both backward passes, and the target is resolved once at the input.
 * {@code reluOnly(true)} applies the guided rule to Relu nodes only, as Captum does (which falls back
 * to the plain gradient at ReLU6).
 *
 * <pre>{@code
 * GuidedGradCam ggc = GuidedGradCam.builder(model, "layer4.1.relu2").build();
 * Tensor map = ggc.explain(images, Target.classes(281)).map();   // [N, C, H, W]
 * }</pre>
 */
public final class GuidedGradCam implements Attribution {
    private final ExplainedModel model;
    private final String layer;
    private final boolean reluOnly;

    private GuidedGradCam(Builder b) {
        this.model = b.model;
        this.layer = b.layer;
        this.reluOnly = b.reluOnly;
    }

    /** A builder for Guided Grad-CAM with the Grad-CAM part at {@code layer} (a value name). */
    public static Builder builder(ExplainedModel model, String layer) {
        return new Builder(model, layer);
    }

    /** Guided Grad-CAM at {@code layer} with the defaults. */
    public static GuidedGradCam of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.GUIDED_GRAD_CAM;
    }

    public String layer() {
        return layer;
    }

    public boolean reluOnly() {
        return reluOnly;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        CamSupport.requireImageBatch(name(), input);
        String in = model.inputName();
        String out = model.outputName();
        // MINIMAL retention suffices: the guided rule reads only Relu/Clip inputs, which those ops retain.
        Trace t = model.run().record().tap(layer).outputs(out).forward(Map.of(in, input));
        Tensor y = t.output();
        Tensor seed = target.resolve(y).seed(y);
        Tensor a = t.value(layer);
        CamSupport.requireMapLayer(name(), layer, a, input.dim(0));
        Tensor g = t.gradients(Map.of(out, seed), List.of(layer), Composite.NONE).get(layer);
        Tensor cam = CamSupport.channelWeighted(a, CamSupport.spatialMeans(g), true);
        Tensor guided = t.gradients(Map.of(out, seed), List.of(in), ReluFamilyRule.GUIDED.composite(reluOnly)).get(in);
        Tensor up = CamSupport.nearest(cam, input.dim(2), input.dim(3));
        int n = input.dim(0);
        int c = input.dim(1);
        int hw = input.dim(2) * input.dim(3);
        Tensor map = Tensor.zerosLike(guided);
        float[] md = map.data();
        float[] gd = guided.data();
        float[] ud = up.data();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * hw;
                for (int p = 0; p < hw; p++) {
                    md[base + p] = gd[base + p] * ud[i * hw + p];
                }
            }
        }
        Map<String, Object> params = CamSupport.parameters(layer, true, true);
        params.put("interpolation", "nearest");
        params.put("relu_only", reluOnly);
        return Explanation.of(map, name(), params, target, model);
    }

    /** Configures {@link GuidedGradCam}. Default: {@code reluOnly} false (the whole ReLU family). */
    public static final class Builder {
        private final ExplainedModel model;
        private final String layer;
        private boolean reluOnly;

        private Builder(ExplainedModel model, String layer) {
            CamSupport.requireModelAndLayer(CamSupport.GUIDED_GRAD_CAM, model, layer);
            this.model = model;
            this.layer = layer;
        }

        /** Guided rule on Relu nodes only, as Captum (default false: Relu and Clip(0, ·) such as ReLU6). */
        public Builder reluOnly(boolean v) {
            reluOnly = v;
            return this;
        }

        public GuidedGradCam build() {
            return new GuidedGradCam(this);
        }
    }
}
