package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.function.Function;

/**
 * The common shape of the gradient-weighted class activation maps (Grad-CAM, Grad-CAM++,
 * XGrad-CAM, Layer-CAM): take a layer's activation A [N, K, h, w] and G = ∂y/∂A, combine them into a
 * map [N, 1, h, w], apply the final ReLU unless {@code relu(false)}, and optionally resize it
 * bilinearly (half-pixel, PyTorch's {@code align_corners=False}) to the input size. Subclasses say
 * only how A and G combine: per-channel weights ({@link #channelWeights}) or an element-wise map
 * ({@link #elementWeights}).
 */
public abstract class GradientCam implements Attribution {
    private final ExplainedModel model;
    private final String layer;
    private final boolean upsample;
    private final boolean relu;

    protected GradientCam(Builder<?> b) {
        this.model = b.model;
        this.layer = b.layer;
        this.upsample = b.upsample;
        this.relu = b.relu;
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

    /** Per item and channel weights w [N·K] for the map Σ_k w_k A_k, or null to use {@link #elementWeights}. */
    protected abstract float[] channelWeights(Tensor a, Tensor g);

    /** Element-wise weights W for the map Σ_k W_k ⊙ A_k (only called when channelWeights is null). */
    protected Tensor elementWeights(Tensor a, Tensor g) {
        throw new UnsupportedOperationException(name() + " defines no element-wise weights");
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        CamSupport.requireImageBatch(name(), input);
        Gradients.LayerGradient lg = Gradients.layer(model, input, target, layer);
        Tensor a = lg.activation();
        CamSupport.requireMapLayer(name(), layer, a, input.dim(0));
        float[] w = channelWeights(a, lg.gradient());
        Tensor cam = w != null ? CamSupport.channelWeighted(a, w, relu)
                : CamSupport.elementWeighted(a, elementWeights(a, lg.gradient()), relu);
        Explanation e = Explanation.of(CamSupport.finish(cam, input, upsample), name(),
                CamSupport.parameters(layer, upsample, relu), target, model);
        return w == null ? e : e.withExtra(CamSupport.CHANNEL_WEIGHTS, Tensor.of(w, a.dim(0), a.dim(1)));
    }

    /**
     * Configures a gradient-weighted CAM. Defaults: {@code upsample} false (the layer's h × w),
     * {@code relu} true.
     */
    public static final class Builder<T extends GradientCam> {
        private final ExplainedModel model;
        private final String layer;
        private final Function<Builder<T>, T> constructor;
        private boolean upsample;
        private boolean relu = true;

        Builder(String method, ExplainedModel model, String layer, Function<Builder<T>, T> constructor) {
            CamSupport.requireModelAndLayer(method, model, layer);
            this.model = model;
            this.layer = layer;
            this.constructor = constructor;
        }

        /** Resize the map bilinearly to the input size (default false: the layer's h × w). */
        public Builder<T> upsample(boolean v) {
            upsample = v;
            return this;
        }

        /** Apply the final ReLU (default true); false keeps negative evidence. */
        public Builder<T> relu(boolean v) {
            relu = v;
            return this;
        }

        public T build() {
            return constructor.apply(this);
        }
    }
}
