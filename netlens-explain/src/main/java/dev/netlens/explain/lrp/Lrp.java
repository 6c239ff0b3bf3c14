package dev.netlens.explain.lrp;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Layer-wise relevance propagation ("lrp"): the model is canonized (BatchNorm folded into the
 * preceding convolution, bias additions merged into their layer — {@link Canonizers#standard()}),
 * the output relevance is seeded with the target's value — R = y at the target class, 0
 * elsewhere (one-hot(target) × y; for a general target, ∂(Σ target)/∂output ⊙ output) — and
 * carried back to the input by a backward pass in which a {@link LrpComposites composite} of
 * {@link Rules} replaces the nodes' VJPs. The map is the relevance of each input element; its sum
 * is approximately y (exactly, up to the stabilisers, for conservative rules on bias-free
 * networks). Follows zennit (SPECS.md §C).
 *
 * <p>Defaults: composite {@code epsilon-plus-flat} (flat on the first layer, z⁺ on other
 * convolutions, ε = 1e-6 on dense layers, pass on activations, norm on sums and average pools),
 * canonizers {@code explicit-residual-sums,merge-batch-norm}. The explanation's parameters record
 * the composite and canonizers; the extra {@code relevance_sum} holds Σ R per item.
 *
 * <p>Nothing is installed anywhere: the composite is a parameter of one backward pass over a
 * canonized copy of the graph, so the model stays usable (and unchanged) for other methods and
 * threads, whether this method returns or throws.
 *
 * <p>References: Bach et al., "On Pixel-Wise Explanations for Non-Linear Classifier Decisions by
 * Layer-Wise Relevance Propagation", PLoS ONE 10(7), 2015; Montavon et al., "Layer-Wise Relevance
 * Propagation: An Overview", in Explainable AI: Interpreting, Explaining and Visualizing Deep
 * Learning, LNCS 11700, 2019; Anders et al., "Software for Dataset-wide XAI: From Local
 * Explanations to Global Insights with Zennit, CoRelAy, and ViRelAy", arXiv:2106.13200, 2021.
 *
 * <pre>{@code
 * ExplainedModel model = ExplainedModel.load(Path.of("resnet18.onnx"));
 * Explanation e = Lrp.of(model).explain(x, Target.classes(281));
 * Explanation g = Lrp.builder(model).composite("epsilon-gamma-box").build().explain(x);
 * Explanation u = Lrp.builder(model).composite("first=flat,category:CONVOLUTION=alpha-beta(1,0),epsilon-plus")
 *         .build().explain(x);
 * }</pre>
 */
public final class Lrp implements Attribution {
    /** Registry name. */
    public static final String NAME = "lrp";

    private final ExplainedModel model;
    private final ExplainedModel canonical;
    private final Composite composite;
    private final String compositeName;
    private final Canonizer canonizer;

    private Lrp(Builder b) {
        this.model = b.model;
        this.canonizer = b.canonizer;
        Graph g = canonizer.apply(model.graph());
        this.canonical = ExplainedModel.of(g, model.inputName(), model.outputName());
        if (b.composite != null) {
            this.composite = b.composite;
            this.compositeName = b.compositeName;
        } else {
            this.compositeName = b.compositeName == null ? LrpComposites.DEFAULT : b.compositeName;
            this.composite = LrpComposites.resolve(compositeName, g);
        }
    }

    /** LRP with the defaults. */
    public static Lrp of(ExplainedModel model) {
        return builder(model).build();
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    /** The registry's factory: {@link MethodOptions#composite()} names the composite (default epsilon-plus-flat). */
    public static Lrp fromOptions(ExplainedModel model, MethodOptions options) {
        Builder b = builder(model);
        if (options.composite() != null) {
            b.composite(options.composite());
        }
        return b.build();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The canonized graph the relevance is computed on. */
    public Graph canonicalGraph() {
        return canonical.graph();
    }

    /** The composite in use. */
    public Composite composite() {
        return composite;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
        Gradients.InputGradient r = Gradients.input(canonical, input, new RelevanceSeed(target), composite);
        Tensor relevance = r.gradient();
        int n = relevance.dim(0);
        int per = relevance.size() / n;
        float[] sums = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < per; j++) {
                s += relevance.data()[i * per + j];
            }
            sums[i] = (float) s;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("composite", compositeName);
        params.put("canonizers", canonizer.name());
        return Explanation.of(relevance, NAME, params, target, model).withExtra("relevance_sum", Tensor.of(sums, n));
    }

    /** A target whose seed is its gradient times the output: one-hot(class) × y for class targets. */
    private record RelevanceSeed(Target inner) implements Target {
        @Override
        public float[] values(Tensor output) {
            return inner.values(output);
        }

        @Override
        public Tensor seed(Tensor output) {
            Tensor s = inner.seed(output);
            float[] d = s.data().clone();
            float[] y = output.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i] == 0f ? 0f : d[i] * y[i];
            }
            return Tensor.of(d, s.shape());
        }

        @Override
        public Target resolve(Tensor output) {
            return new RelevanceSeed(inner.resolve(output));
        }

        @Override
        public Target repeatEach(int repeats) {
            return new RelevanceSeed(inner.repeatEach(repeats));
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    /** Configures {@link Lrp}. */
    public static final class Builder {
        private final ExplainedModel model;
        private String compositeName;
        private Composite composite;
        private Canonizer canonizer = Canonizers.standard();

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** A built-in composite name or a user spec (see {@link LrpComposites}); default epsilon-plus-flat. */
        public Builder composite(String nameOrSpec) {
            this.compositeName = Objects.requireNonNull(nameOrSpec, "composite");
            this.composite = null;
            return this;
        }

        /** A composite built in code; {@code label} names it in the provenance. */
        public Builder composite(String label, Composite composite) {
            this.compositeName = Objects.requireNonNull(label, "label");
            this.composite = Objects.requireNonNull(composite, "composite");
            return this;
        }

        /** The canonizer(s) applied first (default {@link Canonizers#standard()}); none: {@link Canonizers#none()}. */
        public Builder canonizer(Canonizer canonizer) {
            this.canonizer = Objects.requireNonNull(canonizer, "canonizer");
            return this;
        }

        /** Validates the composite (names, rule parameters) and canonizes the model. */
        public Lrp build() {
            return new Lrp(this);
        }
    }
}
