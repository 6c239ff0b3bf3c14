package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Div;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.GlobalAveragePool;
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
}
