package dev.netlens.explain.deeplift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Retention;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.ops.Sigmoid;
import dev.netlens.core.ops.Softmax;
import dev.netlens.core.ops.Tanh;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.RuleMethods;
import dev.netlens.explain.Target;
import dev.netlens.explain.lrp.TestNets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeepLiftTest {

    /** Σ attr = f(x) − f(x′) per item, within {@code tol} relative to |Δf| (plus a tiny absolute slack). */
    private static void assertSummationToDelta(ExplainedModel m, Explanation e, Tensor x, Tensor ref, int[] classes,
                                               double tol) {
        Tensor fx = m.forward(x);
        Tensor fr = m.forward(ref);
        int k = fx.dim(1);
        double[] sums = TestNets.itemSums(e.map());
        for (int i = 0; i < sums.length; i++) {
            double delta = fx.data()[i * k + classes[i]] - fr.data()[i * k + classes[i]];
            assertTrue(Math.abs(delta) > 1e-3, "degenerate Δf " + delta);
            assertEquals(delta, sums[i], tol * Math.abs(delta) + 1e-6, "item " + i);
            assertEquals(sums[i] - delta, e.extras().get("delta").data()[i], 1e-4 * (1 + Math.abs(delta)));
        }
    }

    @Test
    void summationToDeltaOnResidualReluCnnWithAveragePooling() {
        // conv/BN/ReLU stem, residual blocks with projection shortcuts, global average pool, dense: no max-pooling
        ExplainedModel m = ExplainedModel.of(TestNets.resnet(11, false));
        SplittableRandom rnd = new SplittableRandom(12);
        Tensor x = Tensor.randomNormal(rnd, 1f, 2, 3, 16, 16);
        int[] classes = {1, 4};
        Explanation e = DeepLift.of(m).explain(x, Target.classes(classes));
        assertEquals("deeplift", e.method());
        assertEquals("zeros", e.parameters().get("baseline"));
        assertSummationToDelta(m, e, x, Tensor.zeros(x.shape()), classes, 1e-3);
        // a random reference shared by both items
        Tensor ref = Tensor.randomNormal(rnd, 0.5f, 1, 3, 16, 16);
        Explanation r = DeepLift.builder(m).baseline(ref).build().explain(x, Target.classes(classes));
        Tensor refs = Gradients.repeatEach(ref, 2);
        assertSummationToDelta(m, r, x, refs, classes, 1e-3);
        // the hand-made CNN with biases, residual add and average pooling
        ExplainedModel cnn = ExplainedModel.of(TestNets.cnn(13, true, false));
        Tensor xc = Tensor.randomNormal(rnd, 1f, 3, 3, 12, 12);
        int[] cc = {0, 1, 3};
        assertSummationToDelta(cnn, DeepLift.of(cnn).explain(xc, Target.classes(cc)), xc, Tensor.zeros(xc.shape()),
                cc, 1e-3);
    }

    @Test
    void summationToDeltaThroughSigmoidAndTanh() {
        SplittableRandom rnd = new SplittableRandom(3);
        Graph g = Graph.builder().input("x", -1, 6)
                .parameter("w1", Tensor.randomNormal(rnd, 1f, 8, 6)).parameter("b1", Tensor.randomNormal(rnd, 0.3f, 8))
                .parameter("w2", Tensor.randomNormal(rnd, 1f, 5, 8)).parameter("b2", Tensor.randomNormal(rnd, 0.3f, 5))
                .parameter("w3", Tensor.randomNormal(rnd, 1f, 3, 5))
                .node("fc1", Gemm.linear(), List.of("x", "w1", "b1"), List.of("h1"))
                .node("sig", new Sigmoid(), List.of("h1"), List.of("s1"))
                .node("fc2", Gemm.linear(), List.of("s1", "w2", "b2"), List.of("h2"))
                .node("tanh", new Tanh(), List.of("h2"), List.of("t2"))
                .node("fc3", Gemm.linear(), List.of("t2", "w3"), List.of("y"))
                .output("y").build();
        ExplainedModel m = ExplainedModel.of(g);
        Tensor x = Tensor.randomNormal(rnd, 1.5f, 4, 6);
        int[] classes = {0, 1, 2, 0};
        assertSummationToDelta(m, DeepLift.of(m).explain(x, Target.classes(classes)), x, Tensor.zeros(x.shape()),
                classes, 1e-3);
    }

    @Test
    void rescaleIsTheSecantOfEachNonLinearity() {
        // y = Σ relu(x): attributions are exactly relu(x) − relu(x′), element by element
        Graph g = Graph.builder().input("x", -1, 4).parameter("w", Tensor.ones(1, 4))
                .node("relu", new Relu(), List.of("x"), List.of("r"))
                .node("sum", Gemm.linear(), List.of("r", "w"), List.of("y")).output("y").build();
        ExplainedModel m = ExplainedModel.of(g);
        Tensor x = Tensor.of(new float[] {-1f, 2f, 0.5f, 3f}, 1, 4);
        Tensor ref = Tensor.of(new float[] {1f, -1f, 0.5f, 1f}, 1, 4);
        Explanation e = DeepLift.builder(m).baseline(ref).build().explain(x, Target.classes(0));
        assertArrayEquals(new float[] {-1f, 2f, 0f, 2f}, e.map().data(), 1e-6f);
    }

    @Test
    void approximateWithMaxPoolingExactWithTheSecantOption() {
        // Max-pooling passes its ordinary gradient (SPECS): summation to delta is approximate against
        // a non-constant reference; the reported delta is exactly that gap. The opt-in secant rule is exact.
        ExplainedModel m = ExplainedModel.of(TestNets.cnn(21, true, true));
        SplittableRandom rnd = new SplittableRandom(22);
        Tensor x = Tensor.randomNormal(rnd, 1f, 2, 3, 12, 12);
        Tensor ref = Tensor.randomNormal(rnd, 1f, 2, 3, 12, 12);
        int[] classes = {0, 2};
        Explanation e = DeepLift.builder(m).baseline(ref).build().explain(x, Target.classes(classes));
        assertEquals("gradient", e.parameters().get("maxpool"));
        Tensor fx = m.forward(x);
        Tensor fr = m.forward(ref);
        double[] sums = TestNets.itemSums(e.map());
        for (int i = 0; i < 2; i++) {
            double delta = fx.data()[i * 4 + classes[i]] - fr.data()[i * 4 + classes[i]];
            float reported = e.extras().get("delta").data()[i];
            assertEquals(sums[i] - delta, reported, 1e-4 * (1 + Math.abs(delta)));
            assertTrue(Float.isFinite(reported));
        }
        Explanation s = DeepLift.builder(m).baseline(ref).secantMaxPool(true).build().explain(x, Target.classes(classes));
        assertEquals("secant", s.parameters().get("maxpool"));
        assertSummationToDelta(m, s, x, ref, classes, 1e-3);
        // with the zero reference the feature maps of the reference are constant per channel, so the
        // winner's Δx is the pool's Δy and even the ordinary gradient sums to delta
        assertSummationToDelta(m, DeepLift.of(m).explain(x, Target.classes(classes)), x, Tensor.zeros(x.shape()),
                classes, 1e-3);
    }

    @Test
    void softmaxMultipliersAreCentredPerLineAndZeroForReferences() {
        SplittableRandom rnd = new SplittableRandom(4);
        Graph g = Graph.builder().input("x", -1, 5).parameter("w", Tensor.randomNormal(rnd, 1f, 4, 5))
                .node("fc", Gemm.linear(), List.of("x", "w"), List.of("z"))
                .node("softmax", new Softmax(), List.of("z"), List.of("p")).output("p").build();
        Tensor both = Tensor.randomNormal(rnd, 1f, 4, 5); // items 0,1 inputs; 2,3 references
        Trace t = g.run().record(Retention.ALL).tap("z").forward(both);
        Tensor seed = Tensor.zeros(4, 4);
        seed.data()[1] = 1f;
        seed.data()[4 + 3] = 1f;
        Tensor mz = t.gradients(Map.of("p", seed), List.of("z"), DeepLiftRules.composite()).get("z");
        Tensor z = t.value("z");
        Tensor p = t.output();
        for (int i = 0; i < 2; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                s += mz.data()[i * 4 + j];
                assertEquals(0f, mz.data()[(i + 2) * 4 + j]);
            }
            assertEquals(0, s, 1e-6);
        }
        // for the targeted output j of item 0: the uncentred multiplier is Δp_j/Δz_j
        int j = 1;
        double dz = z.data()[j] - z.data()[8 + j];
        double dp = p.data()[j] - p.data()[8 + j];
        double mean = 0;
        for (int q = 0; q < 4; q++) {
            mean += mz.data()[q];
        }
        assertEquals(dp / dz - 0.25 * (dp / dz), mz.data()[j], 1e-5);
        assertEquals(0, mean, 1e-6);
        // DeepLIFT through a softmax output runs end to end
        Explanation e = DeepLift.of(ExplainedModel.of(g)).explain(Tensor.randomNormal(rnd, 1f, 2, 5));
        assertTrue(Float.isFinite(e.extras().get("delta").data()[0]));
    }

    @Test
    void deepLiftShapAveragesDeepLiftOverTheBaselines() {
        ExplainedModel m = ExplainedModel.of(TestNets.cnn(31, true, false));
        SplittableRandom rnd = new SplittableRandom(32);
        Tensor x = Tensor.randomNormal(rnd, 1f, 2, 3, 12, 12);
        Tensor baselines = Tensor.randomNormal(rnd, 0.5f, 3, 3, 12, 12);
        int[] classes = {2, 0};
        Explanation shap = DeepLiftShap.builder(m).baselines(baselines).internalBatch(2).build()
                .explain(x, Target.classes(classes));
        assertEquals("deeplift-shap", shap.method());
        float[] mean = new float[x.size()];
        double[] fRef = new double[2];
        for (int b = 0; b < 3; b++) {
            Tensor ref = Gradients.slice(baselines, b, b + 1);
            Explanation one = DeepLift.builder(m).baseline(ref).build().explain(x, Target.classes(classes));
            for (int i = 0; i < mean.length; i++) {
                mean[i] += one.map().data()[i] / 3f;
            }
            Tensor f = m.forward(ref);
            for (int i = 0; i < 2; i++) {
                fRef[i] += f.data()[classes[i]] / 3.0;
            }
        }
        assertArrayEquals(mean, shap.map().data(), 1e-5f);
        Tensor fx = m.forward(x);
        double[] sums = TestNets.itemSums(shap.map());
        for (int i = 0; i < 2; i++) {
            double delta = fx.data()[i * 4 + classes[i]] - fRef[i];
            assertEquals(delta, sums[i], 1e-3 * Math.abs(delta) + 1e-6);
            assertEquals(0, shap.extras().get("delta").data()[i], 1e-3 * Math.abs(delta) + 1e-5);
        }
        // the predicted class (a target resolved once, at the input) gives the same as pinning it
        int[] predicted = new int[2];
        for (int i = 0; i < 2; i++) {
            for (int k = 1; k < 4; k++) {
                if (fx.data()[i * 4 + k] > fx.data()[i * 4 + predicted[i]]) {
                    predicted[i] = k;
                }
            }
        }
        Explanation p = DeepLiftShap.builder(m).baselines(baselines).build().explain(x);
        Explanation q = DeepLiftShap.builder(m).baselines(baselines).build().explain(x, Target.classes(predicted));
        assertArrayEquals(q.map().data(), p.map().data(), 1e-6f);
    }

    @Test
    void registryAndOptions() {
        RuleMethods.registerAll();
        ExplainedModel m = ExplainedModel.of(TestNets.cnn(41, true, false));
        Tensor x = Tensor.randomNormal(new SplittableRandom(42), 1f, 1, 3, 12, 12);
        Tensor b = Tensor.randomNormal(new SplittableRandom(43), 1f, 3, 12, 12);
        Explanation d = AttributionMethods.create("deeplift", m, MethodOptions.defaults().withBaseline(b))
                .explain(x, Target.classes(1));
        assertEquals("tensor[3, 12, 12]", d.parameters().get("baseline"));
        Explanation s = AttributionMethods.create("deeplift-shap", m, MethodOptions.defaults().withBaseline(b))
                .explain(x, Target.classes(1));
        assertArrayEquals(d.map().data(), s.map().data(), 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> DeepLift.builder(m).baseline(Tensor.zeros(2, 3, 5, 5))
                .build().explain(x, Target.classes(1)));
    }

    @Test
    void noRuleStaysInstalledAfterReturnOrThrow() {
        ExplainedModel m = ExplainedModel.of(TestNets.resnet(51, true));
        Tensor x = Tensor.randomNormal(new SplittableRandom(52), 1f, 2, 3, 16, 16);
        float[] before = Gradients.input(m, x, Target.classes(3)).gradient().data().clone();
        DeepLift.of(m).explain(x, Target.classes(3));
        DeepLiftShap.builder(m).baselines(Tensor.randomNormal(new SplittableRandom(53), 1f, 2, 3, 16, 16)).build()
                .explain(x, Target.classes(3));
        assertArrayEquals(before, Gradients.input(m, x, Target.classes(3)).gradient().data(), 0f);
        // a softmax across the batch axis makes the rule fail mid-pass
        Graph bad = Graph.builder().input("x", -1, 3).node("sm", Softmax.along(0), List.of("x"), List.of("y"))
                .output("y").build();
        ExplainedModel mb = ExplainedModel.of(bad);
        Tensor xb = Tensor.randomNormal(new SplittableRandom(54), 1f, 2, 3);
        float[] gb = Gradients.input(mb, xb, Target.classes(0)).gradient().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeepLift.of(mb).explain(xb, Target.classes(0)));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
        assertArrayEquals(gb, Gradients.input(mb, xb, Target.classes(0)).gradient().data(), 0f);
    }
}
