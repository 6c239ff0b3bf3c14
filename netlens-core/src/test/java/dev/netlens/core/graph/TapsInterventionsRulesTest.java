package dev.netlens.core.graph;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A tap, an intervention and a backward-rule override each change exactly what they should, and
 * no override survives its scope — also when an exception is thrown inside it.
 */
class TapsInterventionsRulesTest {
    private final Graph net = TestNets.residualNet(21);
    private final Tensor x = Tensor.randomNormal(new SplittableRandom(22), 1f, 2, 2, 6, 6);

    @Test
    void tapKeepsTheActivationAndChangesNothingElse() {
        Trace plain = net.run().record().forward(x);
        Trace tapped = net.run().record().tap("r1", "c2").forward(x);
        assertBitIdentical(plain.output(), tapped.output(), "output with and without taps");
        // The tapped value equals that layer computed on its own.
        Tensor r1 = net.run().outputs("r1").forward(x).output();
        assertBitIdentical(r1, tapped.value("r1"), "tapped r1");
        // Tapping is what makes a value visible.
        assertThrows(IllegalArgumentException.class, () -> plain.value("r1"));
        // The tapped activation's gradient: y depends on r1 through conv2 and the residual add.
        Tensor seed = Tensor.randomNormal(new SplittableRandom(23), 1f, plain.output().shape());
        Tensor g = tapped.gradient("y", seed, "r1");
        float eps = 1e-3f;
        for (int e = 0; e < g.size(); e += 7) {
            Tensor d = Tensor.zeros(g.shape());
            d.data()[e] = eps;
            Tensor dNeg = Tensor.zeros(g.shape());
            dNeg.data()[e] = -eps;
            double lp = dot(net.run().intervene("r1", Interventions.add(d)).forward(x).output(), seed);
            double lm = dot(net.run().intervene("r1", Interventions.add(dNeg)).forward(x).output(), seed);
            assertEquals((lp - lm) / (2 * eps), g.data()[e], 2e-2);
        }
    }

    @Test
    void ablationChangesExactlyTheAblatedChannelAndMatchesAnEquivalentNetwork() {
        Trace edited = net.run().record().tap("c1", "r1").intervene("r1", Interventions.ablateChannels(2)).forward(x);
        Trace plain = net.run().record().tap("c1", "r1").forward(x);
        // Upstream of the edit nothing changes.
        assertBitIdentical(plain.value("c1"), edited.value("c1"), "conv1 output upstream of the intervention");
        // The edited value: channel 2 is zero, the others are untouched.
        Tensor before = plain.value("r1");
        Tensor after = edited.value("r1");
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < 36; i++) {
                    float expected = c == 2 ? 0f : before.data()[(n * 4 + c) * 36 + i];
                    assertEquals(expected, after.data()[(n * 4 + c) * 36 + i]);
                }
            }
        }
        // Downstream: the same as a network whose unit 2 can never fire (w1[2] = 0, b1[2] = −1).
        Graph.Builder b = Graph.builder();
        Tensor w1 = net.parameters().get("w1").copy();
        Tensor b1 = net.parameters().get("b1").copy();
        for (int i = 0; i < 18; i++) {
            w1.data()[2 * 18 + i] = 0f;
        }
        b1.data()[2] = -1f;
        Graph silenced = rebuildWith(Map.of("w1", w1, "b1", b1));
        Trace reference = silenced.run().record().forward(x);
        assertClose(reference.output(), edited.output(), 1e-6, 1e-6, "ablated output");
        assertNotEquals(plain.output().data()[0], edited.output().data()[0]);
        // Gradients flow through the intervention exactly as through the silenced unit.
        Tensor seed = Tensor.randomNormal(new SplittableRandom(24), 1f, reference.output().shape());
        assertClose(reference.gradient("y", seed, "x"), edited.gradient("y", seed, "x"), 1e-5, 1e-6,
                "input gradient through the ablation");
    }

    @Test
    void scalingAndClampingInterventionsDifferentiate() {
        Tensor seed = Tensor.randomNormal(new SplittableRandom(25), 1f, 2, 3, 6, 6);
        Trace scaled = net.run().record().intervene("s", Interventions.scale(0.5f)).forward(x);
        Tensor g = scaled.gradient("y", seed, "x");
        float eps = 1e-3f;
        for (int e = 0; e < x.size(); e += 11) {
            Tensor xp = x.copy();
            xp.data()[e] += eps;
            Tensor xm = x.copy();
            xm.data()[e] -= eps;
            double lp = dot(net.run().intervene("s", Interventions.scale(0.5f)).forward(xp).output(), seed);
            double lm = dot(net.run().intervene("s", Interventions.scale(0.5f)).forward(xm).output(), seed);
            assertEquals((lp - lm) / (2 * eps), g.data()[e], 2e-2);
        }
        Trace clamped = net.run().tap("r2").intervene("r2", Interventions.clamp(0f, 0.1f)).forward(x);
        for (float v : clamped.value("r2").data()) {
            assertTrue(v >= 0f && v <= 0.1f);
        }
    }

    /** Guided-backprop-style rule: only positive gradients pass a ReLU, masked by the forward input. */
    private static final BackwardRule GUIDED = (BackwardContext ctx, Tensor... g) -> {
        Tensor in = ctx.input(0);
        Tensor out = Tensor.zerosLike(g[0]);
        for (int i = 0; i < out.size(); i++) {
            out.data()[i] = in.data()[i] > 0 ? Math.max(g[0].data()[i], 0f) : 0f;
        }
        return new Tensor[] {out};
    };

    /** The guided gradient of the MLP computed by hand. */
    private static Tensor handGuided(Graph mlp, Tensor x, Tensor seed) {
        Tensor w1 = mlp.parameters().get("w1");
        Tensor b1 = mlp.parameters().get("b1");
        Tensor w2 = mlp.parameters().get("w2");
        int n = x.dim(0);
        Tensor gx = Tensor.zeros(n, 5);
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < 4; j++) {
                double h = b1.data()[j];
                for (int i = 0; i < 5; i++) {
                    h += w1.get(j, i) * x.get(s, i);
                }
                double gh = 0;
                for (int k = 0; k < 3; k++) {
                    gh += w2.get(k, j) * seed.get(s, k);
                }
                double passed = h > 0 ? Math.max(gh, 0) : 0;
                for (int i = 0; i < 5; i++) {
                    gx.data()[s * 5 + i] += (float) (passed * w1.get(j, i));
                }
            }
        }
        return gx;
    }

    @Test
    void ruleOverrideChangesOnlyTheMatchedNodesAndNeverOutlivesItsScope() {
        Graph mlp = TestNets.mlp(30);
        SplittableRandom r = new SplittableRandom(31);
        Tensor in = Tensor.randomNormal(r, 1f, 4, 5);
        Tensor seed = Tensor.randomNormal(r, 1f, 4, 3);
        Trace t = mlp.run().record().forward(in);
        Tensor plain = t.gradient("fc2", seed, "x");
        Tensor expectedGuided = handGuided(mlp, in, seed);
        Composite guided = Composite.builder().byCategory(OpCategory.ACTIVATION, GUIDED).build();

        // Passed per call: applies to that call only.
        Tensor perCall = t.gradients(Map.of("fc2", seed), List.of("x"), guided).get("x");
        assertClose(expectedGuided, perCall, 1e-5, 1e-6, "guided gradient");
        assertBitIdentical(plain, t.gradient("fc2", seed, "x"), "plain gradient after a per-call composite");

        // A rule matched by name on a node that is not an activation leaves the others alone.
        Composite onlyFc2 = Composite.builder().byName("fc2", (ctx, g) -> new Tensor[3]).build();
        Tensor cut = t.gradients(Map.of("fc2", seed), List.of("x"), onlyFc2).get("x");
        for (float v : cut.data()) {
            assertEquals(0f, v, "fc2's rule passes nothing back");
        }

        // Bound by a scope: applies inside, gone after close.
        try (RuleScope scope = t.withRules(guided)) {
            assertClose(expectedGuided, t.gradient("fc2", seed, "x"), 1e-5, 1e-6, "inside the scope");
            assertSame(guided, t.boundComposite());
        }
        assertSame(Composite.NONE, t.boundComposite());
        assertBitIdentical(plain, t.gradient("fc2", seed, "x"), "after the scope closed");

        // An exception inside the scope still restores everything.
        RuntimeException boom = assertThrows(RuntimeException.class, () -> {
            try (RuleScope scope = t.withRules(guided)) {
                t.gradient("fc2", seed, "x");
                throw new RuntimeException("boom");
            }
        });
        assertEquals("boom", boom.getMessage());
        assertSame(Composite.NONE, t.boundComposite());
        assertBitIdentical(plain, t.gradient("fc2", seed, "x"), "after an exception in the scope");

        // A rule that itself throws leaves nothing installed either.
        Composite failing = Composite.builder().byType("Relu", (ctx, g) -> {
            throw new IllegalStateException("rule failed");
        }).build();
        assertThrows(IllegalStateException.class, () -> {
            try (RuleScope scope = t.withRules(failing)) {
                t.gradient("fc2", seed, "x");
            }
        });
        assertSame(Composite.NONE, t.boundComposite());
        assertBitIdentical(plain, t.gradient("fc2", seed, "x"), "after a failing rule");

        // Nested scopes restore the outer binding.
        try (RuleScope outer = t.withRules(guided)) {
            try (RuleScope inner = t.withRules(Composite.NONE)) {
                assertBitIdentical(plain, t.gradient("fc2", seed, "x"), "inner scope without rules");
            }
            assertClose(expectedGuided, t.gradient("fc2", seed, "x"), 1e-5, 1e-6, "outer scope again");
        }
        // The graph itself was never touched.
        assertEquals("Relu", mlp.node("act").op().type());
        assertBitIdentical(plain, mlp.run().record().forward(in).gradient("fc2", seed, "x"), "fresh trace");
    }

    @Test
    void twoThreadsExplainOneGraphWithDifferentRulesAtOnce() throws Exception {
        Graph mlp = TestNets.mlp(40);
        SplittableRandom r = new SplittableRandom(41);
        Tensor in = Tensor.randomNormal(r, 1f, 8, 5);
        Tensor seed = Tensor.randomNormal(r, 1f, 8, 3);
        Tensor plain = mlp.run().record().forward(in).gradient("fc2", seed, "x");
        Tensor guided = handGuided(mlp, in, seed);
        Composite composite = Composite.builder().byCategory(OpCategory.ACTIVATION, GUIDED).build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Tensor> a = () -> {
                Tensor last = null;
                for (int i = 0; i < 200; i++) {
                    Trace t = mlp.run().record().forward(in);
                    try (RuleScope s = t.withRules(composite)) {
                        last = t.gradient("fc2", seed, "x");
                    }
                }
                return last;
            };
            Callable<Tensor> b = () -> {
                Tensor last = null;
                for (int i = 0; i < 200; i++) {
                    last = mlp.run().record().forward(in).gradient("fc2", seed, "x");
                }
                return last;
            };
            Future<Tensor> fa = pool.submit(a);
            Future<Tensor> fb = pool.submit(b);
            assertClose(guided, fa.get(), 1e-5, 1e-6, "guided thread");
            assertBitIdentical(plain, fb.get(), "plain thread");
        } finally {
            pool.shutdownNow();
        }
    }

    private Graph rebuildWith(Map<String, Tensor> replaced) {
        Graph.Builder b = Graph.builder();
        for (String in : net.inputNames()) {
            b.input(in, net.inputShape(in));
        }
        net.parameters().forEach((k, v) -> b.parameter(k, replaced.getOrDefault(k, v)));
        for (Node n : net.nodes()) {
            b.node(n.name(), n.op(), n.inputs(), n.outputs());
        }
        b.output(net.outputNames().toArray(new String[0]));
        return b.build();
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }
}
