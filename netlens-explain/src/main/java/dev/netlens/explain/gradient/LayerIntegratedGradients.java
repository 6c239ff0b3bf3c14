package dev.netlens.explain.gradient;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Interventions;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.UniformConvolutions;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Layer integrated gradients (registry name {@code layer-integrated-gradients}): integrated
 * gradients with respect to the activations A of a named layer, along the straight line between
 * the layer's activations at the baseline input, A′ = A(x′), and at the input, A = A(x):
 * <pre>
 *   LIG = (A − A′) ⊙ Σ_i w_i ∂y/∂A |_{A′ + α_i (A − A′)}
 * </pre>
 * The interpolated activations replace the layer's output during the forward pass (an
 * intervention; the rest of the network, including paths that bypass the layer, sees x), as
 * Captum's {@code LayerIntegratedGradients} does with a forward hook. Completeness,
 * Σ LIG = y(x) − y(x′), holds when every path from the input to the output passes the layer; the
 * extra {@code "convergence_delta"} reports Σ attr − (y(x) − y(x′)) per item.
 *
 * <p>Sundararajan, Taly, Yan, "Axiomatic Attribution for Deep Networks", ICML 2017; applied to
 * hidden layers as in Captum, and as conductance (Dhamdhere et al., ICLR 2019) sums it per unit.
 *
 * <pre>{@code
 * Attribution lig = LayerIntegratedGradients.builder(model, "layer3.1.relu2").steps(32).build();
 * Tensor perUnit = lig.explain(x, Target.classes(281)).map();   // the layer's shape
 * }</pre>
 *
 * Options and defaults as {@link IntegratedGradients} (steps 50, Gauss–Legendre, zero input
 * baseline, 16 steps per item per pass), plus the required {@code layer}. As there, a node at
 * α = 0 (Riemann trapezoid and left) is evaluated with uniform convolutions ({@link PathIntegral});
 * that pass also runs the layers before the replaced one on them, whose output the intervention
 * discards.
 *
 * <p>A and A′ themselves are always computed with position-uniform convolutions
 * ({@link UniformConvolutions}). Every point of the path is affine in them, so where A′ holds an exact
 * tie across a max-pool window after the layer — the activations at a blank baseline are equal over
 * whole regions — and A is 0 there (a unit off at the input), the window is tied at every step, and
 * the tie must be exact to go to the window's first element as in PyTorch. With the fast kernels it
 * was a near-tie won by rounding: on torchvision's VGG11-bn (random weights) at
 * {@code features.20} (28×28, max pooling next), target 7, the relative L2 error against Captum
 * in float64 was 5.3e-2; PyTorch's own float32 result is 3.7e-4 away.
 */
public final class LayerIntegratedGradients implements Attribution {
    /** The registry name. */
    public static final String NAME = "layer-integrated-gradients";

    private final ExplainedModel model;
    private final String layer;
    private final int steps;
    private final Quadrature quadrature;
    private final Tensor baseline;
    private final int internalBatch;

    private LayerIntegratedGradients(Builder b) {
        this.model = b.model;
        this.layer = b.layer;
        this.steps = b.steps;
        this.quadrature = Quadrature.of(b.method, b.steps);
        this.baseline = b.baseline;
        this.internalBatch = b.internalBatch;
    }

    /** A builder for the given layer (a value name of the model's graph). */
    public static Builder builder(ExplainedModel model, String layer) {
        return new Builder(model, layer);
    }

    @Override
    public String name() {
        return NAME;
    }

    public String layer() {
        return layer;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        GradientSupport.requireBatch(input);
        Tensor base = GradientSupport.baselineFor(input, baseline, "baseline");
        GradientSupport.Resolved r = GradientSupport.resolve(model, input, target);
        ExplainedModel eff = r.model();
        Target t = r.target();
        Graph graph = eff.graph();
        String in = eff.inputName();
        String out = eff.outputName();
        // Both ends with position-uniform convolutions: the path is affine in them (see the class comment).
        Tensor a = UniformConvolutions.call(() -> activation(graph, in, input));
        Tensor a0 = UniformConvolutions.call(() -> activation(graph, in, base));
        Tensor direction = PathIntegral.difference(a, a0);
        double[] integral = PathIntegral.integrate(input.dim(0), quadrature, internalBatch, alphas -> {
            int s = alphas.length;
            Tensor scaled = PathIntegral.along(a0, direction, alphas);
            Trace trace = eff.run().record().intervene(layer, Interventions.replace(scaled)).outputs(out)
                    .forward(Map.of(in, Gradients.repeatEach(input, s)));
            Tensor seed = t.repeatEach(s).seed(trace.output());
            return trace.gradients(Map.of(out, seed), List.of(layer)).get(layer);
        });
        Tensor attr = PathIntegral.scaleByDifference(a0, a, integral);
        Tensor delta = PathIntegral.convergenceDelta(attr, t.values(r.output()), t.values(eff.forward(base)));
        Map<String, Object> params = GradientSupport.params("layer", layer, "steps", steps,
                "method", quadrature.method().id(), "baseline", baseline == null ? "zeros" : "tensor",
                "internal_batch", internalBatch);
        return Explanation.of(attr, NAME, params, t, model).withExtra(IntegratedGradients.CONVERGENCE_DELTA, delta);
    }

    private Tensor activation(Graph graph, String in, Tensor x) {
        if (layer.equals(in)) {
            return x;
        }
        return graph.run().outputs(layer).forward(Map.of(in, x)).output();
    }

    /** Builds {@link LayerIntegratedGradients}; defaults as {@link IntegratedGradients.Builder}. */
    public static final class Builder {
        private final ExplainedModel model;
        private final String layer;
        private int steps = 50;
        private Quadrature.Method method = Quadrature.Method.GAUSS_LEGENDRE;
        private Tensor baseline;
        private int internalBatch = 16;

        private Builder(ExplainedModel model, String layer) {
            this.model = Objects.requireNonNull(model, "model");
            if (layer == null || layer.isEmpty()) {
                throw new IllegalArgumentException("give the layer (a value name shown by netlens inspect)");
            }
            this.layer = layer;
        }

        /** Number of quadrature nodes (default 50; >= 1 for Gauss–Legendre, >= 2 for Riemann rules). */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The quadrature rule (default Gauss–Legendre). */
        public Builder method(Quadrature.Method method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** The quadrature rule by Captum name: gausslegendre, riemann_left|right|middle|trapezoid. */
        public Builder method(String method) {
            this.method = Quadrature.Method.parse(Objects.requireNonNull(method, "method"));
            return this;
        }

        /** The input baseline x′: the input's shape or batch 1 (default null = zeros). */
        public Builder baseline(Tensor baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Steps per input item evaluated in one forward/backward pass (default 16, >= 1). */
        public Builder internalBatch(int internalBatch) {
            this.internalBatch = internalBatch;
            return this;
        }

        public LayerIntegratedGradients build() {
            model.graph().requireValue(layer, "layer");
            int min = method == Quadrature.Method.GAUSS_LEGENDRE ? 1 : 2;
            if (steps < min) {
                throw new IllegalArgumentException("layer integrated gradients with " + method.id()
                        + " needs steps >= " + min + ", got " + steps);
            }
            GradientSupport.positive(internalBatch, "internalBatch", " (steps per input item in one pass)");
            return new LayerIntegratedGradients(this);
        }
    }
}
