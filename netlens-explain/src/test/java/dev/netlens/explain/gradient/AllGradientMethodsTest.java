package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.GradientMethods;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.NeuronTarget;
import dev.netlens.explain.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks generated from the registry table: every gradient method, the same properties. */
class AllGradientMethodsTest {
    static final List<String> NAMES = List.of("gradient", "saliency", "input-x-gradient", "integrated-gradients",
            "smoothgrad", "smoothgrad-sq", "vargrad", "gradient-shap", "guided-backprop", "deconvnet",
            "layer-gradient-x-activation", "layer-integrated-gradients");
    static final String LAYER = "layer1.0.relu2";

    private final ExplainedModel resnet = TestModels.resnet(51);
    private final ExplainedModel relu6 = TestModels.relu6Cnn(52);
    private final Tensor x = TestModels.random(53, 1f, 3, 3, 8, 8);

    @BeforeAll
    static void register() {
        GradientMethods.registerAll();
        GradientMethods.registerAll();      // idempotent
    }

    private static MethodOptions options(String layer) {
        return new MethodOptions(layer, 6, null, null, null, 4, null, null, null, 9L, null, false, false, false);
    }

    private Attribution create(String name, ExplainedModel model, String layer) {
        return AttributionMethods.create(name, model, options(layer));
    }

    @Test
    void everyMethodIsRegisteredWithItsLayerRequirement() {
        Map<String, AttributionMethods.Entry> all = AttributionMethods.all();
        for (String name : NAMES) {
            AttributionMethods.Entry e = all.get(name);
            assertTrue(e != null, name + " is registered");
            assertEquals(name.startsWith("layer-"), e.needsLayer(), name + " needsLayer");
            assertTrue(!e.description().isEmpty());
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> AttributionMethods.create("layer-gradient-x-activation", resnet, MethodOptions.defaults()));
        assertTrue(missing.getMessage().contains("--layer"), missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> create("layer-integrated-gradients", resnet, "layer9"));
        assertTrue(unknown.getMessage().contains("layer9"), unknown.getMessage());
    }

    @Test
    void shapesAreRightValuesFiniteAndABatchEqualsItsItems() {
        for (ExplainedModel model : List.of(resnet, relu6)) {
            String layer = model == resnet ? LAYER : "relu6";
            int[] layerShape = model.graph().run().outputs(layer).forward(Map.of(model.inputName(), x)).output().shape();
            for (String name : NAMES) {
                Attribution a = create(name, model, layer);
                assertEquals(name, a.name());
                Explanation batch = a.explain(x, Target.classes(1, 3, 4));
                assertEquals(name, batch.method());
                assertArrayEquals(name.startsWith("layer-") ? layerShape : x.shape(), batch.map().shape(), name + " shape");
                TestModels.assertFinite(batch.map(), name);
                assertTrue(TestModels.maxAbsDiff(batch.map(), Tensor.zerosLike(batch.map())) > 0, name + " is not all zero");
                assertTrue(batch.provenanceJson().contains("\"method\": \"" + name + "\""));
                int[] classes = {1, 3, 4};
                for (int n = 0; n < 3; n++) {
                    Tensor single = a.explain(TestModels.items(x, n, n + 1), Target.classes(classes[n])).map();
                    TestModels.assertClose(TestModels.items(batch.map(), n, n + 1), single, 1e-6, 1e-5,
                            name + " item " + n + " alone vs in the batch");
                }
                // Deterministic: the same call again gives the same bits.
                TestModels.assertBitIdentical(batch.map(), a.explain(x, Target.classes(1, 3, 4)).map(), name + " again");
            }
        }
    }

    @Test
    void integratedMethodsReportTheirConvergenceDelta() {
        for (String name : List.of("integrated-gradients", "layer-integrated-gradients")) {
            Explanation e = create(name, resnet, LAYER).explain(x, Target.classes(0));
            Tensor d = e.extras().get("convergence_delta");
            assertArrayEquals(new int[] {3}, d.shape(), name);
            assertTrue(e.provenanceJson().contains("convergence_delta"), name);
        }
    }

    @Test
    void everyMethodExplainsASingleUnit() {
        NeuronTarget unit = NeuronTarget.at("layer1.0.relu1", 2, 3, 4);
        for (String name : NAMES) {
            String layer = name.startsWith("layer-") ? "layer1.0.conv1" : null;
            Explanation e = create(name, resnet, layer).explain(x, unit);
            TestModels.assertFinite(e.map(), name);
            assertEquals("unit [2, 3, 4] of layer1.0.relu1", e.target());
        }
        // The unit's gradient against central differences of the unit's activation.
        Tensor one = TestModels.items(x, 0, 1);
        Tensor g = InputGradient.of(resnet).explain(one, unit).map();
        double eps = 1e-2;
        for (int e = 0; e < one.size(); e += 5) {
            Tensor plus = one.copy();
            plus.data()[e] += (float) eps;
            Tensor minus = one.copy();
            minus.data()[e] -= (float) eps;
            double fd = (unitValue(plus, unit) - unitValue(minus, unit)) / (2 * eps);
            assertEquals(fd, g.data()[e], 2e-3, "∂unit/∂x at " + e);
        }
        // Channel targets sum the channel: Σ over positions of the per-position gradients.
        Tensor channel = InputGradient.of(resnet).explain(one, NeuronTarget.channel("layer1.0.relu1", 2)).map();
        Tensor sum = Tensor.zerosLike(one);
        for (int yy = 0; yy < 8; yy++) {
            for (int xx = 0; xx < 8; xx++) {
                Tensor gi = InputGradient.of(resnet).explain(one, NeuronTarget.at("layer1.0.relu1", 2, yy, xx)).map();
                for (int i = 0; i < sum.size(); i++) {
                    sum.data()[i] += gi.data()[i];
                }
            }
        }
        TestModels.assertClose(sum, channel, 1e-5, 1e-4, "channel target");
    }

    private double unitValue(Tensor in, NeuronTarget unit) {
        Tensor a = resnet.graph().run().outputs(unit.valueName()).forward(Map.of(resnet.inputName(), in)).output();
        return unit.values(a)[0];
    }

    @Test
    void rulesNeverOutliveTheirPassAndConcurrentExplanationsDoNotInterfere() throws Exception {
        Attribution plain = InputGradient.of(relu6);
        Attribution guided = GuidedBackprop.builder(relu6).build();
        Tensor before = plain.explain(x, Target.classes(2)).map();
        Tensor guidedRef = guided.explain(x, Target.classes(2)).map();
        assertTrue(TestModels.maxAbsDiff(before, guidedRef) > 0);
        TestModels.assertBitIdentical(before, plain.explain(x, Target.classes(2)).map(), "plain after guided");
        // A failing explanation (bad target) leaves nothing behind either.
        assertThrows(IllegalArgumentException.class, () -> guided.explain(x, Target.classes(9)));
        TestModels.assertBitIdentical(before, plain.explain(x, Target.classes(2)).map(), "plain after a failure");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Attribution a = i % 2 == 0 ? plain : guided;
                futures.add(pool.submit(() -> a.explain(x, Target.classes(2)).map()));
            }
            for (int i = 0; i < futures.size(); i++) {
                TestModels.assertBitIdentical(i % 2 == 0 ? before : guidedRef, futures.get(i).get(), "thread " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void registryOptionsReachTheMethods() {
        MethodOptions o = new MethodOptions(null, 12, "riemann_trapezoid", null, null, 3, 0.3f, null, null, 4L, 5,
                false, false, true);
        Explanation ig = AttributionMethods.create("integrated-gradients", resnet, o).explain(x, Target.classes(0));
        assertEquals(12, ig.parameters().get("steps"));
        assertEquals("riemann_trapezoid", ig.parameters().get("method"));
        assertEquals(5, ig.parameters().get("internal_batch"));
        Explanation sg = AttributionMethods.create("vargrad", resnet, o).explain(x, Target.classes(0));
        assertEquals(3, sg.parameters().get("samples"));
        assertEquals(0.3f, sg.parameters().get("sigma"));
        assertEquals(4L, sg.parameters().get("seed"));
        Explanation shap = AttributionMethods.create("gradient-shap", resnet, o).explain(x, Target.classes(0));
        assertEquals(0.3f, shap.parameters().get("stdev"));
        Explanation gb = AttributionMethods.create("guided-backprop", relu6, o).explain(x, Target.classes(0));
        assertEquals(true, gb.parameters().get("relu_only"));
        TestModels.assertBitIdentical(GuidedBackprop.builder(relu6).reluOnly(true).build().explain(x, Target.classes(0))
                .map(), gb.map(), "reluOnly through the registry");
    }

    @Test
    void layerIntegratedGradientsAreCompleteAtABlockOutput() {
        // Every path from the input to the logits passes the output of the first block.
        Tensor base = TestModels.random(54, 1f, 1, 3, 8, 8);
        Explanation e = LayerIntegratedGradients.builder(resnet, LAYER).baseline(base).steps(400).internalBatch(100)
                .build().explain(x, Target.classes(2));
        Tensor fx = resnet.forward(x);
        Tensor fb = resnet.forward(base);
        for (int n = 0; n < 3; n++) {
            double diff = fx.get(n, 2) - fb.get(0, 2);
            assertEquals(diff, TestModels.sum(TestModels.items(e.map(), n, n + 1)), 1e-2 * Math.abs(diff) + 1e-4);
        }
        // Its delta is the same bookkeeping as for input integrated gradients.
        Tensor d = e.extras().get(IntegratedGradients.CONVERGENCE_DELTA);
        for (int n = 0; n < 3; n++) {
            double diff = fx.get(n, 2) - fb.get(0, 2);
            assertEquals(TestModels.sum(TestModels.items(e.map(), n, n + 1)) - diff, d.data()[n], 1e-4);
        }
    }
}
