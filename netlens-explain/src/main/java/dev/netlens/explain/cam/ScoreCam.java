package dev.netlens.explain.cam;

import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Score-CAM: channels weighted by how much the target score keeps when the input is masked by each
 * channel's (normalised, upsampled) activation map — no gradients.
 *
 * <p>Wang, Wang, Du, Yang, Zhang, Ding, Mardziel, Hu, "Score-CAM: Score-Weighted Visual
 * Explanations for Convolutional Neural Networks", CVPR Workshops 2020.
 *
 * <p>With A = the layer's activation [N, K, h, w] at the input x (SPECS §B): for each channel k,
 * M_k = the bilinear upsampling of A_k to the input's H × W (half-pixel coordinates, as PyTorch's
 * bilinear with {@code align_corners=False}), min–max normalised to [0, 1]; s_k = y(x ⊙ M_k) with
 * M_k broadcast over the input channels and y the target's raw value (the logit), the target being
 * resolved once at x; w = softmax_k(s); L = ReLU(Σ_k w_k A_k), [N, 1, h, w]. The N·K masked
 * inputs are evaluated in forward batches of {@code internalBatch} (default 32).
 *
 * <p>A channel whose upsampled map is constant (max = min, e.g. a dead channel) gets the all-zero
 * mask, so its score is y(0). This is the limit of pytorch-grad-cam's
 * {@code (U − min) / (max − min + 1e-8)}, which also maps a constant channel to 0; we divide exactly
 * otherwise. pytorch-grad-cam upsamples with {@code UpsamplingBilinear2d} (align_corners=True) and
 * min–max scales its final map; we use half-pixel coordinates like every netlens CAM and return the
 * map unscaled. {@code relu(false)} keeps the sign; {@code upsample(true)} resizes the map bilinearly
 * to the input size. Extras: {@code channel_scores} s and {@code channel_weights} w, each [N, K].
 *
 * <pre>{@code
 * ScoreCam cam = ScoreCam.builder(model, "layer4.1.relu2").internalBatch(64).upsample(true).build();
 * Explanation e = cam.explain(images, Target.classes(281));
 * Tensor map = e.map();                                  // [N, 1, H, W]
 * Tensor w = e.extras().get("channel_weights");          // [N, K], rows sum to 1
 * }</pre>
 */
public final class ScoreCam implements Attribution {
    /** Extra: the target's value at each masked input, [N, K]. */
    public static final String CHANNEL_SCORES = "channel_scores";
    /** Default number of masked inputs per forward pass. */
    public static final int DEFAULT_INTERNAL_BATCH = 32;

    private final ExplainedModel model;
    private final String layer;
    private final boolean upsample;
    private final boolean relu;
    private final int internalBatch;

    private ScoreCam(Builder b) {
        this.model = b.model;
        this.layer = b.layer;
        this.upsample = b.upsample;
        this.relu = b.relu;
        this.internalBatch = b.internalBatch;
    }

    /** A builder for Score-CAM at {@code layer} (a value name) of {@code model}. */
    public static Builder builder(ExplainedModel model, String layer) {
        return new Builder(model, layer);
    }

    /** Score-CAM at {@code layer} with the defaults. */
    public static ScoreCam of(ExplainedModel model, String layer) {
        return builder(model, layer).build();
    }

    @Override
    public String name() {
        return CamSupport.SCORE_CAM;
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

    public int internalBatch() {
        return internalBatch;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        CamSupport.requireImageBatch(name(), input);
        // values only (no gradient follows), so no exact ties are needed (ExplainedModel#run)
        Trace t = model.graph().run().tap(layer).outputs(model.outputName())
                .forward(Map.of(model.inputName(), input));
        Tensor y = t.output();
        Tensor a = t.value(layer);
        CamSupport.requireMapLayer(name(), layer, a, input.dim(0));
        Target resolved = target.resolve(y);
        int n = a.dim(0);
        int k = a.dim(1);
        float[] s = scores(input, a, resolved);
        float[] w = softmaxRows(s, n, k);
        Tensor cam = CamSupport.channelWeighted(a, w, relu);
        Map<String, Object> params = CamSupport.parameters(layer, upsample, relu);
        params.put("internal_batch", internalBatch);
        return Explanation.of(CamSupport.finish(cam, input, upsample), name(), params, target, model)
                .withExtra(CHANNEL_SCORES, Tensor.of(s, n, k))
                .withExtra(CamSupport.CHANNEL_WEIGHTS, Tensor.of(w, n, k));
    }

    /** s_nk = y_n(x_n ⊙ M_nk), in forward batches of at most {@code internalBatch} masked inputs. */
    private float[] scores(Tensor x, Tensor a, Target resolved) {
        int n = a.dim(0);
        int k = a.dim(1);
        int[] classes = resolved instanceof Target.ClassTarget ct ? ct.classes() : null;
        // A model exported with a fixed batch of 1 takes the masked inputs one at a time.
        int batch = model.graph().inputShape(model.inputName())[0] == 1 ? 1 : internalBatch;
        float[] s = new float[n * k];
        List<Tensor> outputs = classes == null ? new ArrayList<>() : null;
        for (int i = 0; i < n; i++) {
            for (int k0 = 0; k0 < k; k0 += batch) {
                int kc = Math.min(batch, k - k0);
                Tensor m = masks(channels(a, i, k0, kc), x.dim(2), x.dim(3));
                Tensor out = model.forward(masked(x, i, m));
                if (classes != null) {
                    int cls = classes.length == 1 ? classes[0] : classes[i];
                    System.arraycopy(Target.classes(cls).values(out), 0, s, i * k + k0, kc);
                } else {
                    outputs.add(out);
                }
            }
        }
        if (classes == null) {
            // A general target: evaluate it once over all N·K outputs, item i's rows repeating its target.
            float[] v = resolved.repeatEach(k).values(concat(outputs, n * k));
            System.arraycopy(v, 0, s, 0, n * k);
        }
        return s;
    }

    /** Channels [k0, k0 + kc) of item i of a: [1, kc, h, w]. */
    private static Tensor channels(Tensor a, int i, int k0, int kc) {
        int hw = a.dim(2) * a.dim(3);
        float[] d = new float[kc * hw];
        System.arraycopy(a.data(), (i * a.dim(1) + k0) * hw, d, 0, kc * hw);
        return Tensor.of(d, 1, kc, a.dim(2), a.dim(3));
    }

    /**
     * Score-CAM masks of activation maps [1, kc, h, w]: each upsampled bilinearly to H × W and
     * min–max normalised to [0, 1]; a constant map gives the zero mask. Result [1, kc, H, W].
     */
    static Tensor masks(Tensor maps, int height, int width) {
        Tensor up = CamSupport.bilinear(maps, height, width);
        float[] d = up.data();
        int hw = height * width;
        for (int c = 0; c < maps.dim(1); c++) {
            int base = c * hw;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int p = base; p < base + hw; p++) {
                min = Math.min(min, d[p]);
                max = Math.max(max, d[p]);
            }
            float range = max - min;
            for (int p = base; p < base + hw; p++) {
                d[p] = range > 0f ? (d[p] - min) / range : 0f;
            }
        }
        return up;
    }

    /** Item i of x times each mask (broadcast over the input channels): [kc, C, H, W]. */
    private static Tensor masked(Tensor x, int i, Tensor masks) {
        int kc = masks.dim(1);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        float[] xd = x.data();
        float[] md = masks.data();
        Tensor out = Tensor.zeros(kc, c, x.dim(2), x.dim(3));
        float[] od = out.data();
        for (int j = 0; j < kc; j++) {
            for (int ch = 0; ch < c; ch++) {
                int src = (i * c + ch) * hw;
                int dst = (j * c + ch) * hw;
                for (int p = 0; p < hw; p++) {
                    od[dst + p] = xd[src + p] * md[j * hw + p];
                }
            }
        }
        return out;
    }

    private static Tensor concat(List<Tensor> parts, int rows) {
        int per = parts.get(0).size() / parts.get(0).dim(0);
        int[] shape = parts.get(0).shape();
        shape[0] = rows;
        Tensor out = Tensor.zeros(shape);
        int at = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.data(), 0, out.data(), at, p.size());
            at += p.size();
        }
        if (at != rows * per) {
            throw new IllegalStateException("score-cam: expected " + rows + " masked outputs, got " + at / per);
        }
        return out;
    }

    /** Softmax of each row of an n × k matrix (max-shifted, in double). */
    static float[] softmaxRows(float[] s, int n, int k) {
        float[] w = new float[n * k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, s[i * k + c]);
            }
            double sum = 0;
            double[] e = new double[k];
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(s[i * k + c] - max);
                sum += e[c];
            }
            for (int c = 0; c < k; c++) {
                w[i * k + c] = (float) (e[c] / sum);
            }
        }
        return w;
    }

    /**
     * Configures {@link ScoreCam}. Defaults: {@code upsample} false, {@code relu} true,
     * {@code internalBatch} {@value #DEFAULT_INTERNAL_BATCH}.
     */
    public static final class Builder {
        private final ExplainedModel model;
        private final String layer;
        private boolean upsample;
        private boolean relu = true;
        private int internalBatch = DEFAULT_INTERNAL_BATCH;

        private Builder(ExplainedModel model, String layer) {
            CamSupport.requireModelAndLayer(CamSupport.SCORE_CAM, model, layer);
            this.model = model;
            this.layer = layer;
        }

        /** Resize the map bilinearly to the input size (default false: the layer's h × w). */
        public Builder upsample(boolean v) {
            upsample = v;
            return this;
        }

        /** Apply the final ReLU (default true); false keeps the sign. */
        public Builder relu(boolean v) {
            relu = v;
            return this;
        }

        /** Masked inputs per forward pass (default 32); must be at least 1. */
        public Builder internalBatch(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("score-cam: internalBatch must be >= 1 (masked inputs per forward "
                        + "pass), got " + v);
            }
            internalBatch = v;
            return this;
        }

        public ScoreCam build() {
            return new ScoreCam(this);
        }
    }
}
