package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.Clip;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.ForwardContext;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.Mul;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.ops.Softplus;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.List;
import java.util.SplittableRandom;

/** Small models with known answers, and assertions. */
final class TestModels {
    private TestModels() {
    }

    /** fc1 weights [4, 3]: rows are hidden units. */
    static final float[] W1 = {1, -2, 0.5f, 0.5f, 2, -1, -1, 0.5f, 1, 2, 1, 1};
    static final float[] B1 = {0, 0.5f, -0.5f, 1};
    /** fc2 weights [2, 4]. */
    static final float[] W2 = {1, -2, 0.5f, 1, -1, 1, 2, -0.5f};
    static final float[] B2 = {0.1f, -0.2f};
    /** The hand-checked input: pre-activations W1·x + b1 = [−1.5, 2, 2.5, 8]. */
    static final float[] X = {1, 2, 3};

    /**
     * x[N,3] → fc1 → act ("h") → fc2 = logits[N,2], with act = Relu or ReLU6 = Clip(0, 6). At
     * {@link #X} the hidden pre-activations are [−1.5, 2, 2.5, 8]: one unit off, two in the linear
     * range, one above 6.
     */
    static ExplainedModel mlp(boolean relu6) {
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3);
        b.parameter("w1", Tensor.of(W1.clone(), 4, 3));
        b.parameter("b1", Tensor.of(B1.clone(), 4));
        b.parameter("w2", Tensor.of(W2.clone(), 2, 4));
        b.parameter("b2", Tensor.of(B2.clone(), 2));
        b.add("fc1", Gemm.linear(), "x", "w1", "b1");
        b.add("h", relu6 ? Clip.between(0f, 6f) : new Relu(), "fc1");
        b.add("logits", Gemm.linear(), "h", "w2", "b2");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    /** A linear model y = W x + b, x[N, 2, 3, 3] flattened, 3 classes. */
    static ExplainedModel linear(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 2, 3, 3);
        b.parameter("w", Tensor.randomNormal(r, 1f, 3, 18));
        b.parameter("b", Tensor.randomNormal(r, 1f, 3));
        b.add("flat", new Flatten(1), "x");
        b.add("logits", Gemm.linear(), "flat", "w", "b");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    /** y = Σ_i x_i², x[N, 10]; one output per item. */
    static ExplainedModel squares() {
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 10);
        b.parameter("ones", Tensor.ones(1, 10));
        b.parameter("zero", Tensor.zeros(1));
        b.add("sq", new Mul(), "x", "x");
        b.add("y", Gemm.linear(), "sq", "ones", "zero");
        b.output("y");
        return ExplainedModel.of(b.build());
    }

    /** A small residual ReLU CNN (batch norm, projection shortcut): [N,3,8,8] → 5 logits. */
    static ExplainedModel resnet(long seed) {
        return ExplainedModel.of(ResNets.basic(new int[] {4, 8}, new int[] {1, 1}, 3, 5, false, seed));
    }

    /**
     * A plain ReLU CNN with biases (so it is not positively homogeneous and straight paths from a
     * zero baseline cross many ReLU kinks): conv(3→8) → relu → conv(8→8, stride 2) → relu → global
     * average pool → fc(5).
     */
    static ExplainedModel reluCnn(long seed) {
        return cnn(seed, false);
    }

    /** {@link #reluCnn} with Softplus activations instead of ReLU: a smooth network. */
    static ExplainedModel softplusCnn(long seed) {
        return cnn(seed, true);
    }

    private static ExplainedModel cnn(long seed, boolean smooth) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 8, 8);
        b.parameter("w1", Tensor.randomNormal(r, 0.5f, 8, 3, 3, 3));
        b.parameter("b1", Tensor.randomNormal(r, 0.5f, 8));
        b.parameter("w2", Tensor.randomNormal(r, 0.3f, 8, 8, 3, 3));
        b.parameter("b2", Tensor.randomNormal(r, 0.5f, 8));
        b.parameter("w3", Tensor.randomNormal(r, 0.5f, 5, 8));
        b.parameter("b3", Tensor.randomNormal(r, 0.1f, 5));
        b.node("conv1", Conv.of(1, 1), List.of("x", "w1", "b1"), List.of("c1"));
        b.add("relu1", smooth ? new Softplus() : new Relu(), "c1");
        b.node("conv2", Conv.of(2, 1), List.of("relu1", "w2", "b2"), List.of("c2"));
        b.add("relu2", smooth ? new Softplus() : new Relu(), "c2");
        b.add("gap", new GlobalAveragePool(), "relu2");
        b.add("flat", new Flatten(1), "gap");
        b.add("logits", Gemm.linear(), "flat", "w3", "b3");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    /**
     * conv(3→32) → relu → [conv(32→32) → relu → 2×2 max pool] × 2 → fc(4), on 28×28 inputs. The
     * 32-channel convolutions take the Winograd path (3×3, stride 1, declared weights). At a blank
     * input the feature maps are constant away from the borders, so the pool windows there are exact
     * ties — in the second pool only as long as the first block's outputs are position-uniform.
     */
    static ExplainedModel pooledCnn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 28, 28);
        b.parameter("w1", Tensor.randomNormal(r, 0.5f, 32, 3, 3, 3));
        b.parameter("b1", Tensor.randomNormal(r, 0.5f, 32));
        b.node("conv1", Conv.of(1, 1), List.of("x", "w1", "b1"), List.of("c1"));
        String in = b.add("relu1", new Relu(), "c1");
        for (int i = 2; i <= 3; i++) {
            b.parameter("w" + i, Tensor.randomNormal(r, 0.15f, 32, 32, 3, 3));
            b.parameter("b" + i, Tensor.randomNormal(r, 0.5f, 32));
            b.node("conv" + i, Conv.of(1, 1), List.of(in, "w" + i, "b" + i), List.of("c" + i));
            b.add("relu" + i, new Relu(), "c" + i);
            in = b.add("pool" + i, MaxPool.of(2, 2), "relu" + i);
        }
        return withLinearHead(b, r, in, 32 * 7 * 7);
    }

    /** Flatten → fc(4) on value {@code in} of {@code features} per item, as the output "logits". */
    private static ExplainedModel withLinearHead(Graph.Builder b, SplittableRandom r, String in, int features) {
        b.parameter("wf", Tensor.randomNormal(r, 0.1f, 4, features));
        b.parameter("bf", Tensor.randomNormal(r, 0.1f, 4));
        b.add("flat", new Flatten(1), in);
        b.add("logits", Gemm.linear(), "flat", "wf", "bf");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    /**
     * A 7×7 stride-2 stem conv(3→16) → relu → 2×2 max pool → fc(4), on 40×40 inputs: at batch 1,
     * OpenBLAS computes this stem with unequal roundings at positions whose windows hold equal
     * values, so at a per-channel constant input the pool's ties are decided by rounding unless
     * the stem runs with uniform convolutions.
     */
    static ExplainedModel stemPooledCnn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 40, 40);
        b.parameter("w1", Tensor.randomNormal(r, 0.2f, 16, 3, 7, 7));
        b.parameter("b1", Tensor.randomNormal(r, 0.5f, 16));
        b.node("conv1", Conv.builder().strides(2, 2).pads(3, 3, 3, 3).build(), List.of("x", "w1", "b1"), List.of("c1"));
        b.add("relu1", new Relu(), "c1");
        b.add("pool", MaxPool.of(2, 2), "relu1");
        return withLinearHead(b, r, "pool", 16 * 10 * 10);
    }

    /** conv(3→6) → ReLU6 → conv(6→6) → relu → global average pool → fc(5): both ReLU-family kinds. */
    static ExplainedModel relu6Cnn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 8, 8);
        b.parameter("w1", Tensor.randomNormal(r, 1.2f, 6, 3, 3, 3));
        b.parameter("b1", Tensor.randomNormal(r, 0.5f, 6));
        b.parameter("w2", Tensor.randomNormal(r, 0.4f, 6, 6, 3, 3));
        b.parameter("w3", Tensor.randomNormal(r, 0.5f, 5, 6));
        b.parameter("b3", Tensor.randomNormal(r, 0.1f, 5));
        b.node("conv1", Conv.of(1, 1), List.of("x", "w1", "b1"), List.of("c1"));
        b.add("relu6", Clip.between(0f, 6f), "c1");
        b.node("conv2", Conv.of(1, 1), List.of("relu6", "w2"), List.of("c2"));
        b.add("relu", new Relu(), "c2");
        b.add("gap", new GlobalAveragePool(), "relu");
        b.add("flat", new Flatten(1), "gap");
        b.add("logits", Gemm.linear(), "flat", "w3", "b3");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    /**
     * Pass-through op that records the largest batch and the number of forward passes it sees (its
     * own type, so it is not mistaken for a stem node: {@link AffineStem}).
     */
    static final class BatchProbe implements Op {
        int maxRows;
        int forwards;

        @Override
        public String type() {
            return "BatchProbe";
        }

        @Override
        public OpCategory category() {
            return OpCategory.IDENTITY;
        }

        @Override
        public boolean retainsInput(int index) {
            return false;
        }

        @Override
        public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
            maxRows = Math.max(maxRows, inputs[0].dim(0));
            forwards++;
            return new Tensor[] {inputs[0]};
        }

        @Override
        public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
            return new Tensor[] {gradOutputs[0]};
        }
    }

    /**
     * A ReLU CNN [N,3,8,8] → 5 logits with {@code probe} after its first convolution (where every
     * forward pass of the network, or of the part after an affine stem, meets it).
     */
    static ExplainedModel probedCnn(BatchProbe probe, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 8, 8);
        b.parameter("w1", Tensor.randomNormal(r, 0.5f, 8, 3, 3, 3));
        b.parameter("w2", Tensor.randomNormal(r, 0.5f, 5, 8));
        b.parameter("b2", Tensor.randomNormal(r, 0.1f, 5));
        b.add("conv", Conv.of(1, 1), "x", "w1");
        b.add("probe", probe, "conv");
        b.add("relu", new Relu(), "probe");
        b.add("gap", new GlobalAveragePool(), "relu");
        b.add("flat", new Flatten(1), "gap");
        b.add("logits", Gemm.linear(), "flat", "w2", "b2");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    static Tensor random(long seed, float std, int... shape) {
        return Tensor.randomNormal(new SplittableRandom(seed), std, shape);
    }

    static Tensor items(Tensor x, int from, int to) {
        int per = x.size() / x.dim(0);
        int[] s = x.shape();
        s[0] = to - from;
        return Tensor.of(java.util.Arrays.copyOfRange(x.data(), from * per, to * per), s);
    }

    static void assertValues(float[] expected, Tensor actual, double tol, String what) {
        assertEquals(expected.length, actual.size(), what + ": size");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.data()[i], tol, what + " at " + i);
        }
    }

    /** |a − b| ≤ abs + rel·|b| element-wise, same shape. */
    static void assertClose(Tensor expected, Tensor actual, double abs, double rel, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        for (int i = 0; i < expected.size(); i++) {
            float e = expected.data()[i];
            float a = actual.data()[i];
            assertTrue(Math.abs(a - e) <= abs + rel * Math.abs(e),
                    what + " at " + i + ": expected " + e + " got " + a);
        }
    }

    static void assertBitIdentical(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.data()[i]), Float.floatToRawIntBits(actual.data()[i]),
                    what + " at " + i + ": " + expected.data()[i] + " vs " + actual.data()[i]);
        }
    }

    static void assertFinite(Tensor t, String what) {
        for (int i = 0; i < t.size(); i++) {
            assertTrue(Float.isFinite(t.data()[i]), what + ": non-finite value at " + i);
        }
    }

    static double sum(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v;
        }
        return s;
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
