package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.ConvTranspose;
import dev.netlens.core.ops.Div;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.MatMul;
import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.Mul;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.ops.Sub;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The affine stem: which chains are split off, and integrated gradients computed through it agree
 * with integrated gradients over the whole model at every step.
 */
class AffineStemTest {
    /** x → (x − mean) / std → conv → relu → max pool → conv → relu → gap → fc, with biases everywhere. */
    private static ExplainedModel normalisedCnn(long seed, boolean inputUsedTwice) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 8, 8);
        b.parameter("mean", Tensor.of(new float[] {0.4f, 0.5f, 0.6f}, 1, 3, 1, 1));
        b.parameter("std", Tensor.of(new float[] {0.2f, 0.25f, 0.3f}, 1, 3, 1, 1));
        b.parameter("w1", Tensor.randomNormal(r, 0.5f, 8, 3, 3, 3));
        b.parameter("b1", Tensor.randomNormal(r, 0.5f, 8));
        b.parameter("w2", Tensor.randomNormal(r, 0.3f, 8, 8, 3, 3));
        b.parameter("b2", Tensor.randomNormal(r, 0.5f, 8));
        b.parameter("w3", Tensor.randomNormal(r, 0.5f, 5, 8));
        b.parameter("b3", Tensor.randomNormal(r, 0.1f, 5));
        b.add("centred", new Sub(), "x", "mean");
        b.add("scaled", new Div(), "centred", "std");
        b.node("conv1", Conv.of(2, 1), List.of("scaled", "w1", "b1"), List.of("c1"));
        b.add("relu1", new Relu(), "c1");
        b.add("pool1", MaxPool.builder().kernelShape(3, 3).strides(1, 1).pads(1, 1, 1, 1).build(), "relu1");
        String second = "pool1";
        if (inputUsedTwice) {
            // A skip from the input: the chain's first value has a second consumer.
            b.parameter("half", Tensor.of(new float[] {0.5f}, 1));
            b.add("gx", new GlobalAveragePool(), "x");
            b.add("gxs", new Mul(), "gx", "half");
        }
        b.node("conv2", Conv.of(1, 1), List.of(second, "w2", "b2"), List.of("c2"));
        b.add("relu2", new Relu(), "c2");
        b.add("gap", new GlobalAveragePool(), "relu2");
        String pooled = "gap";
        if (inputUsedTwice) {
            b.add("sum", new Add(), "gap", "gxs");
            pooled = "sum";
        }
        b.add("flat", new Flatten(1), pooled);
        b.add("logits", Gemm.linear(), "flat", "w3", "b3");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    @Test
    void theStemEndsBeforeTheFirstNonAffineNode() {
        Optional<AffineStem> stem = AffineStem.of(normalisedCnn(1, false));
        assertTrue(stem.isPresent());
        assertEquals("c1", stem.get().output());
    }

    @Test
    void noStemWhenTheInputHasAnotherConsumerOrNoLinearLayer() {
        assertFalse(AffineStem.of(normalisedCnn(1, true)).isPresent(), "input used twice");
        assertFalse(AffineStem.of(TestModels.squares()).isPresent(), "x ⊙ x is not affine");
        assertFalse(AffineStem.of(TestModels.linear(3)).isPresent(), "the stem would reach the output");
    }

    @Test
    void theTailComputesTheModelFromTheStemOutputWithItsReluAfterThePool() {
        ExplainedModel m = normalisedCnn(9, false);
        AffineStem stem = AffineStem.of(m).orElseThrow();
        Tensor x = TestModels.random(10, 1f, 3, 3, 8, 8);
        Tensor z = stem.forward(x);
        Graph tail = stem.tail(z).graph();
        assertEquals("MaxPool", tail.consumers("c1").get(0).op().type(), "the pool reads the convolution");
        assertEquals("Relu", tail.producer("pool1").op().type(), "the ReLU writes the pooled value");
        // Biases make many pre-activations negative and some windows entirely so.
        TestModels.assertBitIdentical(m.forward(x), stem.tail(z).forward(z), "tail(stem(x))");
        TestModels.assertBitIdentical(z, stem.record(x).output(), "recorded stem output");
    }

    @Test
    void integratedGradientsThroughTheStemMatchesTheWholeModel() {
        for (ExplainedModel m : new ExplainedModel[] {normalisedCnn(4, false), TestModels.reluCnn(5), TestModels.resnet(6)}) {
            assertTrue(AffineStem.of(m).isPresent());
            Tensor x = TestModels.random(7, 1f, 2, 3, 8, 8);
            Tensor base = TestModels.random(8, 0.3f, 1, 3, 8, 8);
            for (Quadrature.Method rule : new Quadrature.Method[] {Quadrature.Method.GAUSS_LEGENDRE,
                    Quadrature.Method.RIEMANN_TRAPEZOID}) {
                IntegratedGradients.Builder b = IntegratedGradients.builder(m).steps(24).method(rule).baseline(base)
                        .internalBatch(5);
                Explanation split = b.build().explain(x, Target.classes(2));
                Explanation whole = b.splitStem(false).build().explain(x, Target.classes(2));
                TestModels.assertClose(whole.map(), split.map(), 1e-6, 1e-4, rule + " attributions");
                TestModels.assertClose(whole.extras().get(IntegratedGradients.CONVERGENCE_DELTA),
                        split.extras().get(IntegratedGradients.CONVERGENCE_DELTA), 1e-5, 1e-3, rule + " delta");
                assertTrue(TestModels.maxAbsDiff(whole.map(), Tensor.zerosLike(whole.map())) > 1e-2, "non-trivial map");
            }
        }
    }

    /** relu → global average pool → flatten → fc ({@code weights}) on {@code from}, the model's output "logits". */
    private static ExplainedModel withHead(Graph.Builder b, String from, String weights) {
        b.add("relu_head", new Relu(), from);
        b.add("gap_head", new GlobalAveragePool(), "relu_head");
        b.add("flat_head", new Flatten(1), "gap_head");
        b.add("logits", Gemm.linear(), "flat_head", weights);
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    /** x → (x − mean) / std → conv (bias) → batch norm → + offset → relu → gap → fc: every stem node but Div adds a constant. */
    private static ExplainedModel offsetStem(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 8, 8);
        b.parameter("mean", Tensor.of(new float[] {0.4f, 0.5f, 0.6f}, 1, 3, 1, 1));
        b.parameter("std", Tensor.of(new float[] {0.2f, 0.25f, 0.3f}, 1, 3, 1, 1));
        b.parameter("w1", Tensor.randomNormal(r, 0.5f, 4, 3, 3, 3));
        // Offsets far larger than the convolution's output: z(x) − z(0) would keep few of its bits.
        b.parameter("b1", Tensor.of(new float[] {900f, -700f, 1200f, 50f}, 4));
        b.parameter("scale", Tensor.of(new float[] {1.5f, 0.5f, 2f, 1f}, 4));
        b.parameter("shift", Tensor.of(new float[] {300f, -20f, 0.5f, 7f}, 4));
        b.parameter("runmean", Tensor.of(new float[] {880f, -650f, 1100f, 40f}, 4));
        b.parameter("runvar", Tensor.of(new float[] {4f, 0.25f, 9f, 1f}, 4));
        b.parameter("offset", Tensor.of(new float[] {-400f}, 1));
        b.parameter("w3", Tensor.randomNormal(r, 0.5f, 5, 4));
        b.add("centred", new Sub(), "x", "mean");
        b.add("scaled", new Div(), "centred", "std");
        b.node("conv1", Conv.of(1, 1), List.of("scaled", "w1", "b1"), List.of("c1"));
        b.node("bn1", BatchNormalization.defaults(), List.of("c1", "scale", "shift", "runmean", "runvar"), List.of("n1"));
        b.add("o1", new Add(), "n1", "offset");
        return withHead(b, "o1", "w3");
    }

    @Test
    void theLinearPartDropsEveryOffset() {
        AffineStem stem = AffineStem.of(offsetStem(3)).orElseThrow();
        assertEquals("o1", stem.output());
        Tensor v = TestModels.random(4, 1f, 2, 3, 8, 8);
        Tensor lv = stem.linearPart(v);
        // Linear: L(0) = 0 and L(2v) = 2 L(v) exactly (scaling by 2 is exact at every step), which
        // any offset left in the chain would break.
        TestModels.assertBitIdentical(Tensor.zerosLike(lv), stem.linearPart(Tensor.zerosLike(v)), "L(0)");
        float[] twice = v.data().clone();
        float[] doubled = lv.data().clone();
        for (int i = 0; i < twice.length; i++) {
            twice[i] *= 2;
        }
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2;
        }
        TestModels.assertBitIdentical(Tensor.of(doubled, lv.shape()), stem.linearPart(Tensor.of(twice, v.shape())), "L(2v)");
        // And the stem is L plus its value at 0, up to the rounding of the offsets (about 1e-4 at 1200).
        float[] z = stem.forward(v).data();
        float[] z0 = stem.forward(Tensor.zerosLike(v)).data();
        float[] expected = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            expected[i] = z[i] - z0[i];
        }
        TestModels.assertClose(Tensor.of(expected, lv.shape()), lv, 1e-3, 0, "stem(v) − stem(0)");
        assertTrue(TestModels.maxAbsDiff(lv, Tensor.zerosLike(lv)) > 1, "non-trivial values");
    }

    /**
     * conv (bias {@code offset}) → batch norm (mean {@code offset}) → relu → gap → fc: in exact
     * arithmetic the offset cancels, so the model is the same for every offset.
     */
    private static ExplainedModel cancellingOffsets(float offset) {
        SplittableRandom r = new SplittableRandom(12);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 8, 8);
        b.parameter("w1", Tensor.randomNormal(r, 0.5f, 4, 3, 3, 3));
        b.parameter("b1", Tensor.of(new float[] {offset, offset, offset, offset}, 4));
        b.parameter("scale", Tensor.of(new float[] {1.5f, 0.5f, 2f, 1f}, 4));
        b.parameter("shift", Tensor.of(new float[] {0.3f, -0.2f, 0.1f, 0f}, 4));
        b.parameter("runmean", Tensor.of(new float[] {offset, offset, offset, offset}, 4));
        b.parameter("runvar", Tensor.of(new float[] {4f, 0.25f, 9f, 1f}, 4));
        b.parameter("w3", Tensor.randomNormal(r, 0.5f, 5, 4));
        b.node("conv1", Conv.of(1, 1), List.of("x", "w1", "b1"), List.of("c1"));
        b.node("bn1", BatchNormalization.defaults(), List.of("c1", "scale", "shift", "runmean", "runvar"), List.of("n1"));
        return withHead(b, "n1", "w3");
    }

    @Test
    void integratedGradientsMovesAlongTheLinearPartNotADifferenceOfStemOutputs() {
        // With a bias of 1e6 (float spacing 0.0625 there) cancelled by the batch norm's mean, the
        // stem's outputs keep only a few bits of the convolution, and so would z(x) − z(x′); the
        // linear part W(x − x′) keeps them all, so the map matches the offset-free model's.
        Tensor x = TestModels.random(13, 1f, 1, 3, 8, 8);
        IntegratedGradients.Builder offsets = IntegratedGradients.builder(cancellingOffsets(1e6f)).steps(16);
        IntegratedGradients.Builder clean = IntegratedGradients.builder(cancellingOffsets(0f)).steps(16);
        Tensor expected = clean.build().explain(x, Target.classes(1)).map();
        TestModels.assertClose(expected, offsets.build().explain(x, Target.classes(1)).map(), 1e-6, 1e-4,
                "through the stem, offsets 1e6");
        assertTrue(TestModels.maxAbsDiff(expected, offsets.splitStem(false).build().explain(x, Target.classes(1)).map())
                > 1e-3, "the whole model at every step loses those bits (the case this guards)");
    }

    /**
     * A stem of the given nodes from input "x" [-1, 6] to value "s", then relu → fc (5 classes); the
     * nodes are added by {@code stem} and read parameters declared by it.
     */
    private static ExplainedModel denseModel(java.util.function.Consumer<Graph.Builder> stem, int width) {
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 6);
        stem.accept(b);
        b.parameter("wout", Tensor.randomNormal(new SplittableRandom(31), 0.5f, 5, width));
        b.add("r", new Relu(), "s");
        b.add("logits", Gemm.linear(), "r", "wout");
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    private static Tensor param(long seed, int... shape) {
        return Tensor.randomNormal(new SplittableRandom(seed), 1f, shape);
    }

    @Test
    void theLinearPartIsTheStemMinusItsValueAtZeroForEveryOpAndPosition() {
        java.util.Map<String, ExplainedModel> cases = new java.util.LinkedHashMap<>();
        cases.put("p − v, then a dense layer", denseModel(b -> {
            b.parameter("p", param(1, 1, 6));
            b.parameter("w", param(2, 4, 6));
            b.parameter("c", param(3, 4));
            b.add("d", new Sub(), "p", "x");
            b.add("s", Gemm.linear(), "d", "w", "c");
        }, 4));
        cases.put("Gemm alpha 0.5, beta 2, transB, with bias", denseModel(b -> {
            b.parameter("w", param(4, 6, 4));
            b.parameter("c", param(5, 4));
            b.add("s", new Gemm(0.5f, 2f, false, false), "x", "w", "c");
        }, 4));
        cases.put("MatMul, then an added vector", denseModel(b -> {
            b.parameter("at", param(8, 6, 4));
            b.parameter("c2", param(9, 4));
            b.add("m", new MatMul(), "x", "at");
            b.add("s", new Add(), "c2", "m");
        }, 4));
        cases.put("a parameter both added and multiplied", denseModel(b -> {
            b.parameter("w", param(10, 4, 6));
            b.parameter("k", param(11, 4));
            b.add("g", Gemm.linear(), "x", "w");
            b.add("a", new Add(), "g", "k");
            b.add("s", new Mul(), "a", "k");
        }, 4));
        for (var e : cases.entrySet()) {
            AffineStem stem = AffineStem.of(e.getValue()).orElseThrow(() -> new AssertionError(e.getKey() + ": no stem"));
            assertEquals("s", stem.output(), e.getKey());
            checkLinearPart(stem, TestModels.random(40, 1f, 3, 6), e.getKey());
        }
        // Convolutions: transposed with a bias, and the input as the weights of a convolution.
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 5, 5);
        b.parameter("w", param(12, 3, 4, 3, 3));
        b.parameter("bias", param(13, 4));
        b.parameter("wout", param(14, 5, 4));
        b.add("s", ConvTranspose.builder().kernelShape(3, 3).strides(2, 2).pads(1, 1, 1, 1).build(), "x", "w", "bias");
        AffineStem transposed = AffineStem.of(withHead(b, "s", "wout")).orElseThrow();
        assertEquals("s", transposed.output());
        checkLinearPart(transposed, TestModels.random(41, 1f, 2, 3, 5, 5), "ConvTranspose with bias");
    }

    private static void checkLinearPart(AffineStem stem, Tensor v, String what) {
        float[] z = stem.forward(v).data();
        float[] z0 = stem.forward(Tensor.zerosLike(v)).data();
        Tensor lv = stem.linearPart(v);
        float[] expected = new float[z.length];
        double scale = 0;
        for (int i = 0; i < z.length; i++) {
            expected[i] = z[i] - z0[i];
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        TestModels.assertClose(Tensor.of(expected, lv.shape()), lv, 1e-5 * scale, 0, what);
        assertTrue(scale > 0.1, what + ": non-trivial");
    }

    /** x → conv → c, then {@code op} reading c at input {@code position} (parameters elsewhere) → s → relu → fc. */
    private static ExplainedModel valueAt(dev.netlens.core.ops.Op op, int inputs, int position) {
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 4, 4);
        b.parameter("w", param(20, 4, 3, 1, 1));
        b.add("c", Conv.of(1, 0), "x", "w");
        List<String> in = new java.util.ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            String name = i == position ? "c" : "p" + i;
            if (i != position) {
                b.parameter(name, param(21 + i, 4));
            }
            in.add(name);
        }
        b.node("op", op, in, List.of("s"));
        b.parameter("wout", param(30, 5, 4));
        return withHead(b, "s", "wout");
    }

    @Test
    void theStemStopsWhereTheValueIsABiasOrABatchNormParameter() {
        // Only the structure matters here (nothing runs): a batch norm is affine in its data alone
        // (1/√(var + ε) is not affine in var; scale·x is not linear in the pair), a convolution in its
        // data or weights, not its bias.
        assertEquals("s", AffineStem.of(valueAt(BatchNormalization.defaults(), 5, 0)).orElseThrow().output());
        for (int position = 1; position <= 4; position++) {
            assertEquals("c", AffineStem.of(valueAt(BatchNormalization.defaults(), 5, position)).orElseThrow().output(),
                    "batch norm with the value at input " + position);
        }
        assertEquals("s", AffineStem.of(valueAt(Conv.of(1, 0), 3, 1)).orElseThrow().output(), "value as weights");
        assertEquals("c", AffineStem.of(valueAt(Conv.of(1, 0), 3, 2)).orElseThrow().output(), "value as the bias");
        assertEquals("c", AffineStem.of(valueAt(new Gemm(1f, 1f, false, false), 3, 2)).orElseThrow().output(),
                "value as Gemm's C");
    }
}
