package dev.netlens.explain.lrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompositeSelectionTest {

    private static String ruleName(Composite c, Graph g, String node) {
        BackwardRule r = c.ruleFor(g.node(node), g);
        return r == null ? null : r.toString();
    }

    @Test
    void epsilonPlusFlatPutsFlatOnTheFirstConvOnlyZPlusOnOtherConvsEpsilonOnGemm() {
        for (boolean stem : new boolean[] {false, true}) {
            Graph g = Canonizers.standard().apply(TestNets.resnet(1, stem));
            assertEquals(Set.of("conv1"), LrpComposites.firstLayerNames(g));
            Composite c = LrpComposites.resolve("epsilon-plus-flat", g);
            int convs = 0;
            for (Node n : g.nodes()) {
                String r = ruleName(c, g, n.name());
                switch (n.op().type()) {
                    case "Conv" -> {
                        convs++;
                        assertTrue(r.startsWith(n.name().equals("conv1") ? "flat" : "zplus"), n + " → " + r);
                    }
                    case "Gemm" -> assertTrue(r.startsWith("epsilon"), n + " → " + r);
                    case "Relu" -> assertEquals("pass", r);
                    case "Add", "GlobalAveragePool" -> assertTrue(r.startsWith("norm"), n + " → " + r);
                    case "MaxPool", "Flatten", "Identity" -> assertNull(r, n + " → " + r);
                    default -> {
                    }
                }
            }
            assertTrue(convs >= 5);
            assertEquals(ruleName(c, g, "layer1.0.conv1"), ruleName(LrpComposites.epsilonPlusFlat(), g, "layer1.0.conv1"));
            assertTrue(ruleName(LrpComposites.epsilonPlus(), g, "conv1").startsWith("zplus"));
            assertTrue(ruleName(LrpComposites.resolve("epsilon-gamma-box", g), g, "conv1").startsWith("zbox"));
            assertTrue(ruleName(LrpComposites.resolve("epsilon-gamma-box", g), g, "layer2.0.conv2").startsWith("gamma"));
            assertTrue(ruleName(LrpComposites.epsilonAlpha2Beta1(), g, "layer2.0.conv2").startsWith("alpha-beta"));
        }
    }

    @Test
    void unfoldedBatchNormPassesRelevance() {
        Graph g = TestNets.resnet(1, false);
        assertEquals("pass", ruleName(LrpComposites.epsilonPlusFlat(), g, "bn1"));
        assertTrue(ruleName(LrpComposites.epsilonPlusFlat(), g, "conv1").startsWith("flat"));
    }

    @Test
    void firstLayersAreFoundFromTheGraphNotTheNodeOrder() {
        SplittableRandom rnd = new SplittableRandom(1);
        Graph.Builder b = Graph.builder().input("x", -1, 2, 5, 5);
        for (String w : new String[] {"wa", "wb", "wc"}) {
            b.parameter(w, Tensor.randomNormal(rnd, 1f, 2, 2, 3, 3));
        }
        // declared out of order: the later conv reads the earlier ones
        b.node("late", Conv.of(1, 1), List.of("s", "wc"), List.of("y"));
        b.node("stemA", Conv.of(1, 1), List.of("x", "wa"), List.of("a"));
        b.node("pre", new Relu(), List.of("x"), List.of("rx"));
        b.node("stemB", Conv.of(1, 1), List.of("rx", "wb"), List.of("bb"));
        b.node("sum", new Add(), List.of("a", "bb"), List.of("s"));
        Graph g = b.output("y").build();
        assertEquals(Set.of("stemA", "stemB"), LrpComposites.firstLayerNames(g));
        Composite c = LrpComposites.epsilonPlusFlat();
        assertTrue(ruleName(c, g, "stemA").startsWith("flat"));
        assertTrue(ruleName(c, g, "stemB").startsWith("flat"));
        assertTrue(ruleName(c, g, "late").startsWith("zplus"));
    }

    @Test
    void aDenseFirstLayerIsFirstToo() {
        Graph g = TestNets.mlp(1, true);
        assertEquals(Set.of("fc0"), LrpComposites.firstLayerNames(g));
        Composite c = LrpComposites.resolve(LrpComposites.DEFAULT, g);
        assertTrue(ruleName(c, g, "fc0").startsWith("flat"));
        assertTrue(ruleName(c, g, "fc1").startsWith("epsilon"));
    }

    @Test
    void userCompositesFirstMatchWins() {
        Graph g = Canonizers.standard().apply(TestNets.resnet(2, false));
        Composite c = LrpComposites.resolve("layer1.0.conv1=epsilon(0.5), first=wsquare, "
                + "category:CONVOLUTION=alpha-beta(1,0), type:Gemm=zplus, conv1=flat", g);
        assertEquals("epsilon(0.5)", ruleName(c, g, "layer1.0.conv1"));
        assertTrue(ruleName(c, g, "conv1").startsWith("wsquare"));
        assertTrue(ruleName(c, g, "layer2.0.conv2").startsWith("alpha-beta(1.0, 0.0"));
        assertTrue(ruleName(c, g, "fc").startsWith("zplus"));
        assertEquals("pass", ruleName(c, g, "relu"));                // base map appended
        Composite mixed = LrpComposites.resolve("fc=gamma(0.5),epsilon-plus", g);
        assertTrue(ruleName(mixed, g, "fc").startsWith("gamma(0.5"));
        assertTrue(ruleName(mixed, g, "conv1").startsWith("zplus"));
    }

    @Test
    void badSpecsFailWithHelpfulMessages() {
        Graph g = TestNets.resnet(2, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LrpComposites.resolve("epsilon-plus-flatt", g));
        assertTrue(e.getMessage().contains("epsilon-plus-flat"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LrpComposites.resolve("convv1=flat", g));
        assertTrue(e.getMessage().contains("convv1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LrpComposites.resolve("conv1=flatt", g));
        assertTrue(e.getMessage().contains("zplus"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LrpComposites.resolve("category:CONV=flat", g));
        assertTrue(e.getMessage().contains("CONVOLUTION"), e.getMessage());
    }

    @Test
    void zBoxBoundsComeFromTheInputNormalisation() {
        Graph g = TestNets.mlp(3, false).toBuilder().metadata("netlens.mean", "0.5").metadata("netlens.std", "0.25")
                .build();
        float[][] b = LrpComposites.inputBounds(g);
        assertEquals(-2f, b[0][0], 1e-6);
        assertEquals(2f, b[1][0], 1e-6);
        assertTrue(ruleName(LrpComposites.resolve("epsilon-gamma-box", g), g, "fc0").startsWith("zbox(-2.0, 2.0"));
        float[][] none = LrpComposites.inputBounds(TestNets.mlp(3, false));
        assertEquals(0f, none[0][0]);
        assertEquals(1f, none[1][0]);
    }
}
