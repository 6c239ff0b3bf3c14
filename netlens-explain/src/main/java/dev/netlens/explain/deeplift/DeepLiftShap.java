package dev.netlens.explain.deeplift;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * DeepLIFT SHAP ("deeplift-shap"; Lundberg and Lee, "A Unified Approach to Interpreting Model
 * Predictions", NeurIPS 2017, §4.2; Captum's {@code DeepLiftShap}): {@link DeepLift} (rescale
 * rule) of each input against every baseline of a set, averaged over the set. The target is
 * resolved once, at the input. Summation to delta then holds against the mean baseline output:
 * Σ attr = f(x) − mean<sub>b</sub> f(b) (exactly on networks without max-pooling; the per-item gap
 * is the extra {@code delta}).
 *
 * <p>Baselines: {@link MethodOptions#baseline()} as a batch [B, …] of baselines (or one, with or
 * without the batch axis); default a single zero baseline, which makes the result DeepLIFT's.
 * Input–baseline pairs run in batches of {@link MethodOptions#internalBatch()} pairs (default 16).
 *
 * <pre>{@code
 * Tensor backgrounds = ...;                                    // [20, 3, 224, 224]
 * Explanation e = DeepLiftShap.builder(model).baselines(backgrounds).build().explain(x, Target.classes(7));
 * }</pre>
 */
public final class DeepLiftShap implements Attribution {
    /** Registry name. */
    public static final String NAME = "deeplift-shap";
    /** Default pairs per forward/backward batch. */
    public static final int DEFAULT_INTERNAL_BATCH = 16;

    private final ExplainedModel model;
    private final Tensor baselines;
    private final int internalBatch;
    private final boolean secantMaxPool;

    private DeepLiftShap(Builder b) {
        this.model = b.model;
        this.baselines = b.baselines;
        this.internalBatch = b.internalBatch;
        this.secantMaxPool = b.secantMaxPool;
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    /** The registry's factory: baselines from {@link MethodOptions#baseline()}, pairs per batch from internalBatch. */
    public static DeepLiftShap fromOptions(ExplainedModel model, MethodOptions options) {
        return builder(model).baselines(options.baseline())
                .internalBatch(MethodOptions.or(options.internalBatch(), DEFAULT_INTERNAL_BATCH)).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        Objects.requireNonNull(input, "input");
        int n = input.dim(0);
        int[] item = Arrays.copyOfRange(input.shape(), 1, input.rank());
        Tensor set = baselines == null ? Tensor.zeros(withBatch(item, 1))
                : Multipliers.asBatch(baselines, item, "the DeepLIFT-SHAP baseline set");
        int m = set.dim(0);
        int per = input.size() / n;
        Target resolved = target.resolve(model.forward(input));
        float[] attr = new float[input.size()];
        double[] fx = new double[n];
        double[] fRefMean = new double[n];
        int[] classes = resolved instanceof Target.ClassTarget ct ? ct.classes() : null;
        if (classes != null && classes.length == n) {
            for (int i = 0; i < n; i++) {
                Tensor xi = Gradients.slice(input, i, i + 1);
                for (int from = 0; from < m; from += internalBatch) {
                    int to = Math.min(m, from + internalBatch);
                    Multipliers.Result r = Multipliers.run(model, Gradients.repeatEach(xi, to - from),
                            Gradients.slice(set, from, to), Target.classes(classes[i]), secantMaxPool);
                    float[] a = r.attributions().data();
                    for (int k = 0; k < to - from; k++) {
                        for (int j = 0; j < per; j++) {
                            attr[i * per + j] += a[k * per + j] / m;
                        }
                        fRefMean[i] += r.atReference()[k] / (double) m;
                    }
                    fx[i] = r.atInput()[0];
                }
            }
        } else {
            // A target that cannot be split per item: all pairs in one batch.
            Tensor xs = Gradients.repeatEach(input, m);
            Tensor refs = Tensor.zeros(withBatch(item, n * m));
            for (int i = 0; i < n; i++) {
                System.arraycopy(set.data(), 0, refs.data(), i * m * per, m * per);
            }
            Multipliers.Result r = Multipliers.run(model, xs, refs, resolved.repeatEach(m), secantMaxPool);
            float[] a = r.attributions().data();
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < m; k++) {
                    for (int j = 0; j < per; j++) {
                        attr[i * per + j] += a[(i * m + k) * per + j] / m;
                    }
                    fRefMean[i] += r.atReference()[i * m + k] / (double) m;
                }
                fx[i] = r.atInput()[i * m];
            }
        }
        Tensor map = Tensor.of(attr, input.shape());
        double[] sums = Multipliers.itemSums(map);
        float[] delta = new float[n];
        for (int i = 0; i < n; i++) {
            delta[i] = (float) (sums[i] - (fx[i] - fRefMean[i]));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("baselines", baselines == null ? "zeros" : m + " baselines");
        params.put("rule", "rescale");
        params.put("maxpool", secantMaxPool ? "secant" : "gradient");
        params.put("internal_batch", internalBatch);
        return Explanation.of(map, NAME, params, target, model).withExtra("delta", Tensor.of(delta, n));
    }

    private static int[] withBatch(int[] item, int n) {
        int[] s = new int[item.length + 1];
        s[0] = n;
        System.arraycopy(item, 0, s, 1, item.length);
        return s;
    }

    /** Configures {@link DeepLiftShap}. */
    public static final class Builder {
        private final ExplainedModel model;
        private Tensor baselines;
        private int internalBatch = DEFAULT_INTERNAL_BATCH;
        private boolean secantMaxPool;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The baseline set [B, …] (or a single baseline); null = one zero baseline (default). */
        public Builder baselines(Tensor baselines) {
            this.baselines = baselines;
            return this;
        }

        /** Input–baseline pairs per forward/backward batch (default 16). */
        public Builder internalBatch(int pairs) {
            if (pairs < 1) {
                throw new IllegalArgumentException("internal batch must be >= 1 pair, got " + pairs);
            }
            this.internalBatch = pairs;
            return this;
        }

        /** Max-pooling by {@link DeepLiftRules#maxPoolSecant()} (default false, as SPECS). */
        public Builder secantMaxPool(boolean secant) {
            this.secantMaxPool = secant;
            return this;
        }

        public DeepLiftShap build() {
            return new DeepLiftShap(this);
        }
    }
}
