package dev.netlens.explain.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.bundled.BundledConceptModel;
import dev.netlens.data.concepts.ConceptSceneGenerator;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.MethodOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SanityCheckTest {
    static ExplainedModel model;
    static Tensor images;
    static int[] classes;

    @BeforeAll
    static void scenes(@TempDir Path dir) {
        model = ExplainedModel.of(BundledConceptModel.model());
        ConceptSceneGenerator.builder().seed(2).threads(1).build().generate(dir, 3);
        List<EvaluationSample> s = EvaluationSample.conceptScenes(dir, null, 3, 48, 48, null);
        float[] d = new float[3 * 3 * 48 * 48];
        classes = new int[3];
        ClassScorer scorer = new ClassScorer(model, 8);
        for (int i = 0; i < 3; i++) {
            System.arraycopy(s.get(i).image().data(), 0, d, i * 3 * 48 * 48, 3 * 48 * 48);
            classes[i] = scorer.predict(s.get(i).image());
        }
        images = Tensor.of(d, 3, 3, 48, 48);
    }

    @Test
    void layersRunFromTheOutputBackwards() {
        List<String> layers = SanityCheck.layers(model.graph());
        assertEquals("fc", layers.get(0));
        assertEquals("conv1", layers.get(layers.size() - 1));
        assertEquals(10, layers.size());
    }

    @Test
    void randomisationRedrawsOnlyTheNamedLayersAndLeavesTheModelAlone() {
        Graph g = model.graph();
        Map<String, Tensor> before = g.parameters();
        float[] fcWeights = before.get(g.node("fc").inputs().get(1)).data().clone();
        ExplainedModel r = SanityCheck.randomised(model, List.of("fc"), 7);
        String w = g.node("fc").inputs().get(1);
        assertArrayEquals(fcWeights, g.parameters().get(w).data(), "the original graph keeps its weights");
        assertNotEquals(fcWeights[0], r.graph().parameters().get(w).data()[0]);
        String convW = g.node("conv1").inputs().get(1);
        assertSame(g.parameters().get(convW), r.graph().parameters().get(convW));
        // the same seed gives the same values (cascading steps share them)
        ExplainedModel again = SanityCheck.randomised(model, List.of("fc", "conv1"), 7);
        assertArrayEquals(r.graph().parameters().get(w).data(), again.graph().parameters().get(w).data());
        // statistics of the redrawn weights follow the trained tensor
        double mean = 0;
        for (float v : fcWeights) {
            mean += v;
        }
        mean /= fcWeights.length;
        double rmean = 0;
        for (float v : r.graph().parameters().get(w).data()) {
            rmean += v;
        }
        rmean /= fcWeights.length;
        assertEquals(mean, rmean, 0.05);
    }

    /**
     * Adebayo et al.'s finding on the bundled concept model: randomising the top layers
     * (fc and the last residual stage) decorrelates gradient and Grad-CAM maps while guided
     * backprop keeps a high rank correlation.
     */
    @Test
    void gradientAndGradCamDecorrelateWhileGuidedBackpropDoesNot() {
        SanityCheck check = SanityCheck.builder().mode(SanityCheck.Mode.CASCADING).maxLayers(4).seed(0).build();
        MethodOptions o = MethodOptions.defaults().withLayer("layer3.0.relu2");
        double gradient = last(check.run(model, m -> AttributionMethods.create("gradient", m, o), images, classes));
        double gradCam = last(check.run(model, m -> AttributionMethods.create("grad-cam", m, o), images, classes));
        double guided = last(check.run(model, m -> AttributionMethods.create("guided-backprop", m, o), images, classes));
        assertTrue(guided > 0.75, "guided backprop rho " + guided);
        assertTrue(gradient < 0.7, "gradient rho " + gradient);
        assertTrue(gradCam < 0.5, "grad-cam rho " + gradCam);
        assertTrue(guided > gradient + 0.2 && guided > gradCam + 0.2);
    }

    @Test
    void anUnchangedMapHasSpearmanAndSsimOne() {
        // a map that ignores the weights (the input itself) cannot pass the check
        SanityCheck check = SanityCheck.builder().mode(SanityCheck.Mode.INDEPENDENT).maxLayers(2).build();
        SanityCheck.Result r = check.run(model, m -> new dev.netlens.explain.Attribution() {
            @Override
            public String name() {
                return "input";
            }

            @Override
            public dev.netlens.explain.Explanation explain(Tensor input, dev.netlens.explain.Target t) {
                return new dev.netlens.explain.Explanation(input, "input", Map.of(), "", "", Map.of());
            }
        }, images, classes);
        for (double v : r.meanSpearman()) {
            assertEquals(1, v, 1e-9);
        }
        for (double v : r.meanSsim()) {
            assertEquals(1, v, 1e-9);
        }
        assertEquals(List.of("fc", "layer3.0.conv2"), r.layers());
    }

    private static double last(SanityCheck.Result r) {
        double[] rho = r.meanSpearman();
        return rho[rho.length - 1];
    }
}
