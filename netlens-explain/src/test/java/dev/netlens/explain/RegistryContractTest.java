package dev.netlens.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Contracts every registered method keeps, generated from the registry: it explains a batch, its
 * map is finite and shaped as documented, and it leaves nothing installed — after it returns and
 * after it throws, a plain gradient of the same model is bit-identical to one taken before.
 */
class RegistryContractTest {
    private static final String LAYER = "layer2.0.relu2";

    private static ExplainedModel model() {
        Graph g = ResNets.basic(new int[] {4, 8}, new int[] {1, 1}, 3, 5, false, 3);
        return ExplainedModel.of(g);
    }

    private static MethodOptions options() {
        return MethodOptions.defaults().withLayer(LAYER).withSteps(8).withSamples(4).withSeed(1L).withInternalBatch(4);
    }

    @Test
    void everyMethodExplainsAndLeavesNothingInstalled() {
        ExplainedModel m = model();
        Tensor x = Tensor.randomNormal(new SplittableRandom(4), 1f, 2, 3, 12, 12);
        Tensor before = Gradients.input(m, x, Target.classes(1)).gradient();
        List<String> problems = new ArrayList<>();
        assertFalse(AttributionMethods.all().isEmpty());
        for (Map.Entry<String, AttributionMethods.Entry> e : AttributionMethods.all().entrySet()) {
            String name = e.getKey();
            try {
                Attribution a = AttributionMethods.create(name, m, options());
                assertEquals(name, a.name(), "registry name");
                Explanation ex = a.explain(x, Target.classes(2));
                Tensor map = ex.map();
                assertEquals(2, map.dim(0), name + ": one map per item");
                for (float v : map.data()) {
                    assertTrue(Float.isFinite(v), name + ": non-finite value");
                }
                if (!e.getValue().needsLayer() || name.equals("guided-grad-cam")) {
                    assertArrayEquals(x.shape(), map.shape(), name + ": input-shaped map");
                }
                assertTrue(ex.provenanceJson().contains("\"method\": \"" + name + "\""), name + ": provenance");
                assertThrows(IllegalArgumentException.class, () -> a.explain(x, Target.classes(99)),
                        name + ": an out-of-range class must fail clearly");
                Tensor after = Gradients.input(m, x, Target.classes(1)).gradient();
                assertArrayEquals(before.data(), after.data(), name + ": the plain gradient changed");
            } catch (AssertionError | RuntimeException ex) {
                problems.add(name + ": " + ex.getMessage());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void layerMethodsWithoutALayerAreRejected() {
        for (AttributionMethods.Entry e : AttributionMethods.all().values()) {
            if (e.needsLayer()) {
                String msg = assertThrows(IllegalArgumentException.class,
                        () -> AttributionMethods.create(e.name(), model(), MethodOptions.defaults())).getMessage();
                assertTrue(msg.contains("--layer"), msg);
            }
        }
        String msg = assertThrows(IllegalArgumentException.class,
                () -> AttributionMethods.create("no-such-method", model(), MethodOptions.defaults())).getMessage();
        assertTrue(msg.contains("grad-cam") && msg.contains("saliency"), msg);
    }
}
