package dev.netlens.explain.deeplift;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * DeepLIFT with the rescale rule ("deeplift"; Shrikumar, Greenside, Kundaje, "Learning Important
 * Features Through Propagating Activation Differences", ICML 2017). The input x and its reference
 * x′ run together as one batch [x; x′]; in the backward pass every element-wise non-linearity
 * uses the multiplier Δy/Δx (the ordinary gradient where |Δx| &lt; 10⁻¹⁰), Softmax the same
 * along its axis, and linear ops, MaxPool and everything else their ordinary gradients (see
 * {@link DeepLiftRules}). The attribution is (x − x′) ⊙ multipliers (SPECS.md §C, Captum's
 * {@code DeepLift} conventions).
 *
 * <p><b>Summation to delta.</b> Σ attr = f(x) − f(x′) holds exactly (up to float rounding) on
 * networks whose only non-linearities are element-wise activations — convolutions, dense layers,
 * batch norm, residual sums and average pooling included. With max-pooling it is approximate: the
 * max is passed its ordinary gradient (the winner at x), which is not the secant Δmax/Δx when x
 * and x′ pick different winners; likewise for other non-linear ops not covered by a rule (Mul of
 * two activations, ReduceMax, Exp, …). The per-item gap Σ attr − (f(x) − f(x′)) is returned as
 * the extra {@code delta}. (With a zero reference the gap through max-pools often vanishes anyway:
 * a constant reference map makes the winner's Δx the pool's Δy.) {@link Builder#secantMaxPool}
 * opts into a secant rule for max-pools ({@link DeepLiftRules#maxPoolSecant()}), which restores
 * exact summation.
 *
 * <p>Default reference: zeros. {@link MethodOptions#baseline()} may give one reference per item
 * ([N, …]), one for all ([1, …] or the item shape).
 *
 * <pre>{@code
 * Explanation e = DeepLift.of(model).explain(x, Target.classes(3));
 * Explanation b = DeepLift.builder(model).baseline(blurred).build().explain(x);
 * float gap = e.extras().get("delta").data()[0];
 * }</pre>
 */
public final class DeepLift implements Attribution {
    /** Registry name. */
    public static final String NAME = "deeplift";

    private final ExplainedModel model;
    private final Tensor baseline;
    private final boolean secantMaxPool;

    private DeepLift(ExplainedModel model, Tensor baseline, boolean secantMaxPool) {
        this.model = Objects.requireNonNull(model, "model");
        this.baseline = baseline;
        this.secantMaxPool = secantMaxPool;
    }

    /** DeepLIFT against the zero reference. */
    public static DeepLift of(ExplainedModel model) {
        return new DeepLift(model, null, false);
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    /** The registry's factory: {@link MethodOptions#baseline()} is the reference (default zeros). */
    public static DeepLift fromOptions(ExplainedModel model, MethodOptions options) {
        return builder(model).baseline(options.baseline()).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The reference for each item of {@code x}. */
    Tensor referenceFor(Tensor x) {
        if (baseline == null) {
            return Tensor.zeros(x.shape());
        }
        if (Arrays.equals(baseline.shape(), x.shape())) {
            return baseline;
        }
        int[] item = Arrays.copyOfRange(x.shape(), 1, x.rank());
        Tensor b = Multipliers.asBatch(baseline, item, "the DeepLIFT baseline");
        if (b.dim(0) != 1) {
            throw new IllegalArgumentException("the DeepLIFT baseline has " + b.dim(0) + " items for a batch of "
                    + x.dim(0) + "; give one baseline, or one per item (for a set of baselines use deeplift-shap)");
        }
        Tensor r = Tensor.zeros(x.shape());
        int per = b.size();
        for (int i = 0; i < x.dim(0); i++) {
            System.arraycopy(b.data(), 0, r.data(), i * per, per);
        }
        return r;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        Objects.requireNonNull(input, "input");
        Tensor ref = referenceFor(input);
        Multipliers.Result r = Multipliers.run(model, input, ref, target, secantMaxPool);
        double[] sums = Multipliers.itemSums(r.attributions());
        float[] delta = new float[sums.length];
        for (int i = 0; i < sums.length; i++) {
            delta[i] = (float) (sums[i] - ((double) r.atInput()[i] - r.atReference()[i]));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("baseline", baseline == null ? "zeros" : "tensor" + Shapes.toString(baseline.shape()));
        params.put("rule", "rescale");
        params.put("maxpool", secantMaxPool ? "secant" : "gradient");
        return Explanation.of(r.attributions(), NAME, params, target, model)
                .withExtra("delta", Tensor.of(delta, delta.length));
    }

    /** Configures {@link DeepLift}. */
    public static final class Builder {
        private final ExplainedModel model;
        private Tensor baseline;
        private boolean secantMaxPool;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The reference: [N, …] per item, [1, …] or the item shape for all; null = zeros (default). */
        public Builder baseline(Tensor baseline) {
            this.baseline = baseline;
            return this;
        }

        /**
         * Max-pooling by {@link DeepLiftRules#maxPoolSecant()} instead of its ordinary gradient
         * (default false, as SPECS): exact summation to delta through max-pools.
         */
        public Builder secantMaxPool(boolean secant) {
            this.secantMaxPool = secant;
            return this;
        }

        public DeepLift build() {
            return new DeepLift(model, baseline, secantMaxPool);
        }
    }
}
