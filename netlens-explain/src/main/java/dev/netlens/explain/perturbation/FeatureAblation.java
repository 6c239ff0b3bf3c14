package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Shapes;
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
import java.util.TreeMap;

/**
 * Feature ablation: replace each group of input elements by the baseline, all at once, and give
 * every element of the group the drop of the target's value, Δ = y(x) − y(x with the group
 * ablated) (Captum's {@code FeatureAblation}, SPECS §D; y is the target's raw value, resolved once
 * at x).
 *
 * <p>Groups come from a feature mask: an integer group id per element, of shape [M, K, H, W] with
 * M = 1 (one mask for every item) or N, and K = 1 (the same groups in every channel, so a group
 * spans all channels of its pixels) or C. Ids need not be contiguous. Without a mask, every
 * element is its own group (Captum's default) — C·H·W forward passes per item. The baseline is the
 * scalar 0 unless a scalar or a tensor (the input's shape, batch 1, or one element) is given. The
 * ablated copies are evaluated in forward passes of {@code internalBatch} copies (default 32).
 *
 * <pre>{@code
 * int[] ids = …;                                   // one id per pixel, H·W values
 * FeatureAblation fa = FeatureAblation.builder(model).mask(ids, 1, 1, H, W).build();
 * Tensor map = fa.explain(images, Target.classes(3)).map();   // [N, C, H, W], constant on each group
 * }</pre>
 */
public final class FeatureAblation implements Attribution, CountsEvaluations {
    public static final String NAME = "feature-ablation";
    /** Default number of ablated copies per forward pass. */
    public static final int DEFAULT_INTERNAL_BATCH = 32;

    private final Predictor model;
    private final int[] mask;
    private final int[] maskShape;
    private final float scalarBaseline;
    private final Tensor baseline;
    private final int internalBatch;

    private FeatureAblation(Builder b) {
        this.model = b.model;
        this.mask = b.mask;
        this.maskShape = b.maskShape;
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

    /** From registry options: featureMask (else every element its own group), baseline, internalBatch. */
    public static FeatureAblation fromOptions(ExplainedModel model, MethodOptions o) {
        return fromOptions(Predictor.of(model), o);
    }

    /** From registry options, for any black box. */
    public static FeatureAblation fromOptions(Predictor model, MethodOptions o) {
        Builder b = builder(model).internalBatch(MethodOptions.or(o.internalBatch(), DEFAULT_INTERNAL_BATCH));
        if (o.baseline() != null) {
            b.baseline(o.baseline());
        }
        if (o.featureMask() != null) {
            b.mask(o.featureMask());
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
        checkMask(input.shape());
        int[] item = Arrays.copyOfRange(input.shape(), 1, 4);
        long total = input.dim(0);
        for (int i = 0; i < input.dim(0); i++) {
            total += groups(i, item).size();
        }
        return total;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        Inputs.requireImageBatch(NAME, input);
        checkMask(input.shape());
        float[] base = Inputs.baseline(NAME, input, baseline, scalarBaseline);
        Scorer scorer = Scorer.at(model, input, target, internalBatch);
        int[] item = Arrays.copyOfRange(input.shape(), 1, 4);
        Tensor map = Ablation.attribute(scorer, input, base, i -> groups(i, item));
        Map<String, Object> params = Inputs.params("mask", mask == null ? "per element" : Shapes.toString(maskShape),
                "baseline", baseline == null ? (Object) scalarBaseline : "tensor", "internal_batch", internalBatch);
        return Explanation.of(map, NAME, params, target, model.sha256());
    }

    private void checkMask(int[] xs) {
        if (mask == null) {
            return;
        }
        boolean ok = (maskShape[0] == 1 || maskShape[0] == xs[0]) && (maskShape[1] == 1 || maskShape[1] == xs[1])
                && maskShape[2] == xs[2] && maskShape[3] == xs[3];
        if (!ok) {
            throw new IllegalArgumentException("feature-ablation: the mask has shape " + Shapes.toString(maskShape)
                    + "; for an input " + Shapes.toString(xs) + " it must be [1 or " + xs[0] + ", 1 or " + xs[1]
                    + ", " + xs[2] + ", " + xs[3] + "]");
        }
    }

    /** The groups of item i (flat offsets within the item), in increasing id order. */
    private List<int[]> groups(int i, int[] item) {
        int c = item[0];
        int hw = item[1] * item[2];
        List<int[]> out = new ArrayList<>();
        if (mask == null) {
            for (int e = 0; e < c * hw; e++) {
                out.add(new int[] {e});
            }
            return out;
        }
        int m = maskShape[0] == 1 ? 0 : i;
        TreeMap<Integer, List<Integer>> byId = new TreeMap<>();
        for (int ch = 0; ch < c; ch++) {
            int mc = maskShape[1] == 1 ? 0 : ch;
            int from = (m * maskShape[1] + mc) * hw;
            for (int p = 0; p < hw; p++) {
                byId.computeIfAbsent(mask[from + p], k -> new ArrayList<>()).add(ch * hw + p);
            }
        }
        for (List<Integer> g : byId.values()) {
            out.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Configures {@link FeatureAblation}. Defaults: no mask, baseline 0, {@code internalBatch} 32. */
    public static final class Builder {
        private final Predictor model;
        private int[] mask;
        private int[] maskShape;
        private float scalarBaseline;
        private Tensor baseline;
        private int internalBatch = DEFAULT_INTERNAL_BATCH;

        private Builder(Predictor model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The feature mask: group ids, row-major, of shape [1 or N, 1 or C, H, W]. */
        public Builder mask(int[] ids, int... shape) {
            Objects.requireNonNull(ids, "mask");
            if (shape.length != 4) {
                throw new IllegalArgumentException("feature-ablation: the mask shape must be [1 or N, 1 or C, H, W], "
                        + "got " + Arrays.toString(shape));
            }
            if (Shapes.size(shape, 0, 4) != ids.length) {
                throw new IllegalArgumentException("feature-ablation: the mask has " + ids.length + " ids but shape "
                        + Arrays.toString(shape) + " holds " + Shapes.size(shape, 0, 4));
            }
            mask = ids.clone();
            maskShape = shape.clone();
            return this;
        }

        /** The feature mask as a tensor of integer values, e.g. read from a .npy file. */
        public Builder mask(Tensor ids) {
            Objects.requireNonNull(ids, "mask");
            float[] d = ids.data();
            int[] v = new int[d.length];
            for (int e = 0; e < d.length; e++) {
                if (d[e] != Math.rint(d[e]) || !Float.isFinite(d[e])) {
                    throw new IllegalArgumentException("feature-ablation: mask values must be integers (group ids), "
                            + "got " + d[e] + " at flat index " + e);
                }
                v[e] = (int) d[e];
            }
            return mask(v, ids.shape());
        }

        /** A scalar baseline for every element (default 0). */
        public Builder baseline(float v) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("feature-ablation: the baseline must be finite, got " + v);
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

        /** Ablated copies per forward pass (default 32), >= 1. */
        public Builder internalBatch(int v) {
            internalBatch = Inputs.positive(NAME, "internalBatch (ablated copies per forward pass)", v);
            return this;
        }

        public FeatureAblation build() {
            return new FeatureAblation(this);
        }
    }
}
