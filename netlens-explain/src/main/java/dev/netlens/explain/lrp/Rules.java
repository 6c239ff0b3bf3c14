package dev.netlens.explain.lrp;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * The LRP rules, each a small value built from {@link BasicRule} (SPECS.md §C, following zennit).
 * For a linear node (Conv, ConvTranspose, Gemm, MatMul) with input a, weights W, bias b and
 * incoming relevance R<sub>j</sub>, z<sub>j</sub> = Σ<sub>i</sub> a<sub>i</sub> w<sub>ij</sub> +
 * b<sub>j</sub>, and every denominator d is stabilised as d + ε·s(d), s(d) = +1 if d ≥ 0 else −1
 * (ε = {@value #STABILIZER} unless given).
 *
 * <ul>
 *   <li>{@link #epsilon()} — R<sub>i</sub> = a<sub>i</sub> Σ<sub>j</sub> w<sub>ij</sub>
 *       R<sub>j</sub> / (z<sub>j</sub> + ε·s(z<sub>j</sub>)), ε = 1e-6 (Bach et al. 2015).</li>
 *   <li>{@link #gamma()} — weights w + γ·w⁺ and bias b + γ·b⁺ in numerator and denominator,
 *       γ = 0.25 (Montavon et al. 2019).</li>
 *   <li>{@link #alphaBeta()} — α × (positive contributions) − β × (negative contributions),
 *       α = 2, β = 1; positive: a⁺w⁺ + a⁻w⁻ with b⁺, negative: a⁺w⁻ + a⁻w⁺ with b⁻, each
 *       normalised by its own sum (Bach et al. 2015; zennit's AlphaBeta).</li>
 *   <li>{@link #zPlus()} — contributions a⁺w⁺ + a⁻w⁻, bias dropped (SPECS; zennit ≥ 0.5 keeps
 *       b⁺ in the positive part: {@link #zPlus(float, boolean) zPlus(ε, true)}).</li>
 *   <li>{@link #wSquare()} — R<sub>i</sub> = Σ<sub>j</sub> w<sub>ij</sub>² / Σ<sub>i'</sub>
 *       w<sub>i'j</sub>² R<sub>j</sub> (Montavon et al. 2017); bias dropped (SPECS; zennit adds
 *       b² to the denominator: {@link #wSquare(float, boolean) wSquare(ε, true)}).</li>
 *   <li>{@link #flat()} — the w² rule with every w = 1; padding positions of a convolution count
 *       as 0, so a border output spreads its relevance only over real input positions
 *       (Lapuschkin et al. 2019).</li>
 *   <li>{@link #zBox(float[], float[])} — z<sub>j</sub> = Σ<sub>i</sub> a<sub>i</sub>
 *       w<sub>ij</sub> − l<sub>i</sub> w<sub>ij</sub>⁺ − h<sub>i</sub> w<sub>ij</sub>⁻ for input
 *       bounds l ≤ a ≤ h (Montavon et al. 2017).</li>
 *   <li>{@link #norm()} — the ε rule on a parameter-free linear op (Add of residual branches,
 *       AveragePool, GlobalAveragePool, ReduceMean/ReduceSum): R<sub>i</sub> = x<sub>i</sub> ·
 *       ∂/∂x<sub>i</sub> [Σ<sub>j</sub> z<sub>j</sub> R<sub>j</sub> / (z<sub>j</sub> +
 *       ε·s(z<sub>j</sub>))].</li>
 *   <li>{@link #pass()} — relevance passes unchanged (activations, and BatchNormalization left
 *       unfolded, as zennit's composites do).</li>
 *   <li>{@link #gradient()} — the op's own VJP (e.g. MaxPool: winner takes all).</li>
 * </ul>
 *
 * <pre>{@code
 * Composite c = Composite.builder()
 *         .byName("conv1", Rules.flat())
 *         .byCategory(OpCategory.CONVOLUTION, Rules.zPlus())
 *         .byCategory(OpCategory.LINEAR, Rules.epsilon())
 *         .byCategory(OpCategory.ACTIVATION, Rules.pass())
 *         .build();
 * }</pre>
 */
public final class Rules {
    /** The default stabiliser ε of every rule (zennit's). */
    public static final float STABILIZER = 1e-6f;
    /** The default γ. */
    public static final float GAMMA = 0.25f;

    private Rules() {
    }

    private static String fmt(String name, float... params) {
        StringBuilder b = new StringBuilder(name).append('(');
        for (int i = 0; i < params.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s", params[i]));
        }
        return b.append(')').toString();
    }

    private static void requireStabilizer(float eps) {
        if (!(eps >= 0f) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("the stabiliser ε must be a finite number >= 0, got " + eps);
        }
    }

    /** ε rule with ε = 1e-6. */
    public static BasicRule epsilon() {
        return epsilon(STABILIZER);
    }

    /** ε rule; ε = 0 gives LRP-0 (outputs with z = 0 then yield NaN, as in zennit). */
    public static BasicRule epsilon(float epsilon) {
        requireStabilizer(epsilon);
        return BasicRule.builder(fmt("epsilon", epsilon))
                .branch(Modifiers.identity(), Modifiers.identity(), Modifiers.identity())
                .gradientMapper(BasicRule.sharedDenominator(epsilon, 1f))
                .reducer(BasicRule.weightedSum(1f))
                .build();
    }

    /** The ε rule on a parameter-free op (sums and average pools), ε = 1e-6. */
    public static BasicRule norm() {
        return norm(STABILIZER);
    }

    /** The ε rule on a parameter-free op (sums and average pools). */
    public static BasicRule norm(float stabilizer) {
        requireStabilizer(stabilizer);
        return BasicRule.builder(fmt("norm", stabilizer))
                .branch(Modifiers.identity(), Modifiers.identity(), Modifiers.identity())
                .gradientMapper(BasicRule.sharedDenominator(stabilizer, 1f))
                .reducer(BasicRule.weightedSum(1f))
                .build();
    }

    /** γ rule, γ = 0.25, ε = 1e-6. */
    public static BasicRule gamma() {
        return gamma(GAMMA, STABILIZER);
    }

    /** γ rule: w + γ·w⁺ and b + γ·b⁺ in the numerator and the denominator. */
    public static BasicRule gamma(float gamma, float stabilizer) {
        requireStabilizer(stabilizer);
        if (!(gamma >= 0f) || !Float.isFinite(gamma)) {
            throw new IllegalArgumentException("γ must be a finite number >= 0, got " + gamma);
        }
        Modifiers.Modifier g = Modifiers.gamma(gamma);
        return BasicRule.builder(fmt("gamma", gamma, stabilizer))
                .branch(Modifiers.identity(), g, g)
                .gradientMapper(BasicRule.sharedDenominator(stabilizer, 1f))
                .reducer(BasicRule.weightedSum(1f))
                .build();
    }

    /**
     * zennit's (≥ 0.5) generalised γ rule (Andéol et al. 2021): where the unmodified output is
     * positive, the positive contributions a⁺(w + γw⁺) + a⁻(w + γw⁻) (+ b + γb⁺) over their sum;
     * where it is negative, the mirrored negative ones; zero where it is zero. Equal to
     * {@link #gamma(float, float)} on non-negative inputs with positive outputs.
     */
    public static BasicRule generalizedGamma(float gamma, float stabilizer) {
        requireStabilizer(stabilizer);
        Modifiers.Modifier gp = Modifiers.gamma(gamma);
        Modifiers.Modifier gn = Modifiers.gammaNegative(gamma);
        return BasicRule.builder(fmt("generalized-gamma", gamma, stabilizer))
                .branch(Modifiers.positive(), gp, gp)
                .branch(Modifiers.negative(), gn, Modifiers.zero())
                .branch(Modifiers.positive(), gn, gn)
                .branch(Modifiers.negative(), gp, Modifiers.zero())
                .gradientMapper((r, z, original) -> {
                    Tensor pos = TensorMath.stabilize(TensorMath.combine(new float[] {1f, 1f}, z[0], z[1]), stabilizer);
                    Tensor neg = TensorMath.stabilize(TensorMath.combine(new float[] {1f, 1f}, z[2], z[3]), stabilizer);
                    float[] o = original.data();
                    float[] rd = r.data();
                    float[] sp = new float[o.length];
                    float[] sn = new float[o.length];
                    for (int i = 0; i < o.length; i++) {
                        if (o[i] > 0f) {
                            sp[i] = rd[i] / pos.data()[i];
                        } else if (o[i] < 0f) {
                            sn[i] = rd[i] / neg.data()[i];
                        }
                    }
                    Tensor p = Tensor.of(sp, r.shape());
                    Tensor q = Tensor.of(sn, r.shape());
                    return new Tensor[] {p, p, q, q};
                })
                .reducer(BasicRule.weightedSum(1f, 1f, 1f, 1f))
                .build();
    }

    /** α-β rule with α = 2, β = 1. */
    public static BasicRule alphaBeta() {
        return alphaBeta(2f, 1f, STABILIZER);
    }

    /** α-β rule; α, β ≥ 0 with α − β = 1. */
    public static BasicRule alphaBeta(float alpha, float beta, float stabilizer) {
        requireStabilizer(stabilizer);
        if (!(alpha >= 0f) || !(beta >= 0f) || Math.abs(alpha - beta - 1f) > 1e-6f) {
            throw new IllegalArgumentException("alpha-beta needs alpha >= 0, beta >= 0 and alpha - beta = 1 "
                    + "(e.g. 2,1 or 1,0), got alpha " + alpha + ", beta " + beta);
        }
        return BasicRule.builder(fmt("alpha-beta", alpha, beta, stabilizer))
                .branch(Modifiers.positive(), Modifiers.positive(), Modifiers.positive())
                .branch(Modifiers.negative(), Modifiers.negative(), Modifiers.zero())
                .branch(Modifiers.positive(), Modifiers.negative(), Modifiers.negative())
                .branch(Modifiers.negative(), Modifiers.positive(), Modifiers.zero())
                .gradientMapper((r, z, original) -> {
                    Tensor p = TensorMath.divide(r, TensorMath.stabilize(
                            TensorMath.combine(new float[] {1f, 1f}, z[0], z[1]), stabilizer));
                    Tensor q = TensorMath.divide(r, TensorMath.stabilize(
                            TensorMath.combine(new float[] {1f, 1f}, z[2], z[3]), stabilizer));
                    return new Tensor[] {p, p, q, q};
                })
                .reducer(BasicRule.weightedSum(alpha, alpha, -beta, -beta))
                .build();
    }

    /** z⁺ rule, ε = 1e-6, bias dropped. */
    public static BasicRule zPlus() {
        return zPlus(STABILIZER, false);
    }

    /**
     * z⁺ rule: contributions a⁺w⁺ + a⁻w⁻ over their stabilised sum. With
     * {@code positiveBias} the positive part of the bias joins the denominator (zennit ≥ 0.5);
     * without (the default, SPECS and zennit &lt; 0.5) the bias is dropped.
     */
    public static BasicRule zPlus(float stabilizer, boolean positiveBias) {
        requireStabilizer(stabilizer);
        return BasicRule.builder(positiveBias ? fmt("zplus-bias", stabilizer) : fmt("zplus", stabilizer))
                .branch(Modifiers.positive(), Modifiers.positive(), positiveBias ? Modifiers.positive() : Modifiers.zero())
                .branch(Modifiers.negative(), Modifiers.negative(), Modifiers.zero())
                .gradientMapper(BasicRule.sharedDenominator(stabilizer, 1f, 1f))
                .reducer(BasicRule.weightedSum(1f, 1f))
                .build();
    }

    /** w² rule, bias dropped. */
    public static BasicRule wSquare() {
        return wSquare(STABILIZER, false);
    }

    /** w² rule; {@code squaredBias} adds b² to the denominator as zennit does. */
    public static BasicRule wSquare(float stabilizer, boolean squaredBias) {
        requireStabilizer(stabilizer);
        return BasicRule.builder(squaredBias ? fmt("wsquare-bias", stabilizer) : fmt("wsquare", stabilizer))
                .branch(Modifiers.ones(), Modifiers.square(), squaredBias ? Modifiers.square() : Modifiers.zero())
                .gradientMapper(BasicRule.sharedDenominator(stabilizer, 1f))
                .reducer(BasicRule.weightedSum(1f))
                .build();
    }

    /** Flat rule, ε = 1e-6. */
    public static BasicRule flat() {
        return flat(STABILIZER);
    }

    /** Flat rule: inputs and weights all ones, bias dropped. */
    public static BasicRule flat(float stabilizer) {
        requireStabilizer(stabilizer);
        return BasicRule.builder(fmt("flat", stabilizer))
                .branch(Modifiers.ones(), Modifiers.ones(), Modifiers.zero())
                .gradientMapper(BasicRule.sharedDenominator(stabilizer, 1f))
                .reducer(BasicRule.weightedSum(1f))
                .build();
    }

    /** z<sup>B</sup> rule with scalar bounds low ≤ a ≤ high. */
    public static BasicRule zBox(float low, float high) {
        return zBox(new float[] {low}, new float[] {high}, STABILIZER);
    }

    /** z<sup>B</sup> rule with one bound per channel (or one for all); see {@link Modifiers#perChannel}. */
    public static BasicRule zBox(float[] low, float[] high) {
        return zBox(low, high, STABILIZER);
    }

    /** z<sup>B</sup> rule. */
    public static BasicRule zBox(float[] low, float[] high, float stabilizer) {
        requireStabilizer(stabilizer);
        if (low.length == 0 || low.length != high.length) {
            throw new IllegalArgumentException("zbox needs as many low as high bounds (1 or one per channel), got "
                    + low.length + " and " + high.length);
        }
        for (int i = 0; i < low.length; i++) {
            if (!(low[i] <= high[i])) {
                throw new IllegalArgumentException("zbox bounds need low <= high, got " + Arrays.toString(low)
                        + " and " + Arrays.toString(high));
            }
        }
        String name = "zbox(" + (low.length == 1 ? String.valueOf(low[0]) : Arrays.toString(low)) + ", "
                + (high.length == 1 ? String.valueOf(high[0]) : Arrays.toString(high)) + ", " + stabilizer + ")";
        return BasicRule.builder(name)
                .branch(Modifiers.identity(), Modifiers.identity(), Modifiers.identity())
                // the low branch checks the input against both bounds, once per application
                .branch(Modifiers.boundChecked(low, low, high), Modifiers.positive(), Modifiers.positive())
                .branch(Modifiers.perChannel(high), Modifiers.negative(), Modifiers.negative())
                .gradientMapper(BasicRule.sharedDenominator(stabilizer, 1f, -1f, -1f))
                .reducer(BasicRule.weightedSum(1f, -1f, -1f))
                .build();
    }

    private static final BackwardRule PASS = new BackwardRule() {
        @Override
        public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
            Tensor[] out = new Tensor[ctx.inputCount()];
            if (!ctx.needsGradient(0)) {
                return out;
            }
            Tensor g = gradOutputs[0];
            if (!Arrays.equals(g.shape(), ctx.inputShape(0))) {
                throw new IllegalArgumentException("the pass rule needs an element-wise node, but node '"
                        + ctx.nodeName() + "' (" + ctx.op().type() + ") maps " + Shapes.toString(ctx.inputShape(0))
                        + " to " + Shapes.toString(g.shape()));
            }
            out[0] = g;
            return out;
        }

        @Override
        public String toString() {
            return "pass";
        }
    };

    private static final BackwardRule GRADIENT = new BackwardRule() {
        @Override
        public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
            return ctx.op().backward(ctx, gradOutputs);
        }

        @Override
        public String toString() {
            return "gradient";
        }
    };

    /** Relevance passes unchanged to the first input (element-wise nodes only). */
    public static BackwardRule pass() {
        return PASS;
    }

    /** The op's own vector–Jacobian product (as if no rule matched). */
    public static BackwardRule gradient() {
        return GRADIENT;
    }
}
