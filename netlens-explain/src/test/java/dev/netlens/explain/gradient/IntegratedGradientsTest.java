package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.Interventions;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.UniformConvolutions;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Completeness, quadrature rules, baselines, target pinning and bounded memory of integrated gradients. */
class IntegratedGradientsTest {
    private final ExplainedModel resnet = TestModels.resnet(11);
    private final Tensor x = TestModels.random(12, 1f, 2, 3, 8, 8);

    /**
     * The ResNet builder's networks have no biases before the classifier and batch norm with zero
     * mean and shift, so they are positively homogeneous: from the zero baseline every ReLU keeps its
     * state along the path, the gradient is constant and Gauss–Legendre is exact up to rounding.
     */
    @Test
    void completenessOnAReluResNetFromTheZeroBaseline() {
        Explanation e = checkCompleteness(resnet, IntegratedGradients.builder(resnet).build(), 2, 1e-3);
        assertEquals("gausslegendre", e.parameters().get("method"));
        assertEquals(50, e.parameters().get("steps"));
    }

    /**
     * On a smooth network (Softplus) Gauss–Legendre with 50 nodes is accurate to float rounding, far
     * better than the midpoint rule with as many steps.
     */
    @Test
    void completenessOnASmoothCnnIsAtRoundingLevel() {
        ExplainedModel smooth = TestModels.softplusCnn(21);
        checkCompleteness(smooth, IntegratedGradients.builder(smooth).build(), 2, 1e-5);
        Tensor gl = IntegratedGradients.builder(smooth).build().explain(x, Target.classes(2)).extras()
                .get(IntegratedGradients.CONVERGENCE_DELTA);
        Tensor mid = IntegratedGradients.builder(smooth).method(Quadrature.Method.RIEMANN_MIDDLE).build()
                .explain(x, Target.classes(2)).extras().get(IntegratedGradients.CONVERGENCE_DELTA);
        for (int n = 0; n < 2; n++) {
            assertTrue(Math.abs(mid.data()[n]) > 5 * Math.abs(gl.data()[n]), "midpoint " + mid.data()[n]
                    + " vs Gauss–Legendre " + gl.data()[n]);
        }
    }

    /**
     * With biases, a ReLU network's path gradient is piecewise constant with many jumps, and any
     * 50-node rule has an error of the order of the jumps (here up to ~6e-3 relative): completeness
     * to 1e-3 needs more nodes — it holds with 1000 — and the reported delta says how far off a run is.
     */
    @Test
    void completenessOnAReluCnnWithBiasesConvergesWithNodes() {
        ExplainedModel cnn = TestModels.reluCnn(21);
        checkCompleteness(cnn, IntegratedGradients.builder(cnn).build(), 2, 1e-2);
        checkCompleteness(cnn, IntegratedGradients.builder(cnn).steps(1000).internalBatch(64).build(), 2, 1e-3);
        // The same at a random baseline on the residual network.
        Tensor base = TestModels.random(13, 1f, 1, 3, 8, 8);
        checkCompleteness(resnet, IntegratedGradients.builder(resnet).baseline(base).steps(1000).internalBatch(64)
                .build(), 2, 5e-3);
    }

    /**
     * Rules with a node at α = 0 evaluate the gradient at the baseline itself with position-uniform
     * convolutions (UniformConvolutions): at a blank baseline every pool window away from the
     * borders is an exact tie, which the fast kernels' rounding would otherwise decide. Trapezoid
     * with 2 steps is 0.25 · (x − x′) ⊙ (g(x′) + g(x)) in Captum's weights, with g(x′) taken in the
     * scope — on both paths (stem split or not). Cases: a two-pool CNN from the zero and from a
     * per-channel constant baseline (its 3×3 layers break ties outside the scope), and a CNN whose
     * 7×7 stem breaks them at a constant baseline (so the stem's output there, where the split path
     * starts, must be uniform too). Each case checks that the fast kernels do break ties.
     */
    @Test
    void theGradientAtTheBaselineNodeTakesUniformConvolutions() {
        ExplainedModel pooled = TestModels.pooledCnn(31);
        Tensor in = TestModels.random(32, 1f, 2, 3, 28, 28);
        ExplainedModel stem = TestModels.stemPooledCnn(33);
        Tensor stemIn = TestModels.random(34, 1f, 1, 3, 40, 40);
        checkBaselineNode(pooled, in, Tensor.zerosLike(in), "two pools, zero baseline");
        checkBaselineNode(pooled, in, black(in), "two pools, constant baseline");
        checkBaselineNode(stem, stemIn, black(stemIn), "7×7 stem, constant baseline");
    }

    /**
     * Layer integrated gradients at the 7×7 stem's output: with a node at α = 0 the baseline
     * activation A′ is computed with uniform convolutions (OpenBLAS rounds this stem non-uniformly
     * at batch 1, and the pool after it then breaks A′'s ties by rounding). Trapezoid with 2 steps
     * is 0.25 · (A − A′) ⊙ (g(A′) + g(A)), g the gradient with respect to the layer.
     */
    @Test
    void layerIntegratedGradientsTakeTheBaselineActivationWithUniformConvolutions() {
        ExplainedModel stem = TestModels.stemPooledCnn(33);
        Tensor in = TestModels.random(34, 1f, 1, 3, 40, 40);
        Tensor base = black(in);
        Target t = Target.classes(1);
        Tensor a = activation(stem, in, "c1");
        Tensor a0 = UniformConvolutions.call(() -> activation(stem, base, "c1"));
        Tensor fastA0 = activation(stem, base, "c1");
        Tensor g0 = layerGradient(stem, in, "c1", a0, t);
        assertTrue(TestModels.maxAbsDiff(g0, layerGradient(stem, in, "c1", fastA0, t))
                > 1e-3 * TestModels.maxAbsDiff(g0, Tensor.zerosLike(g0)),
                "the fast stem broke no tie; the test would not show the scope");
        Tensor g1 = layerGradient(stem, in, "c1", a, t);
        Tensor expected = Tensor.zerosLike(a);
        for (int i = 0; i < a.size(); i++) {
            expected.data()[i] = (float) ((a.data()[i] - a0.data()[i]) * (0.25 * g0.data()[i] + 0.25 * g1.data()[i]));
        }
        Tensor lig = LayerIntegratedGradients.builder(stem, "c1").method(Quadrature.Method.RIEMANN_TRAPEZOID).steps(2)
                .baseline(base).build().explain(in, t).map();
        TestModels.assertClose(expected, lig, 1e-6, 1e-4, "layer integrated gradients at the stem");
    }

    /**
     * Layer integrated gradients at a layer whose activations hold exact ties at both ends — a blank
     * baseline, and an input that is constant over its left half — in the windows of the max pool
     * after it: every point of the path is affine in the two ends, so those windows are tied at every
     * step, and the ends must be computed with uniform convolutions for the ties to go to each
     * window's first element (the fast Winograd kernels of conv3 make them near-ties). Checked
     * against the Gauss–Legendre sum written out with the exact ends.
     */
    @Test
    void layerIntegratedGradientsComputesBothEndsWithExactTies() {
        ExplainedModel m = TestModels.pooledCnn(41);
        Tensor in = TestModels.random(42, 1f, 1, 3, 28, 28);
        for (int i = 0; i < in.size(); i++) {
            if (i % 28 < 14) {
                in.data()[i] = 0.5f;
            }
        }
        Tensor base = black(in);
        Target t = Target.classes(2);
        String layer = "relu3";
        Tensor a = UniformConvolutions.call(() -> activation(m, in, layer));
        Tensor a0 = UniformConvolutions.call(() -> activation(m, base, layer));
        assertTrue(TestModels.maxAbsDiff(a0, activation(m, base, layer)) > 0,
                "the fast kernels computed the baseline's activations bit-equal; the test would not show the ends");
        Tensor expected = gaussLegendre(a0, a, 8, point -> layerGradient(m, in, layer, point, t));
        Tensor lig = LayerIntegratedGradients.builder(m, layer).steps(8).baseline(base).build().explain(in, t).map();
        TestModels.assertClose(expected, lig, 1e-6, 1e-4, "layer integrated gradients with tied ends");
    }

    /**
     * An input with flat regions (piecewise constant, as a synthetic figure or a blank background):
     * in exact arithmetic, and in PyTorch's float32, the max-pool windows over those regions are
     * exact ties that go to each window's first element. The explanation methods' passes keep them
     * exact (ExactTies): the input gradient and integrated gradients equal the same computations
     * with every forward convolution position-uniform, which OpenBLAS alone is not on this 7×7 stem
     * (TestModels.stemPooledCnn).
     */
    @Test
    void flatImageRegionsKeepTheirExactTies() {
        ExplainedModel m = TestModels.stemPooledCnn(51);
        Tensor in = TestModels.random(52, 1f, 1, 3, 40, 40);
        for (int i = 0; i < in.size(); i++) {
            int y = (i / 40) % 40;
            int x = i % 40;
            if (y < 28 && x < 28) {
                in.data()[i] = 0.3f + 0.2f * (i / (40 * 40));   // a flat square, one value per channel
            }
        }
        Target t = Target.classes(1);
        Tensor exact = UniformConvolutions.call(() -> plainGradient(m, in, t));
        Tensor fast = plainGradient(m, in, t);
        assertTrue(TestModels.maxAbsDiff(exact, fast) > 1e-3 * TestModels.maxAbsDiff(exact, Tensor.zerosLike(exact)),
                "the fast kernels kept every tie; the test would not show the scope");
        TestModels.assertClose(exact, Gradients.input(m, in, t).gradient(), 1e-6, 1e-4, "input gradient");
        Tensor ig = IntegratedGradients.builder(m).steps(4).build().explain(in, t).map();
        Tensor exactIg = UniformConvolutions.call(
                () -> gaussLegendre(Tensor.zerosLike(in), in, 4, point -> plainGradient(m, point, t)));
        TestModels.assertClose(exactIg, ig, 1e-5, 1e-3, "integrated gradients");
    }

    /**
     * The Gauss–Legendre path integral written out: (end − start) ⊙ Σ_k w_k g(start + α_k (end − start)),
     * with {@code gradientAt} giving g at a point of the path.
     */
    private static Tensor gaussLegendre(Tensor start, Tensor end, int steps, UnaryOperator<Tensor> gradientAt) {
        Quadrature q = Quadrature.of(Quadrature.Method.GAUSS_LEGENDRE, steps);
        double[] sum = new double[end.size()];
        for (int k = 0; k < q.size(); k++) {
            Tensor point = Tensor.zerosLike(end);
            for (int i = 0; i < end.size(); i++) {
                point.data()[i] = (float) (start.data()[i] + q.alpha(k) * (end.data()[i] - start.data()[i]));
            }
            Tensor g = gradientAt.apply(point);
            for (int i = 0; i < end.size(); i++) {
                sum[i] += q.weight(k) * g.data()[i];
            }
        }
        Tensor out = Tensor.zerosLike(end);
        for (int i = 0; i < end.size(); i++) {
            out.data()[i] = (float) ((end.data()[i] - start.data()[i]) * sum[i]);
        }
        return out;
    }

    /** ∂y/∂x with a plain graph pass (no exact-ties option): the kernels of the calling scope decide. */
    private static Tensor plainGradient(ExplainedModel m, Tensor x, Target t) {
        Trace trace = m.graph().run().record().outputs(m.outputName()).forward(Map.of(m.inputName(), x));
        return trace.gradients(Map.of(m.outputName(), t.seed(trace.output())), List.of(m.inputName()))
                .get(m.inputName());
    }

    private static Tensor activation(ExplainedModel m, Tensor x, String layer) {
        return m.graph().run().outputs(layer).forward(Map.of(m.inputName(), x)).output();
    }

    /** ∂y/∂(layer) with the layer's value replaced by {@code value}, as layer integrated gradients takes it. */
    private static Tensor layerGradient(ExplainedModel m, Tensor x, String layer, Tensor value, Target t) {
        Trace trace = m.graph().run().record().intervene(layer, Interventions.replace(value)).outputs(m.outputName())
                .forward(Map.of(m.inputName(), x));
        return trace.gradients(Map.of(m.outputName(), t.seed(trace.output())), List.of(layer)).get(layer);
    }

    /** A normalised black image: each channel constant (−0.5, −0.75, −1). */
    private static Tensor black(Tensor like) {
        Tensor t = Tensor.zerosLike(like);
        int area = like.dim(2) * like.dim(3);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = -0.5f - 0.25f * ((i / area) % 3);
        }
        return t;
    }

    private static void checkBaselineNode(ExplainedModel cnn, Tensor in, Tensor base, String what) {
        Target t = Target.classes(1);
        Tensor atBaseline = UniformConvolutions.call(() -> Gradients.input(cnn, base, t, Composite.NONE).gradient());
        Tensor fast = plainGradient(cnn, base, t);
        assertTrue(TestModels.maxAbsDiff(atBaseline, fast) > 1e-3 * TestModels.maxAbsDiff(atBaseline, Tensor.zerosLike(base)),
                what + ": the fast kernels broke no tie; the test would not show the scope");
        Tensor atInput = Gradients.input(cnn, in, t, Composite.NONE).gradient();
        Tensor expected = Tensor.zerosLike(in);
        for (int i = 0; i < in.size(); i++) {
            expected.data()[i] = (float) ((in.data()[i] - base.data()[i])
                    * (0.25 * atBaseline.data()[i] + 0.25 * atInput.data()[i]));
        }
        for (boolean split : new boolean[] {true, false}) {
            Tensor ig = IntegratedGradients.builder(cnn).method(Quadrature.Method.RIEMANN_TRAPEZOID).steps(2)
                    .baseline(base).splitStem(split).build().explain(in, t).map();
            TestModels.assertClose(expected, ig, 1e-6, 1e-4, what + ", stem split " + split);
        }
    }

    private Explanation checkCompleteness(ExplainedModel model, IntegratedGradients ig, int cls, double relTol) {
        Explanation e = ig.explain(x, Target.classes(cls));
        Tensor base = e.parameters().get("baseline").equals("zeros") ? Tensor.zerosLike(x)
                : Gradients.repeatEach(TestModels.random(13, 1f, 1, 3, 8, 8), 2);
        Tensor fx = model.forward(x);
        Tensor f0 = model.forward(base);
        Tensor delta = e.extras().get(IntegratedGradients.CONVERGENCE_DELTA);
        assertEquals(2, delta.size());
        for (int n = 0; n < 2; n++) {
            double diff = fx.get(n, cls) - f0.get(n, cls);
            double attrSum = TestModels.sum(TestModels.items(e.map(), n, n + 1));
            assertTrue(Math.abs(attrSum - diff) <= relTol * Math.abs(diff),
                    "item " + n + ": Σ attr = " + attrSum + " vs f(x) − f(x′) = " + diff + " (" + ig.steps() + " steps)");
            assertEquals(attrSum - diff, delta.data()[n], 1e-5 * Math.abs(diff) + 1e-6, "reported delta");
        }
        return e;
    }

    @Test
    void riemannRulesConvergeWithSteps() {
        ExplainedModel cnn = TestModels.reluCnn(21);
        Tensor one = TestModels.items(x, 0, 1);
        for (Quadrature.Method m : Quadrature.Method.values()) {
            double coarse = Math.abs(delta(cnn, m, 4, one));
            double fine = Math.abs(delta(cnn, m, 128, one));
            assertTrue(fine < coarse, m + ": |delta| " + coarse + " at 4 steps, " + fine + " at 128");
        }
    }

    private static double delta(ExplainedModel model, Quadrature.Method m, int steps, Tensor in) {
        return IntegratedGradients.builder(model).method(m).steps(steps).build().explain(in, Target.classes(1))
                .extras().get(IntegratedGradients.CONVERGENCE_DELTA).data()[0];
    }

    @Test
    void aLinearModelIsIntegratedExactlyByEveryRule() {
        ExplainedModel lin = TestModels.linear(3);
        Tensor in = TestModels.random(4, 1f, 2, 2, 3, 3);
        Tensor base = TestModels.random(5, 1f, 1, 2, 3, 3);
        Tensor w = lin.graph().parameters().get("w");
        for (Quadrature.Method m : Quadrature.Method.values()) {
            Tensor attr = IntegratedGradients.builder(lin).method(m).steps(5).baseline(base).build()
                    .explain(in, Target.classes(1)).map();
            // (x − x′) ⊙ w[1], times the weights' sum (Captum's trapezoid weights sum to 1 − 1/n).
            double scale = m == Quadrature.Method.RIEMANN_TRAPEZOID ? 0.8 : 1.0;
            for (int n = 0; n < 2; n++) {
                for (int e = 0; e < 18; e++) {
                    double expected = scale * (in.data()[n * 18 + e] - base.data()[e]) * w.get(1, e);
                    assertEquals(expected, attr.data()[n * 18 + e], 1e-5, m + " at " + n + "," + e);
                }
            }
        }
    }

    @Test
    void aBatchOneBaselineIsUsedForEveryItem() {
        Tensor base = TestModels.random(6, 0.5f, 1, 3, 8, 8);
        Explanation broadcast = IntegratedGradients.builder(resnet).steps(8).baseline(base).build()
                .explain(x, Target.classes(0));
        Explanation full = IntegratedGradients.builder(resnet).steps(8).baseline(Gradients.repeatEach(base, 2)).build()
                .explain(x, Target.classes(0));
        TestModels.assertBitIdentical(full.map(), broadcast.map(), "broadcast baseline");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntegratedGradients.builder(resnet).baseline(Tensor.zeros(3, 3, 8, 8)).build().explain(x));
        assertTrue(e.getMessage().contains("batch 1"), e.getMessage());
    }

    @Test
    void thePredictedClassIsPinnedAtTheInput() {
        // On the hand-checked MLP, x = (1, 2, 3) is class 0 and the baseline (−1, 0, 1) is class 1.
        ExplainedModel mlp = TestModels.mlp(false);
        Tensor in = Tensor.of(TestModels.X.clone(), 1, 3);
        Tensor base = Tensor.of(new float[] {-1, 0, 1}, 1, 3);
        assertTrue(mlp.forward(in).get(0, 0) > mlp.forward(in).get(0, 1));
        assertTrue(mlp.forward(base).get(0, 1) > mlp.forward(base).get(0, 0));
        IntegratedGradients ig = IntegratedGradients.builder(mlp).steps(10).baseline(base).build();
        Explanation predicted = ig.explain(in, Target.predicted());
        TestModels.assertBitIdentical(ig.explain(in, Target.classes(0)).map(), predicted.map(), "predicted vs class 0");
        assertTrue(TestModels.maxAbsDiff(ig.explain(in, Target.classes(1)).map(), predicted.map()) > 0.1);
        assertEquals("class 0", predicted.target());
    }

    @Test
    void theInternalBatchDoesNotChangeTheResult() {
        Tensor ref = IntegratedGradients.builder(resnet).steps(20).internalBatch(20).build().explain(x, Target.classes(3))
                .map();
        for (int b : new int[] {1, 3, 16}) {
            Tensor t = IntegratedGradients.builder(resnet).steps(20).internalBatch(b).build()
                    .explain(x, Target.classes(3)).map();
            TestModels.assertClose(ref, t, 1e-6, 1e-5, "internal batch " + b);
        }
    }

    @Test
    void memoryDoesNotGrowWithSteps() {
        TestModels.BatchProbe probe = new TestModels.BatchProbe();
        ExplainedModel probed = TestModels.probedCnn(probe, 8);
        Tensor in = TestModels.random(9, 1f, 3, 3, 8, 8);
        IntegratedGradients.builder(probed).steps(32).build().explain(in, Target.classes(1));
        int rows32 = probe.maxRows;
        int passes32 = probe.forwards;
        probe.maxRows = 0;
        probe.forwards = 0;
        Explanation e = IntegratedGradients.builder(probed).steps(256).build().explain(in, Target.classes(1));
        // 16 steps of each of the 3 items per pass, whatever the number of steps.
        assertEquals(3 * 16, rows32);
        assertEquals(3 * 16, probe.maxRows);
        // One forward of x and the baseline as one batch (after the model's affine stem), then
        // ⌈steps / 16⌉ recorded passes.
        assertEquals(1 + 2, passes32);
        assertEquals(1 + 16, probe.forwards);
        Tensor delta = e.extras().get(IntegratedGradients.CONVERGENCE_DELTA);
        for (int n = 0; n < 3; n++) {
            assertTrue(Math.abs(delta.data()[n]) < 1e-2, "delta " + delta.data()[n]);
        }
    }

    @Test
    void builderValidationSaysWhatIsValid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntegratedGradients.builder(resnet).steps(0).build());
        assertTrue(e.getMessage().contains("steps >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> IntegratedGradients.builder(resnet).method("riemann_left").steps(1).build());
        assertTrue(e.getMessage().contains("steps >= 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> IntegratedGradients.builder(resnet).internalBatch(0).build());
        assertTrue(e.getMessage().contains("internalBatch must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IntegratedGradients.builder(resnet).method("simpson"));
        assertTrue(e.getMessage().contains("gausslegendre"), e.getMessage());
    }
}
