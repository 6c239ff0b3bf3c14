package dev.netlens.explain.lrp;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.ForwardContext;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The one mechanism behind every LRP rule: the gradient of a modified forward pass (zennit's
 * {@code BasicHook}). For a node computing z = f(a; W, b) and incoming relevance R, a rule is
 * a list of <em>branches</em> k — each replays the node's forward pass on a modified input
 * a<sub>k</sub> with modified weights W<sub>k</sub> and bias b<sub>k</sub>, giving
 * z<sub>k</sub> — then a <em>gradient mapper</em> turns R and the z<sub>k</sub> into seeds
 * s<sub>k</sub> (typically R / stabilised denominator), the node's own VJP gives
 * g<sub>k</sub> = (∂z<sub>k</sub>/∂a<sub>k</sub>)ᵀ s<sub>k</sub>, and a <em>reducer</em> combines
 * the a<sub>k</sub> ⊙ g<sub>k</sub> into the relevance of the input. So for the ε rule,
 * R<sub>i</sub> = a<sub>i</sub> · ∂/∂a<sub>i</sub> [Σ<sub>j</sub> z<sub>j</sub> · R<sub>j</sub> /
 * (z<sub>j</sub> + ε·s(z<sub>j</sub>))] with the quotient held constant — exactly
 * a<sub>i</sub> Σ<sub>j</sub> w<sub>ij</sub> R<sub>j</sub> / (z<sub>j</sub> + ε·s(z<sub>j</sub>)).
 *
 * <p>Because the arithmetic is the node's own forward and VJP, one rule serves Conv (1-D/2-D,
 * strided, padded, grouped), ConvTranspose, Gemm and MatMul alike, and the parameter-free
 * variants (norm) serve Add, AveragePool, GlobalAveragePool, ReduceMean/ReduceSum and
 * BatchNormalization. Roles of the inputs: for Conv, ConvTranspose and Gemm, input 0 is the
 * activation, input 1 the weight and input 2 the bias; for MatMul input 0 is the activation and
 * input 1 the weight (or the other way round when only input 1 depends on the explained input);
 * for every other op the activations are the inputs that depend on the explained input and no
 * parameter is modified — a rule whose branches modify weights or biases fails there with a
 * message naming the node.
 *
 * <p>A rule only reads the node's recorded forward values, so traces must be recorded with
 * {@code Retention.ALL}. Rules are immutable values and safe to share between threads.
 *
 * <p>References: Bach et al., "On Pixel-Wise Explanations for Non-Linear Classifier Decisions by
 * Layer-Wise Relevance Propagation", PLoS ONE 2015; Montavon et al., "Layer-Wise Relevance
 * Propagation: An Overview", in Explainable AI, LNCS 11700, 2019; Anders et al., "Software for
 * Dataset-wide XAI: From Local Explanations to Global Insights with Zennit, CoRelAy, and ViRelAy",
 * 2021.
 *
 * <pre>{@code
 * // z⁺ written out: positive inputs × positive weights plus negative inputs × negative weights,
 * // bias dropped, one shared stabilised denominator.
 * BackwardRule zplus = BasicRule.builder("my-zplus")
 *         .branch(Modifiers.positive(), Modifiers.positive(), Modifiers.zero())
 *         .branch(Modifiers.negative(), Modifiers.negative(), Modifiers.zero())
 *         .gradientMapper(BasicRule.sharedDenominator(1e-6f, 1f, 1f))
 *         .reducer(BasicRule.weightedSum(1f, 1f))
 *         .build();
 * }</pre>
 */
public final class BasicRule implements BackwardRule {

    /** One replay of the forward pass: how the activation input, the weight and the bias are modified. */
    public record Branch(Modifiers.Modifier input, Modifiers.Modifier weight, Modifiers.Modifier bias) {
        public Branch {
            Objects.requireNonNull(input, "input modifier");
            Objects.requireNonNull(weight, "weight modifier");
            Objects.requireNonNull(bias, "bias modifier");
        }

        boolean isIdentity() {
            return input == Modifiers.identity() && weight == Modifiers.identity() && bias == Modifiers.identity();
        }

        boolean modifiesParameters() {
            return weight != Modifiers.identity() || bias != Modifiers.identity();
        }
    }

    /**
     * Maps the incoming relevance and the branch outputs to one seed per branch (null: the
     * branch's gradient is not needed).
     */
    @FunctionalInterface
    public interface GradientMapper {
        /**
         * @param relevance the relevance arriving at the node's output
         * @param outputs   z<sub>k</sub>, one per branch
         * @param original  the node's recorded output
         */
        Tensor[] seeds(Tensor relevance, Tensor[] outputs, Tensor original);
    }

    /** Combines, for one activation input, the modified inputs a<sub>k</sub> and gradients g<sub>k</sub>. */
    @FunctionalInterface
    public interface Reducer {
        /** {@code gradients[k]} is null when branch k's seed was null. */
        Tensor reduce(Tensor[] inputs, Tensor[] gradients);
    }

    private final String name;
    private final List<Branch> branches;
    private final GradientMapper mapper;
    private final Reducer reducer;
    private final boolean modifiesParameters;

    private BasicRule(Builder b) {
        this.name = b.name;
        this.branches = List.copyOf(b.branches);
        this.mapper = b.mapper;
        this.reducer = b.reducer;
        this.modifiesParameters = branches.stream().anyMatch(Branch::modifiesParameters);
    }

    /** A builder for a rule named {@code name} (the name shows in error messages and provenance). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A branch with these input, weight and bias modifiers. */
    public static Branch branch(Modifiers.Modifier input, Modifiers.Modifier weight, Modifiers.Modifier bias) {
        return new Branch(input, weight, bias);
    }

    /**
     * The common mapper: every branch is seeded with R / (d + ε·s(d)) where the denominator d is
     * Σ<sub>k</sub> c<sub>k</sub> z<sub>k</sub> over all branches.
     */
    public static GradientMapper sharedDenominator(float stabilizer, float... signs) {
        float[] c = signs.clone();
        return (r, z, original) -> {
            Tensor d = c.length == 1 && c[0] == 1f ? z[0] : TensorMath.combine(c, z);
            Tensor seed = TensorMath.divide(r, TensorMath.stabilize(d, stabilizer));
            Tensor[] seeds = new Tensor[z.length];
            java.util.Arrays.fill(seeds, seed);
            return seeds;
        };
    }

    /** The common reducer: Σ<sub>k</sub> c<sub>k</sub> · a<sub>k</sub> ⊙ g<sub>k</sub>. */
    public static Reducer weightedSum(float... coefficients) {
        float[] c = coefficients.clone();
        return (inputs, gradients) -> {
            List<Tensor> terms = new ArrayList<>();
            List<Float> coef = new ArrayList<>();
            for (int k = 0; k < inputs.length; k++) {
                if (gradients[k] != null && c[k] != 0f) {
                    terms.add(TensorMath.multiply(inputs[k], gradients[k]));
                    coef.add(c[k]);
                }
            }
            if (terms.isEmpty()) {
                return null;
            }
            float[] cs = new float[coef.size()];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = coef.get(i);
            }
            return cs.length == 1 && cs[0] == 1f ? terms.get(0) : TensorMath.combine(cs, terms.toArray(new Tensor[0]));
        };
    }

    /** Whether some branch modifies weights or biases (such rules need a Conv, Gemm or MatMul node). */
    public boolean modifiesParameters() {
        return modifiesParameters;
    }

    @Override
    public String toString() {
        return name;
    }

    // ------------------------------------------------------------------ the mechanism

    /** Which inputs are activations, which the weight and the bias. */
    private record Roles(boolean[] activation, int weight, int bias, boolean parametric) {
    }

    private static Roles roles(BackwardContext ctx) {
        Op op = ctx.op();
        int n = ctx.inputCount();
        boolean[] act = new boolean[n];
        switch (op.type()) {
            case "Conv", "ConvTranspose" -> {
                act[0] = true;
                return new Roles(act, 1, n > 2 && ctx.hasInput(2) ? 2 : -1, true);
            }
            case "Gemm", "MatMul" -> {
                boolean swapped = !ctx.needsGradient(0) && n > 1 && ctx.needsGradient(1);
                act[swapped ? 1 : 0] = true;
                int bias = op.type().equals("Gemm") && n > 2 && ctx.hasInput(2) ? 2 : -1;
                return new Roles(act, swapped ? 0 : 1, bias, true);
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    act[i] = ctx.hasInput(i) && ctx.needsGradient(i);
                }
                return new Roles(act, -1, -1, false);
            }
        }
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        int n = ctx.inputCount();
        Tensor[] result = new Tensor[n];
        Roles roles = roles(ctx);
        boolean any = false;
        for (int i = 0; i < n; i++) {
            roles.activation[i] &= ctx.needsGradient(i);
            any |= roles.activation[i];
        }
        if (!any) {
            return result;
        }
        if (modifiesParameters && !roles.parametric) {
            throw new IllegalArgumentException("rule " + name + " modifies weights or biases and applies to Conv, "
                    + "ConvTranspose, Gemm and MatMul nodes; node '" + ctx.nodeName() + "' is " + ctx.op().type()
                    + " (use epsilon, norm or pass there)");
        }
        Op op = ctx.op();
        Tensor relevance = gradOutputs[0];
        Tensor original = ctx.output(0);
        int branchCount = branches.size();
        Tensor[][] inputs = new Tensor[branchCount][];
        Tensor[] outputs = new Tensor[branchCount];
        Object[] saved = new Object[branchCount];
        for (int k = 0; k < branchCount; k++) {
            Branch b = branches.get(k);
            Tensor[] in = new Tensor[n];
            for (int i = 0; i < n; i++) {
                if (!ctx.hasInput(i)) {
                    continue;
                }
                Tensor t = ctx.input(i);
                if (roles.activation[i]) {
                    t = b.input().apply(t);
                } else if (i == roles.weight) {
                    t = b.weight().apply(t);
                } else if (i == roles.bias) {
                    t = b.bias().apply(t);
                }
                in[i] = t;
            }
            inputs[k] = in;
            if (b.isIdentity()) {
                outputs[k] = original;
                saved[k] = ctx.saved();
            } else {
                Replay replay = new Replay(ctx);
                outputs[k] = op.forward(replay, in)[0];
                saved[k] = replay.saved;
            }
        }
        Tensor[] seeds = mapper.seeds(relevance, outputs, original);
        Tensor[][] grads = new Tensor[branchCount][];
        for (int k = 0; k < branchCount; k++) {
            if (seeds[k] == null) {
                continue;
            }
            Tensor[] gOut = new Tensor[ctx.outputCount()];
            gOut[0] = seeds[k];
            for (int o = 1; o < gOut.length; o++) {
                gOut[o] = Tensor.zeros(ctx.outputShape(o));
            }
            grads[k] = op.backward(new Modified(ctx, inputs[k], outputs[k], saved[k], roles.activation), gOut);
        }
        for (int i = 0; i < n; i++) {
            if (!roles.activation[i]) {
                continue;
            }
            Tensor[] in = new Tensor[branchCount];
            Tensor[] g = new Tensor[branchCount];
            for (int k = 0; k < branchCount; k++) {
                in[k] = inputs[k][i];
                g[k] = grads[k] == null ? null : grads[k][i];
            }
            Tensor r = reducer.reduce(in, g);
            result[i] = r != null ? r : Tensor.zeros(ctx.inputShape(i));
        }
        return result;
    }

    /** The forward context of a replayed forward pass: inference mode, the trace's kernels. */
    private static final class Replay implements ForwardContext {
        private final BackwardContext ctx;
        Object saved;

        Replay(BackwardContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Kernels kernels() {
            return ctx.kernels();
        }

        @Override
        public boolean training() {
            return false;
        }

        @Override
        public boolean recording() {
            return true;
        }

        @Override
        public void save(Object state) {
            saved = state;
        }

        @Override
        public SplittableRandom random() {
            return new SplittableRandom(0);
        }

        @Override
        public String nodeName() {
            return ctx.nodeName();
        }

        @Override
        public int outputCount() {
            return ctx.outputCount();
        }
    }

    /** The backward context of a replayed branch: its modified inputs and output. */
    private static final class Modified implements BackwardContext {
        private final BackwardContext base;
        private final Tensor[] inputs;
        private final Tensor output;
        private final Object saved;
        private final boolean[] needs;

        Modified(BackwardContext base, Tensor[] inputs, Tensor output, Object saved, boolean[] needs) {
            this.base = base;
            this.inputs = inputs;
            this.output = output;
            this.saved = saved;
            this.needs = needs;
        }

        @Override
        public Kernels kernels() {
            return base.kernels();
        }

        @Override
        public Op op() {
            return base.op();
        }

        @Override
        public String nodeName() {
            return base.nodeName();
        }

        @Override
        public int inputCount() {
            return inputs.length;
        }

        @Override
        public int outputCount() {
            return base.outputCount();
        }

        @Override
        public boolean hasInput(int index) {
            return base.hasInput(index);
        }

        @Override
        public Tensor input(int index) {
            Tensor t = inputs[index];
            if (t == null) {
                throw new IllegalStateException("input " + index + " of node '" + base.nodeName() + "' is absent");
            }
            return t;
        }

        @Override
        public Tensor output(int index) {
            if (index != 0) {
                throw new UnsupportedOperationException("LRP rules replay only the first output of node '"
                        + base.nodeName() + "'");
            }
            return output;
        }

        @Override
        public int[] inputShape(int index) {
            return inputs[index] != null ? inputs[index].shape() : base.inputShape(index);
        }

        @Override
        public int[] outputShape(int index) {
            return base.outputShape(index);
        }

        @Override
        public Object saved() {
            return saved;
        }

        @Override
        public boolean needsGradient(int index) {
            return index < needs.length && needs[index];
        }
    }

    /** Builds a {@link BasicRule}: at least one branch, a gradient mapper and a reducer. */
    public static final class Builder {
        private final String name;
        private final List<Branch> branches = new ArrayList<>();
        private GradientMapper mapper;
        private Reducer reducer;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a rule needs a name");
            }
            this.name = name;
        }

        /** Adds a branch (input, weight, bias modifiers). */
        public Builder branch(Modifiers.Modifier input, Modifiers.Modifier weight, Modifiers.Modifier bias) {
            branches.add(new Branch(input, weight, bias));
            return this;
        }

        public Builder gradientMapper(GradientMapper m) {
            this.mapper = Objects.requireNonNull(m);
            return this;
        }

        public Builder reducer(Reducer r) {
            this.reducer = Objects.requireNonNull(r);
            return this;
        }

        public BasicRule build() {
            if (branches.isEmpty()) {
                throw new IllegalArgumentException("rule " + name + " needs at least one branch");
            }
            if (mapper == null || reducer == null) {
                throw new IllegalArgumentException("rule " + name + " needs a gradient mapper and a reducer");
            }
            return new BasicRule(this);
        }
    }

    /** Whether an op is one whose weights a rule may modify. */
    static boolean isParametric(Op op) {
        return op.category() == OpCategory.CONVOLUTION || op.type().equals("Gemm") || op.type().equals("MatMul");
    }
}
