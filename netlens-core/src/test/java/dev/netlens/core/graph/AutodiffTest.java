package dev.netlens.core.graph;

import static dev.netlens.core.ops.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AutodiffTest {

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    /** Σ seed ⊙ y for the graph with value {@code name} perturbed by delta at one element. */
    private static double objective(Graph g, Tensor x, Tensor seed, String name, int element, float delta) {
        Tensor d = Tensor.zeros(name.equals("x") ? x.shape() : g.parameters().get(name).shape());
        d.data()[element] = delta;
        Tensor y = g.run().intervene(name, Interventions.add(d)).forward(x).output();
        return dot(y, seed);
    }

    @Test
    void largeFanOutSumsEveryContributionOnEveryThread() {
        // x reaches the output three times: through a ReLU and twice through Adds, which pass one
        // gradient array to both inputs (the shared case); 4 x 128 x 128 elements, so the sums are
        // split between threads
        Graph.Builder b = Graph.builder();
        b.input("x", 1, 4, 128, 128);
        b.node("relu", new Relu(), List.of("x"), List.of("a"));
        b.node("add1", new dev.netlens.core.ops.Add(), List.of("a", "x"), List.of("s"));
        b.node("add2", new dev.netlens.core.ops.Add(), List.of("s", "x"), List.of("y"));
        b.output("y");
        Graph g = b.build();
        SplittableRandom r = new SplittableRandom(7);
        Tensor x = Tensor.randomNormal(r, 1f, 1, 4, 128, 128);
        Tensor seed = Tensor.randomNormal(r, 1f, 1, 4, 128, 128);
        Tensor gx = g.run().record().forward(x).gradients(Map.of("y", seed), List.of("x")).get("x");
        Tensor expected = Tensor.zeros(x.shape());
        for (int i = 0; i < x.size(); i++) {
            float s = seed.data()[i];
            expected.data()[i] = (x.data()[i] > 0 ? s : 0f) + s + s;
        }
        assertClose(expected, gx, 1e-6, 1e-6, "gradient of x");
    }

    @Test
    void aSumPassedToTwoInputsIsNotAddedIntoInPlace() {
        // y = a + b receives two contributions (a sum this trace owns); Add passes that one array on
        // to both a and b, and a then receives another contribution: adding it into the shared array
        // would change b's gradient too. out = u + v = (y + relu(a)) + (y + y) = 7 relu(x) for x > 0
        Graph.Builder b = Graph.builder();
        b.input("x", 1, 1, 2, 2);
        b.node("n1", new Relu(), List.of("x"), List.of("a"));
        b.node("n2", new Relu(), List.of("x"), List.of("b"));
        b.node("n3", new Relu(), List.of("a"), List.of("c"));
        b.node("n4", new dev.netlens.core.ops.Add(), List.of("a", "b"), List.of("y"));
        b.node("n5", new dev.netlens.core.ops.Add(), List.of("y", "c"), List.of("u"));
        b.node("n6", new dev.netlens.core.ops.Add(), List.of("y", "y"), List.of("v"));
        b.node("n7", new dev.netlens.core.ops.Add(), List.of("u", "v"), List.of("out"));
        b.output("out");
        Tensor x = Tensor.zeros(1, 1, 2, 2);
        for (int i = 0; i < 4; i++) {
            x.data()[i] = i - 1.5f;
        }
        Tensor seed = Tensor.zeros(1, 1, 2, 2);
        java.util.Arrays.fill(seed.data(), 1f);
        Map<String, Tensor> grads = b.build().run().record().forward(x)
                .gradients(Map.of("out", seed), List.of("x", "a", "b"));
        assertArrayEquals(new float[] {0f, 0f, 7f, 7f}, grads.get("x").data());
        // a: 3 (from y, twice through v and once through u) + 1 (through c, where a > 0)
        assertArrayEquals(new float[] {3f, 3f, 4f, 4f}, grads.get("a").data());
        assertArrayEquals(new float[] {3f, 3f, 3f, 3f}, grads.get("b").data());
    }

    @Test
    void gradientsThroughFanOutMatchFiniteDifferences() {
        Graph g = TestNets.residualNet(1);
        SplittableRandom r = new SplittableRandom(2);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 2, 6, 6);
        Trace t = g.run().record().forward(x);
        Tensor seed = Tensor.randomNormal(r, 1f, t.output().shape());
        Map<String, Tensor> grads = t.gradients(Map.of("y", seed), List.of("x", "w1", "b1", "w2", "b3"));
        float eps = 1e-3f;
        for (String name : List.of("x", "w1", "b1", "w2", "b3")) {
            Tensor ga = grads.get(name);
            double scale = 0;
            for (float v : ga.data()) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int e = 0; e < ga.size(); e += Math.max(1, ga.size() / 40)) {
                double numeric = (objective(g, x, seed, name, e, eps) - objective(g, x, seed, name, e, -eps)) / (2 * eps);
                double analytic = ga.data()[e];
                assertTrue(Math.abs(numeric - analytic) <= 2e-3 + 2e-2 * scale,
                        name + "[" + e + "]: analytic " + analytic + " numeric " + numeric);
            }
        }
    }

    @Test
    void onlyNodesOnAPathAreDifferentiated() {
        SplittableRandom r = new SplittableRandom(3);
        TestNets.Probe left = new TestNets.Probe(new Relu());
        TestNets.Probe right = new TestNets.Probe(new Relu());
        TestNets.Probe upstream = new TestNets.Probe(Conv.of(1, 1));
        Graph g = Graph.builder()
                .input("x", 1, 2, 5, 5)
                .parameter("w", Tensor.randomNormal(r, 1f, 2, 2, 3, 3))
                .node("conv", upstream, List.of("x", "w"), List.of("c"))
                .node("left", left, List.of("c"), List.of("yl"))
                .node("right", right, List.of("c"), List.of("yr"))
                .output("yl", "yr")
                .build();
        Trace t = g.run().record().forward(Tensor.randomNormal(r, 1f, 1, 2, 5, 5));
        // Gradient of yl w.r.t. the intermediate c: only "left" is differentiated.
        t.gradients(Map.of("yl", Tensor.full(1f, 1, 2, 5, 5)), List.of("c"));
        assertEquals(1, left.backwardCalls.size());
        assertEquals(0, right.backwardCalls.size());
        assertEquals(0, upstream.backwardCalls.size());
        // W.r.t. the input: conv is differentiated for x only — no weight gradient.
        t.gradients(Map.of("yl", Tensor.full(1f, 1, 2, 5, 5)), List.of("x"));
        assertEquals(1, upstream.backwardCalls.size());
        assertArrayEquals(new boolean[] {true, false}, upstream.backwardCalls.get(0));
        assertEquals(0, right.backwardCalls.size());
        // W.r.t. the weight only: the data gradient of x is not requested.
        t.gradients(Map.of("yr", Tensor.full(1f, 1, 2, 5, 5)), List.of("w"));
        assertArrayEquals(new boolean[] {false, true}, upstream.backwardCalls.get(1));
        assertEquals(1, right.backwardCalls.size());
        assertEquals(1, upstream.forwardCalls, "backward passes never re-run the forward pass");
    }

    @Test
    void severalBackwardPassesFromOneForwardAreIndependentAndLinear() {
        Graph g = TestNets.mlp(4);
        SplittableRandom r = new SplittableRandom(5);
        Tensor x = Tensor.randomNormal(r, 1f, 3, 5);
        Trace t = g.run().record().forward(x);
        Tensor s0 = Tensor.zeros(3, 3);
        Tensor s1 = Tensor.zeros(3, 3);
        Tensor both = Tensor.zeros(3, 3);
        for (int n = 0; n < 3; n++) {
            s0.set(1f, n, 0);
            s1.set(1f, n, 1);
            both.set(1f, n, 0);
            both.set(1f, n, 1);
        }
        Tensor g0 = t.gradient("fc2", s0, "x");
        Tensor g1 = t.gradient("fc2", s1, "x");
        Tensor g01 = t.gradient("fc2", both, "x");
        Tensor sum = g0.copy();
        for (int i = 0; i < sum.size(); i++) {
            sum.data()[i] += g1.data()[i];
        }
        assertClose(g01, sum, 1e-6, 1e-7, "linearity in the seed");
        Tensor fresh = g.run().record().forward(x).gradient("fc2", s0, "x");
        assertClose(fresh, g0, 0, 0, "same as a fresh trace");
        assertClose(g0, t.gradient("fc2", s0, "x"), 0, 0, "repeatable");
    }

    @Test
    void mlpGradientEqualsHandComputedChainRule() {
        Graph g = TestNets.mlp(6);
        Tensor w1 = g.parameters().get("w1");
        Tensor b1 = g.parameters().get("b1");
        Tensor w2 = g.parameters().get("w2");
        Tensor x = Tensor.randomNormal(new SplittableRandom(7), 1f, 1, 5);
        Tensor seed = Tensor.of(new float[] {0.3f, -1.2f, 2f}, 1, 3);
        double[] h = new double[4];
        for (int j = 0; j < 4; j++) {
            h[j] = b1.data()[j];
            for (int i = 0; i < 5; i++) {
                h[j] += w1.get(j, i) * x.get(0, i);
            }
        }
        double[] gx = new double[5];
        for (int j = 0; j < 4; j++) {
            if (h[j] <= 0) {
                continue;
            }
            double gh = 0;
            for (int k = 0; k < 3; k++) {
                gh += w2.get(k, j) * seed.get(0, k);
            }
            for (int i = 0; i < 5; i++) {
                gx[i] += gh * w1.get(j, i);
            }
        }
        Tensor got = g.run().record().forward(x).gradient("fc2", seed, "x");
        for (int i = 0; i < 5; i++) {
            assertEquals(gx[i], got.data()[i], 1e-5);
        }
    }

    @Test
    void multipleSeedsAndIntermediateOutputs() {
        Graph base = TestNets.residualNet(8);
        Graph g = base.toBuilder().output("r1").build();
        SplittableRandom r = new SplittableRandom(9);
        Tensor x = Tensor.randomNormal(r, 1f, 1, 2, 6, 6);
        Trace t = g.run().record().forward(x);
        Tensor sy = Tensor.randomNormal(r, 1f, t.output("y").shape());
        Tensor sr = Tensor.randomNormal(r, 1f, t.output("r1").shape());
        Tensor both = t.gradients(Map.of("y", sy, "r1", sr), List.of("x")).get("x");
        Tensor gy = t.gradient("y", sy, "x");
        Tensor gr = t.gradient("r1", sr, "x");
        for (int i = 0; i < both.size(); i++) {
            assertEquals(gy.data()[i] + gr.data()[i], both.data()[i], 1e-5);
        }
    }

    @Test
    void unreachableValuesGetZeroGradients() {
        Graph g = TestNets.mlp(10);
        Trace t = g.run().record().forward(Tensor.ones(2, 5));
        // fc2 does not depend on ... every value feeds fc2 here, so seed the intermediate 'act' and ask for w2.
        Tensor gw2 = t.gradients(Map.of("act", Tensor.ones(2, 4)), List.of("w2")).get("w2");
        assertArrayEquals(new int[] {3, 4}, gw2.shape());
        for (float v : gw2.data()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void misuseIsReportedClearly() {
        Graph g = TestNets.mlp(11);
        Trace inference = g.run().forward(Tensor.ones(2, 5));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> inference.gradient("fc2", Tensor.ones(2, 3), "x"));
        assertTrue(e.getMessage().contains("record()"), e.getMessage());
        Trace t = g.run().record().forward(Tensor.ones(2, 5));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> t.gradient("fc2", Tensor.ones(3, 3), "x"));
        assertTrue(bad.getMessage().contains("seed"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> t.gradient("fc2", Tensor.ones(2, 3), "nope"));
        assertTrue(bad.getMessage().contains("nope"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> g.run().forward(Tensor.ones(2, 6)));
        assertTrue(bad.getMessage().contains("[2, 6]") && bad.getMessage().contains("[-1, 5]"), bad.getMessage());
    }
}
