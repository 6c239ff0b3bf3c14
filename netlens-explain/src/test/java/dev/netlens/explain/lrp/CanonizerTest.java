package dev.netlens.explain.lrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.Identity;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CanonizerTest {

    private static void assertSameOutputs(Graph a, Graph b, Tensor x, double tol) {
        Tensor ya = a.forward(x).values().iterator().next();
        Tensor yb = b.forward(x).values().iterator().next();
        assertEquals(ya.size(), yb.size());
        for (int i = 0; i < ya.size(); i++) {
            assertEquals(ya.data()[i], yb.data()[i], tol * Math.max(1, Math.abs(ya.data()[i])), "output " + i);
        }
    }

    private static List<String> values(Graph g) {
        List<String> v = new ArrayList<>(g.inputNames());
        v.addAll(g.parameters().keySet());
        for (Node n : g.nodes()) {
            v.addAll(n.outputs());
        }
        return v;
    }

    private static void assertNamesKept(Graph original, Graph canonical) {
        for (Node n : original.nodes()) {
            assertEquals(n.name(), canonical.node(n.name()).name());
        }
        for (String v : values(original)) {
            assertTrue(canonical.hasValue(v), "value " + v + " lost");
        }
        assertEquals(original.outputNames(), canonical.outputNames());
    }

    @Test
    void mergeBatchNormKeepsOutputsAndNamesOnResNets() {
        for (boolean stem : new boolean[] {false, true}) {
            Graph g = TestNets.resnet(3, stem);
            Graph folded = Canonizers.mergeBatchNorm().apply(g);
            assertNotSame(g, folded);
            Tensor x = Tensor.randomNormal(new SplittableRandom(4), 1f, 2, 3, 32, 32);
            assertSameOutputs(g, folded, x, 1e-5);
            assertNamesKept(g, folded);
            for (Node n : folded.nodes()) {
                assertTrue(!(n.op() instanceof BatchNormalization), "BN left: " + n);
            }
            assertInstanceOf(Identity.class, folded.node("layer1.0.bn2").op());
            assertInstanceOf(Identity.class, folded.node("layer2.0.downsample.1").op());
            // convolutions without bias got one
            assertEquals(3, folded.node("layer1.0.conv1").inputs().size());
            // the original graph is untouched
            assertInstanceOf(BatchNormalization.class, g.node("bn1").op());
            // a second application finds nothing to do
            assertSame(folded, Canonizers.standard().apply(folded));
        }
    }

    @Test
    void standardCanonizerOnResNet() {
        Graph g = TestNets.resnet(5, true);
        Graph c = Canonizers.standard().apply(g);
        assertSameOutputs(g, c, Tensor.randomNormal(new SplittableRandom(6), 1f, 1, 3, 40, 40), 1e-5);
        assertNamesKept(g, c);
        // residual sums stay explicit Add nodes
        assertInstanceOf(Add.class, c.node("layer1.0.add").op());
    }

    @Test
    void batchNormIsNotFoldedWhenTheConvolutionHasAnotherConsumer() {
        SplittableRandom rnd = new SplittableRandom(1);
        Graph.Builder b = Graph.builder().input("x", -1, 2, 5, 5)
                .parameter("w", Tensor.randomNormal(rnd, 1f, 3, 2, 3, 3))
                .parameter("s", Tensor.full(2f, 3)).parameter("bb", Tensor.full(0.5f, 3))
                .parameter("mu", Tensor.full(0.1f, 3)).parameter("var", Tensor.full(4f, 3));
        b.node("conv", Conv.of(1, 1), List.of("x", "w"), List.of("c"));
        b.node("bn", BatchNormalization.defaults(), List.of("c", "s", "bb", "mu", "var"), List.of("n"));
        b.node("sum", new Add(), List.of("n", "c"), List.of("y"));
        Graph g = b.output("y").build();
        assertSame(g, Canonizers.mergeBatchNorm().apply(g));
    }

    @Test
    void biasAddsAreMergedIntoTheirLayer() {
        SplittableRandom rnd = new SplittableRandom(2);
        Graph.Builder b = Graph.builder().input("x", -1, 2, 6, 6)
                .parameter("w", Tensor.randomNormal(rnd, 0.5f, 4, 2, 3, 3))
                .parameter("cb", Tensor.randomNormal(rnd, 0.5f, 1, 4, 1, 1))
                .parameter("fw", Tensor.randomNormal(rnd, 0.5f, 3, 4 * 36))
                .parameter("fb", Tensor.randomNormal(rnd, 0.5f, 3));
        b.node("conv", Conv.of(1, 1), List.of("x", "w"), List.of("c"));
        b.node("conv_bias", new Add(), List.of("c", "cb"), List.of("cbias"));
        b.node("relu", new Relu(), List.of("cbias"), List.of("r"));
        b.node("flat", new Flatten(1), List.of("r"), List.of("f"));
        b.node("fc", new Gemm(1f, 1f, false, true), List.of("f", "fw"), List.of("z"));
        b.node("fc_bias", new Add(), List.of("fb", "z"), List.of("y"));
        Graph g = b.output("y").build();
        Graph c = Canonizers.explicitResidualSums().apply(g);
        assertSameOutputs(g, c, Tensor.randomNormal(rnd, 1f, 2, 2, 6, 6), 1e-5);
        assertNamesKept(g, c);
        assertInstanceOf(Identity.class, c.node("conv_bias").op());
        assertInstanceOf(Identity.class, c.node("fc_bias").op());
        assertEquals(3, c.node("conv").inputs().size());
        assertEquals(3, c.node("fc").inputs().size());
    }

    @Test
    void residualSumsOfTwoActivationsStay() {
        Graph g = TestNets.cnn(1, true, true);
        assertSame(g, Canonizers.standard().apply(g));
    }
}
