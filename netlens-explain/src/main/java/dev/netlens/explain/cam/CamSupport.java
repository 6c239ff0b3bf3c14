package dev.netlens.explain.cam;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Resize;
import dev.netlens.core.ops.ResizeCoordinateMode;
import dev.netlens.core.ops.ResizeNearestMode;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Shared plumbing of the CAM family: validation of the model, layer and input, the channel-weighted
 * (or element-weighted) sum of a layer activation with the optional ReLU, and resizing of maps to
 * the input size through the engine's {@link Resize} op (run as a one-node graph, so the methods
 * stay on the public engine API).
 */
final class CamSupport {
    /** Registry names. */
    static final String GRAD_CAM = "grad-cam";
    static final String GUIDED_GRAD_CAM = "guided-grad-cam";
    static final String GRAD_CAM_PP = "grad-cam-pp";
    static final String LAYER_CAM = "layer-cam";
    static final String XGRAD_CAM = "xgrad-cam";
    static final String SCORE_CAM = "score-cam";

    /** Extra of the gradient-weighted methods and Score-CAM: the channel weights w_k, [N, K]. */
    static final String CHANNEL_WEIGHTS = "channel_weights";

    private CamSupport() {
    }

    /** Validates the builder arguments shared by every CAM method. */
    static void requireModelAndLayer(String method, ExplainedModel model, String layer) {
        if (model == null) {
            throw new IllegalArgumentException(method + ": model is null; pass an ExplainedModel");
        }
        if (layer == null || layer.isEmpty()) {
            throw new IllegalArgumentException(method + ": give the layer to explain (a value name shown by "
                    + "netlens inspect, e.g. the last convolutional block's output)");
        }
        model.graph().requireValue(layer, method + " layer");
        if (layer.equals(model.outputName())) {
            throw new IllegalArgumentException(method + ": the layer '" + layer + "' is the model output; choose a "
                    + "convolutional layer with output [N, K, h, w] (e.g. the last block's output)");
        }
    }

    /** The input must be an image batch [N, C, H, W]. */
    static void requireImageBatch(String method, Tensor x) {
        Objects.requireNonNull(x, "input");
        if (x.rank() != 4 || x.dim(0) < 1) {
            throw new IllegalArgumentException(method + ": the input must be an image batch [N, C, H, W], got shape "
                    + Shapes.toString(x.shape()));
        }
    }

    /** The layer activation must be [N, K, h, w] with the input's batch size. */
    static void requireMapLayer(String method, String layer, Tensor a, int batch) {
        if (a.rank() != 4 || a.dim(0) != batch) {
            throw new IllegalArgumentException(method + ": layer '" + layer + "' has shape " + Shapes.toString(a.shape())
                    + " for a batch of " + batch + "; CAM methods need a convolutional layer with output [N, K, h, w] "
                    + "(e.g. the last convolutional block's output)");
        }
    }

    /** Per item and channel, the mean of {@code g} over the spatial positions: [N·K]. */
    static float[] spatialMeans(Tensor g) {
        int nk = g.dim(0) * g.dim(1);
        int hw = g.dim(2) * g.dim(3);
        float[] d = g.data();
        float[] w = new float[nk];
        for (int c = 0; c < nk; c++) {
            double s = 0;
            for (int p = c * hw, e = p + hw; p < e; p++) {
                s += d[p];
            }
            w[c] = (float) (s / hw);
        }
        return w;
    }

    /** L_n = Σ_k w_nk A_nk (then ReLU when {@code relu}): [N, 1, h, w]. {@code w} has N·K entries. */
    static Tensor channelWeighted(Tensor a, float[] w, boolean relu) {
        int n = a.dim(0);
        int k = a.dim(1);
        int hw = a.dim(2) * a.dim(3);
        float[] ad = a.data();
        Tensor out = Tensor.zeros(n, 1, a.dim(2), a.dim(3));
        float[] od = out.data();
        double[] acc = new double[hw];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(acc, 0);
            for (int c = 0; c < k; c++) {
                double wc = w[i * k + c];
                if (wc == 0) {
                    continue;
                }
                int base = (i * k + c) * hw;
                for (int p = 0; p < hw; p++) {
                    acc[p] += wc * ad[base + p];
                }
            }
            for (int p = 0; p < hw; p++) {
                float v = (float) acc[p];
                od[i * hw + p] = relu ? Math.max(v, 0f) : v;
            }
        }
        return out;
    }

    /** L_n = Σ_k W_nk ⊙ A_nk (then ReLU when {@code relu}): [N, 1, h, w]; {@code w} has A's shape. */
    static Tensor elementWeighted(Tensor a, Tensor w, boolean relu) {
        int n = a.dim(0);
        int k = a.dim(1);
        int hw = a.dim(2) * a.dim(3);
        float[] ad = a.data();
        float[] wd = w.data();
        Tensor out = Tensor.zeros(n, 1, a.dim(2), a.dim(3));
        float[] od = out.data();
        double[] acc = new double[hw];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(acc, 0);
            for (int c = 0; c < k; c++) {
                int base = (i * k + c) * hw;
                for (int p = 0; p < hw; p++) {
                    acc[p] += (double) wd[base + p] * ad[base + p];
                }
            }
            for (int p = 0; p < hw; p++) {
                float v = (float) acc[p];
                od[i * hw + p] = relu ? Math.max(v, 0f) : v;
            }
        }
        return out;
    }

    /**
     * Bilinear resizing of the last two axes to h × w with half-pixel coordinates (PyTorch's
     * {@code F.interpolate(mode="bilinear", align_corners=False)}, which Captum's
     * {@code LayerAttribution.interpolate} uses).
     */
    static Tensor bilinear(Tensor t, int h, int w) {
        return resize(t, Resize.builder().mode(Resize.Mode.LINEAR)
                .coordinateTransformationMode(ResizeCoordinateMode.HALF_PIXEL).sizes(h, w).axes(2, 3).build());
    }

    /** Nearest-neighbour resizing to h × w as PyTorch's {@code F.interpolate(mode="nearest")}. */
    static Tensor nearest(Tensor t, int h, int w) {
        return resize(t, Resize.builder().mode(Resize.Mode.NEAREST)
                .coordinateTransformationMode(ResizeCoordinateMode.ASYMMETRIC)
                .nearestMode(ResizeNearestMode.FLOOR).sizes(h, w).axes(2, 3).build());
    }

    private static Tensor resize(Tensor t, Resize op) {
        if (t.dim(2) == op.outputShape(t.shape())[2] && t.dim(3) == op.outputShape(t.shape())[3]) {
            return t.copy();
        }
        Graph.Builder b = Graph.builder();
        b.input("x", -1, -1, -1, -1);
        b.add("resized", op, "x");
        b.output("resized");
        return b.build().run().forward(t).output();
    }

    /** The map at the layer's resolution, or resized bilinearly to the input's H × W. */
    static Tensor finish(Tensor cam, Tensor x, boolean upsample) {
        return upsample ? bilinear(cam, x.dim(2), x.dim(3)) : cam;
    }

    /** The parameters every CAM explanation records, in a stable order. */
    static Map<String, Object> parameters(String layer, boolean upsample, boolean relu) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("layer", layer);
        p.put("upsample", upsample);
        p.put("relu", relu);
        return p;
    }
}
