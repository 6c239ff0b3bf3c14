package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.Predictor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Occlusion: slide a window over the input, set it to the baseline, and attribute the drop of the
 * target's value to the occluded elements.
 *
 * <p>Zeiler, Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014; the
 * definition is Captum's {@code Occlusion} (SPECS §D). For an input [N, C, H, W], a window
 * (c, h, w) and a stride (sc, sh, sw), the window is placed at offsets 0, s, 2s, … , ⌈(D − w)/s⌉·s
 * along each axis of extent D — as Captum places it: when (D − w) is not a multiple of s, the last
 * window is cut off at the edge, so every element is covered when s ≤ w. (SPECS says "only
 * positions where the window fits"; Captum's placement is what the acceptance test compares with,
 * and the two agree whenever s divides D − w.) For each position, Δ = y(x) − y(x with the
 * window's elements replaced by the baseline), y being the target's raw value (the logit) and the
 * target being resolved once at x. An element's attribution is the mean Δ over the windows that
 * cover it; elements no window covers (when the stride skips them) get 0. The occluded copies are
 * evaluated in forward passes of {@code internalBatch} copies (default 32), forward only.
 *
 * <p>Defaults. Captum has no default window. Here, without a window the map is a non-overlapping
 * grid of about 8 × 8 blocks: window (C, ⌈H/8⌉, ⌈W/8⌉) with the stride equal to the window
 * (64 forward passes per item at most). With a window but no stride, the stride is (1, 1, 1) as in
 * Captum. The baseline is the scalar 0 unless a scalar or a tensor (the input's shape, batch 1, or
 * one element) is given.
 *
 * <pre>{@code
 * Occlusion occ = Occlusion.builder(model).window(3, 16, 16).stride(3, 8, 8).internalBatch(64).build();
 * Tensor map = occ.explain(images, Target.classes(281)).map();     // [N, C, H, W]
 * }</pre>
 */
public final class Occlusion implements Attribution, CountsEvaluations {
    public static final String NAME = "occlusion";
    /** Default number of occluded copies per forward pass. */
    public static final int DEFAULT_INTERNAL_BATCH = 32;
    /** Without a window, the image is cut into about this many blocks along each spatial axis. */
    public static final int DEFAULT_BLOCKS = 8;

    private final Predictor model;
    private final int[] window;
    private final int[] stride;
    private final float scalarBaseline;
    private final Tensor baseline;
    private final int internalBatch;

    private Occlusion(Builder b) {
        this.model = b.model;
        this.window = b.window;
        this.stride = b.stride;
        this.scalarBaseline = b.scalarBaseline;
        this.baseline = b.baseline;
        this.internalBatch = b.internalBatch;
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(Predictor.of(model));
    }

    /** A builder for any black box (e.g. an {@link dev.netlens.explain.blackbox.OnnxRuntimePredictor}). */
    public static Builder builder(Predictor model) {
        return new Builder(model);
    }

    /** From registry options: window, stride, baseline, internalBatch. */
    public static Occlusion fromOptions(ExplainedModel model, MethodOptions o) {
        return fromOptions(Predictor.of(model), o);
    }

    /** From registry options, for any black box. */
    public static Occlusion fromOptions(Predictor model, MethodOptions o) {
        Builder b = builder(model).internalBatch(MethodOptions.or(o.internalBatch(), DEFAULT_INTERNAL_BATCH));
        if (o.window() != null) {
            b.window(o.window());
        }
        if (o.stride() != null) {
            if (o.window() == null) {
                throw new IllegalArgumentException("occlusion: --stride needs --window C,H,W too");
            }
            b.stride(o.stride());
        }
        if (o.baseline() != null) {
            b.baseline(o.baseline());
        }
        return b.build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long evaluations(Tensor input) {
        Inputs.requireImageBatch(NAME, input);
        int[] item = Arrays.copyOfRange(input.shape(), 1, 4);
        int[] win = windowFor(item);
        return (long) input.dim(0) * (1 + windows(item, win, strideFor(win)).size());
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        Inputs.requireImageBatch(NAME, input);
        int[] item = Arrays.copyOfRange(input.shape(), 1, 4);
        int[] win = windowFor(item);
        int[] str = strideFor(win);
        for (int d = 0; d < 3; d++) {
            if (win[d] > item[d]) {
                throw new IllegalArgumentException("occlusion: the window " + Arrays.toString(win)
                        + " does not fit in the input's items (C, H, W) = " + Arrays.toString(item));
            }
        }
        float[] base = Inputs.baseline(NAME, input, baseline, scalarBaseline);
        Scorer scorer = Scorer.at(model, input, target, internalBatch);
        List<int[]> windows = windows(item, win, str);
        Tensor map = Ablation.attribute(scorer, input, base, i -> windows);
        Map<String, Object> params = Inputs.params("window", win, "stride", str,
                "baseline", baseline == null ? (Object) scalarBaseline : "tensor", "internal_batch", internalBatch,
                "windows", windows.size());
        return Explanation.of(map, NAME, params, target, model.sha256());
    }

    private int[] windowFor(int[] item) {
        if (window != null) {
            return window.clone();
        }
        return new int[] {item[0], ceilDiv(item[1], DEFAULT_BLOCKS), ceilDiv(item[2], DEFAULT_BLOCKS)};
    }

    private int[] strideFor(int[] win) {
        if (stride != null) {
            return stride.clone();
        }
        return window == null ? win.clone() : new int[] {1, 1, 1};
    }

    /**
     * The flat offsets (within one item [C, H, W]) of each window position, as Captum places them:
     * along each axis of extent D, positions 0, s, 2s, … , ⌈(D − w)/s⌉·s, the last window cut off
     * at the edge when (D − w) is not a multiple of s.
     */
    static List<int[]> windows(int[] item, int[] win, int[] str) {
        int h = item[1];
        int w = item[2];
        List<int[]> out = new ArrayList<>();
        for (int c0 : starts(item[0], win[0], str[0])) {
            for (int y0 : starts(h, win[1], str[1])) {
                for (int x0 : starts(w, win[2], str[2])) {
                    int cc = Math.min(win[0], item[0] - c0);
                    int hh = Math.min(win[1], h - y0);
                    int ww = Math.min(win[2], w - x0);
                    int[] offsets = new int[cc * hh * ww];
                    int k = 0;
                    for (int dc = 0; dc < cc; dc++) {
                        for (int dy = 0; dy < hh; dy++) {
                            int row = ((c0 + dc) * h + y0 + dy) * w + x0;
                            for (int dx = 0; dx < ww; dx++) {
                                offsets[k++] = row + dx;
                            }
                        }
                    }
                    out.add(offsets);
                }
            }
        }
        return out;
    }

    /** Window starts along an axis of extent {@code extent}: 0, s, … , ⌈(extent − w)/s⌉·s. */
    static int[] starts(int extent, int window, int stride) {
        int count = (extent - window + stride - 1) / stride + 1;
        int[] v = new int[count];
        for (int k = 0; k < count; k++) {
            v[k] = k * stride;
        }
        return v;
    }

    private static int ceilDiv(int a, int b) {
        return Math.max(1, (a + b - 1) / b);
    }

    /**
     * Configures {@link Occlusion}. Defaults: window (C, ⌈H/8⌉, ⌈W/8⌉) with stride = window; with a
     * window, stride (1, 1, 1); baseline 0; {@code internalBatch} {@value #DEFAULT_INTERNAL_BATCH}.
     */
    public static final class Builder {
        private final Predictor model;
        private int[] window;
        private int[] stride;
        private float scalarBaseline;
        private Tensor baseline;
        private int internalBatch = DEFAULT_INTERNAL_BATCH;

        private Builder(Predictor model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The window (C, H, W), each >= 1. */
        public Builder window(int... cHW) {
            window = triple("window", cHW);
            return this;
        }

        /** The stride (C, H, W), each >= 1. */
        public Builder stride(int... cHW) {
            stride = triple("stride", cHW);
            return this;
        }

        /** A scalar baseline for every element (default 0). */
        public Builder baseline(float v) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("occlusion: the baseline must be finite, got " + v);
            }
            scalarBaseline = v;
            baseline = null;
            return this;
        }

        /** A baseline tensor: the input's shape, batch 1, or one element. */
        public Builder baseline(Tensor v) {
            baseline = Objects.requireNonNull(v, "baseline");
            return this;
        }

        /** Occluded copies per forward pass (default 32), >= 1. */
        public Builder internalBatch(int v) {
            internalBatch = Inputs.positive(NAME, "internalBatch (occluded copies per forward pass)", v);
            return this;
        }

        public Occlusion build() {
            if (stride != null && window == null) {
                throw new IllegalArgumentException("occlusion: a stride needs a window (C, H, W) too");
            }
            return new Occlusion(this);
        }

        private static int[] triple(String what, int[] v) {
            Objects.requireNonNull(v, what);
            if (v.length != 3) {
                throw new IllegalArgumentException("occlusion: the " + what + " must be (C, H, W), three integers >= 1, "
                        + "got " + Arrays.toString(v));
            }
            for (int e : v) {
                if (e < 1) {
                    throw new IllegalArgumentException("occlusion: the " + what + " must be (C, H, W), three integers "
                            + ">= 1, got " + Arrays.toString(v));
                }
            }
            return v.clone();
        }
    }
}
