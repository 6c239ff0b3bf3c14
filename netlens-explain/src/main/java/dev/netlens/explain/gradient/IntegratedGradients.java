package dev.netlens.explain.gradient;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Integrated gradients (registry name {@code integrated-gradients}): the path integral of the
 * gradient along the straight line from a baseline x′ to the input x, times (x − x′):
 * <pre>
 *   IG(x) = (x − x′) ⊙ ∫₀¹ ∂y/∂x |_{x′ + α(x − x′)} dα  ≈  (x − x′) ⊙ Σ_i w_i ∂y/∂x |_{x′ + α_i(x − x′)}
 * </pre>
 * It satisfies completeness: Σ IG(x) = y(x) − y(x′) up to the quadrature error, which is returned
 * per item as the explanation extra {@code "convergence_delta"} = Σ attr − (y(x) − y(x′)) (Captum's
 * {@code return_convergence_delta=True}).
 *
 * <p>Sundararajan, Taly, Yan, "Axiomatic Attribution for Deep Networks", ICML 2017 (Captum
 * {@code IntegratedGradients}).
 *
 * <p>Defaults and conventions (SPECS §A):
 * <ul>
 *   <li>{@code steps} = 50, {@code method} = Gauss–Legendre ({@link Quadrature}; the Riemann
 *       variants are exactly Captum's, including its trapezoid weights);</li>
 *   <li>{@code baseline} = zeros; a given baseline has the input's shape, or batch 1 and is then
 *       used for every item;</li>
 *   <li>{@code internalBatch} = 16: each forward/backward pass evaluates at most 16 steps of every
 *       input item (N × 16 rows for a batch of N), so memory does not grow with the number of
 *       steps; the result does not depend on it;</li>
 *   <li>the target is resolved once at x ({@link Target#resolve}) and that class (or unit) is
 *       explained at every step — the predicted class may change along the path;</li>
 *   <li>a node at α = 0 (Riemann trapezoid and left) — the baseline itself — is evaluated in its
 *       own pass with position-uniform convolutions, so that the exact max-pool ties of a blank
 *       baseline go to each window's first element as in PyTorch ({@link PathIntegral}).</li>
 * </ul>
 *
 * <p>When the input enters the network through an affine stem (normalisation and a first
 * convolution or dense layer, {@link AffineStem}), the stem is evaluated at x and x′ and its
 * linear part at x − x′ only, and the steps run from its output on; the summed gradient is taken back through
 * the stem once. This is the same integral up to float rounding, without the first layer's work at
 * every step.
 *
 * <pre>{@code
 * IntegratedGradients ig = IntegratedGradients.builder(model).steps(64)
 *         .method(Quadrature.Method.RIEMANN_TRAPEZOID).baseline(blurred).build();
 * Explanation e = ig.explain(x, Target.classes(281));
 * Tensor delta = e.extras().get("convergence_delta");     // [N]
 * }</pre>
 */
public final class IntegratedGradients implements Attribution {
    /** The registry name. */
    public static final String NAME = "integrated-gradients";
    /** The extra holding Σ attr − (y(x) − y(x′)) per item. */
    public static final String CONVERGENCE_DELTA = "convergence_delta";

    private final ExplainedModel model;
    private final int steps;
    private final Quadrature quadrature;
    private final Tensor baseline;
    private final int internalBatch;
    private final boolean splitStem;

    private IntegratedGradients(Builder b) {
        this.model = b.model;
        this.steps = b.steps;
        this.quadrature = Quadrature.of(b.method, b.steps);
        this.baseline = b.baseline;
        this.internalBatch = b.internalBatch;
        this.splitStem = b.splitStem;
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return NAME;
    }

    public int steps() {
        return steps;
    }

    public Quadrature.Method method() {
        return quadrature.method();
    }

    public int internalBatch() {
        return internalBatch;
    }

    @Override
    public Explanation explain(Tensor input, Target target) {
        GradientSupport.requireBatch(input);
        Tensor base = GradientSupport.baselineFor(input, baseline, "baseline");
        Optional<AffineStem> stem = splitStem ? AffineStem.of(GradientSupport.seeded(model, target)) : Optional.empty();
        Integrated r = stem.isPresent() ? throughStem(stem.get(), base, input, target) : whole(base, input, target);
        Map<String, Object> params = GradientSupport.params("steps", steps, "method", quadrature.method().id(),
                "baseline", baseline == null ? "zeros" : "tensor", "internal_batch", internalBatch);
        return Explanation.of(r.attribution(), NAME, params, r.target(), model).withExtra(CONVERGENCE_DELTA, r.delta());
    }

    /** The attribution, its convergence delta per item, and the resolved target. */
    private record Integrated(Tensor attribution, Tensor delta, Target target) {
    }

    /** The integral over the whole model, every step from the input on. */
    private Integrated whole(Tensor base, Tensor input, Target target) {
        GradientSupport.Resolved r = GradientSupport.resolve(model, input, target);
        ExplainedModel eff = r.model();
        Target t = r.target();
        Tensor direction = PathIntegral.difference(input, base);
        double[] integral = PathIntegral.integrate(input.dim(0), quadrature, internalBatch, alphas -> {
            Tensor rows = PathIntegral.along(base, direction, alphas);
            return Gradients.input(eff, rows, t.repeatEach(alphas.length), Composite.NONE).gradient();
        });
        Tensor attr = PathIntegral.scaleByDifference(base, input, integral);
        return new Integrated(attr, PathIntegral.convergenceDelta(attr, t.values(r.output()),
                t.values(eff.forward(base))), t);
    }

    /**
     * The integral with the stem evaluated at x and x′ only. y(x) (which resolves the target) and
     * y(x′) come from the stem's outputs too, as one batch through the rest of the model: the same
     * values as two whole-model runs, without the stem's work twice more.
     */
    private Integrated throughStem(AffineStem stem, Tensor base, Tensor input, Target target) {
        AffineStem.Pass atInput = stem.record(input);
        Tensor z = atInput.output();
        // A node at α = 0 starts from z0 itself (a blank baseline's stem output is then exactly constant).
        Tensor z0 = PathIntegral.baselineValues(quadrature, () -> stem.forward(base));
        ExplainedModel tail = stem.tail(z);
        Tensor[] ends = GradientSupport.splitBatch(tail.forward(GradientSupport.joinBatches(z, z0)), input.dim(0));
        Target t = target.resolve(ends[0]);
        // The stem's output moves by L(x − x′) along the path (its linear part, AffineStem.linearPart).
        Tensor dz = stem.linearPart(PathIntegral.difference(input, base));
        Tensor attr = PathIntegral.scaleByDifference(base, input, integralThroughStem(atInput, tail, z0, dz, t));
        return new Integrated(attr, PathIntegral.convergenceDelta(attr, t.values(ends[0]), t.values(ends[1])), t);
    }

    /**
     * The same integral Σ_k w_k ∂y/∂x at x(α_k), computed on the stem's output z (whose path is the
     * straight line z0 + α dz, dz = L(x − x′), which ends at z(x) up to rounding) and taken back to
     * the input through the stem once.
     */
    private double[] integralThroughStem(AffineStem.Pass atInput, ExplainedModel tail, Tensor z0, Tensor dz,
                                         Target t) {
        double[] atZ = PathIntegral.integrate(dz.dim(0), quadrature, internalBatch, alphas -> {
            Tensor rows = PathIntegral.along(z0, dz, alphas);
            return Gradients.input(tail, rows, t.repeatEach(alphas.length), Composite.NONE).gradient();
        });
        Tensor g = Tensor.zerosLike(dz);
        float[] gd = g.data();
        for (int i = 0; i < gd.length; i++) {
            gd[i] = (float) atZ[i];
        }
        float[] gx = atInput.inputGradient(g).data();
        double[] integral = new double[gx.length];
        for (int i = 0; i < gx.length; i++) {
            integral[i] = gx[i];
        }
        return integral;
    }

    /** Builds {@link IntegratedGradients}; see the class documentation for the defaults. */
    public static final class Builder {
        private final ExplainedModel model;
        private int steps = 50;
        private Quadrature.Method method = Quadrature.Method.GAUSS_LEGENDRE;
        private Tensor baseline;
        private int internalBatch = 16;
        private boolean splitStem = true;

        private Builder(ExplainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
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

        /** The baseline x′: the input's shape or batch 1 (default null = zeros). */
        public Builder baseline(Tensor baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Steps per input item evaluated in one forward/backward pass (default 16, >= 1). */
        public Builder internalBatch(int internalBatch) {
            this.internalBatch = internalBatch;
            return this;
        }

        /**
         * Whether the model's affine stem ({@link AffineStem}) is evaluated once instead of at every
         * step (default true; the integral is the same up to float rounding). For tests.
         */
        Builder splitStem(boolean splitStem) {
            this.splitStem = splitStem;
            return this;
        }

        public IntegratedGradients build() {
            int min = method == Quadrature.Method.GAUSS_LEGENDRE ? 1 : 2;
            if (steps < min) {
                throw new IllegalArgumentException("integrated gradients with " + method.id() + " needs steps >= " + min
                        + ", got " + steps);
            }
            GradientSupport.positive(internalBatch, "internalBatch", " (steps per input item in one pass)");
            return new IntegratedGradients(this);
        }
    }
}
