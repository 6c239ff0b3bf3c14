package dev.netlens.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void nodesAddedOutOfOrderAreSortedTopologically() {
        Graph g = Graph.builder()
                .input("x", 2)
                .node("second", new Relu(), List.of("a"), List.of("b"))
                .node("first", new Relu(), List.of("x"), List.of("a"))
                .node("third", new Add(), List.of("a", "b"), List.of("c"))
                .output("c")
                .build();
        assertEquals(List.of("first", "second", "third"), g.nodes().stream().map(Node::name).toList());
        assertEquals(2, g.consumers("a").size());
        assertEquals("first", g.producer("a").name());
        Tensor y = g.forward(Tensor.of(new float[] {-1f, 2f}, 2)).get("c");
        assertEquals(0f, y.data()[0]);
        assertEquals(4f, y.data()[1]);
    }

    @Test
    void cyclesAreRejectedNamingTheNodes() {
        String m = message(() -> Graph.builder()
                .input("x", 2)
                .node("p", new Add(), List.of("x", "r"), List.of("q"))
                .node("s", new Relu(), List.of("q"), List.of("r"))
                .output("r")
                .build());
        assertTrue(m.contains("cycle") && m.contains("p") && m.contains("s"), m);
    }

    @Test
    void danglingReferencesAndDuplicatesAreRejected() {
        String m = message(() -> Graph.builder().input("x", 2)
                .node("n", new Relu(), List.of("missing"), List.of("y")).output("y").build());
        assertTrue(m.contains("'missing'") && m.contains("'n'"), m);
        m = message(() -> Graph.builder().input("x", 2)
                .node("n1", new Relu(), List.of("x"), List.of("y"))
                .node("n2", new Relu(), List.of("x"), List.of("y")).output("y").build());
        assertTrue(m.contains("produced twice"), m);
        m = message(() -> Graph.builder().input("x", 2)
                .node("n", new Relu(), List.of("x"), List.of("y"))
                .node("n", new Relu(), List.of("y"), List.of("z")));
        assertTrue(m.contains("duplicate node name"), m);
        m = message(() -> Graph.builder().input("x", 2).parameter("x", Tensor.zeros(2)));
        assertTrue(m.contains("declared twice"), m);
        m = message(() -> Graph.builder().input("x", 2).node("n", new Relu(), List.of("x"), List.of("y"))
                .output("z").build());
        assertTrue(m.contains("'z'"), m);
    }

    @Test
    void unknownNamesInRunsSuggestAlternatives() {
        Graph g = TestNets.residualNet(1);
        String m = message(() -> g.run().tap("relu"));
        assertTrue(m.contains("r1") || m.contains("did you mean") || m.contains("known"), m);
        m = message(() -> g.run().forward(java.util.Map.of("input", Tensor.zeros(1, 2, 6, 6))));
        assertTrue(m.contains("'input'") && m.contains("[x]"), m);
    }

    @Test
    void opErrorsNameTheNodeAndShapes() {
        Graph g = Graph.builder().input("a", 2, 3).input("b", 4)
                .node("sum", new Add(), List.of("a", "b"), List.of("c")).output("c").build();
        String m = message(() -> g.run().forward(java.util.Map.of("a", Tensor.zeros(2, 3), "b", Tensor.zeros(4))));
        assertTrue(m.contains("'sum'") && m.contains("[2, 3]") && m.contains("[4]"), m);
    }
}
