package dev.netlens.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Run#parameters}: per-run parameter values, as training uses them. */
class ParameterValuesTest {

    private static Graph rebuiltWith(Graph g, String name, Tensor value) {
        Graph.Builder b = Graph.builder();
        g.inputNames().forEach(i -> b.input(i, g.inputShape(i)));
        g.parameters().forEach((k, v) -> b.parameter(k, k.equals(name) ? value : v));
        for (Node n : g.nodes()) {
            b.node(n.name(), n.op(), n.inputs(), n.outputs());
        }
        g.outputNames().forEach(b::output);
        return b.build();
    }

    @Test
    void overriddenValuesActLikeAGraphBuiltWithThem() {
        Graph g = TestNets.residualNet(1);
        SplittableRandom r = new SplittableRandom(5);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 2, 6, 6);
        Tensor w1 = Tensor.randomNormal(r, 0.5f, g.parameters().get("w1").shape());
        Graph reference = rebuiltWith(g, "w1", w1.copy());

        Trace viaOverride = g.run().record().parameters(Map.of("w1", w1)).forward(x);
        Trace viaGraph = reference.run().record().forward(x);
        assertArrayEquals(viaGraph.output().data(), viaOverride.output().data());
        Tensor seed = Tensor.randomNormal(r, 1f, viaGraph.output().shape());
        Map<String, Tensor> a = viaOverride.gradients(Map.of("y", seed), List.of("w1", "x"));
        Map<String, Tensor> b = viaGraph.gradients(Map.of("y", seed), List.of("w1", "x"));
        assertArrayEquals(b.get("w1").data(), a.get("w1").data());
        assertArrayEquals(b.get("x").data(), a.get("x").data());
    }

    @Test
    void valuesMayChangeBetweenRunsWithoutStaleCaches() {
        Graph g = TestNets.residualNet(1);
        SplittableRandom r = new SplittableRandom(6);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 2, 6, 6);
        Tensor w1 = g.parameters().get("w1").copy();
        Tensor before = g.run().parameters(Map.of("w1", w1)).forward(x).output();
        for (int i = 0; i < w1.size(); i++) {
            w1.data()[i] *= -2f; // in place, as an optimiser step does
        }
        Tensor after = g.run().parameters(Map.of("w1", w1)).forward(x).output();
        Tensor expected = rebuiltWith(g, "w1", w1.copy()).run().forward(x).output();
        assertArrayEquals(expected.data(), after.data());
        boolean changed = false;
        for (int i = 0; i < before.size(); i++) {
            changed |= before.data()[i] != after.data()[i];
        }
        assertTrue(changed);
    }

    @Test
    void unknownNamesAndWrongShapesAreRejected() {
        Graph g = TestNets.residualNet(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.run().parameters(Map.of("nope", Tensor.zeros(1))));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.run().parameters(Map.of("w1", Tensor.zeros(1))));
        assertTrue(e.getMessage().contains("w1") && e.getMessage().contains("shape"), e.getMessage());
    }
}
