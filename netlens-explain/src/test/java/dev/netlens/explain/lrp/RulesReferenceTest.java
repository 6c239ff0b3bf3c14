package dev.netlens.explain.lrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Retention;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.AveragePool;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every rule on one dense and one convolutional layer against its formula evaluated naively in double. */
class RulesReferenceTest {
    private static final double EPS = 1e-6;

    /** A one-layer graph plus its naive twin. */
    private record Layer(Graph graph, NaiveLayer naive, int[] inShape, int[] outShape) {
    }

    private static Layer dense(SplittableRandom rnd, boolean bias) {
        int in = 7;
        int out = 5;
        Tensor w = Tensor.randomNormal(rnd, 0.6f, out, in);
        Tensor b = bias ? Tensor.randomNormal(rnd, 0.3f, out) : null;
        Graph.Builder gb = Graph.builder().input("x", -1, in).parameter("w", w);
        List<String> inputs = new ArrayList<>(List.of("x", "w"));
        if (bias) {
            gb.parameter("b", b);
            inputs.add("b");
        }
        gb.node("layer", Gemm.linear(), inputs, List.of("y")).output("y");
        return new Layer(gb.build(), NaiveLayer.dense(w.data(), bias ? b.data() : null, in, out),
                new int[] {2, in}, new int[] {2, out});
    }

    /** 2-D: C 4 → M 6, 3×3, stride 2, pad 1, groups 2; input 7×6. */
    private static Layer conv2d(SplittableRandom rnd) {
        int c = 4;
        int m = 6;
        int h = 7;
        int wd = 6;
        int groups = 2;
        Tensor w = Tensor.randomNormal(rnd, 0.5f, m, c / groups, 3, 3);
        Tensor b = Tensor.randomNormal(rnd, 0.3f, m);
        Conv op = Conv.builder().kernelShape(3, 3).strides(2, 2).pads(1, 1, 1, 1).group(groups).build();
        Graph g = Graph.builder().input("x", -1, c, h, wd).parameter("w", w).parameter("b", b)
                .node("layer", op, List.of("x", "w", "b"), List.of("y")).output("y").build();
        NaiveLayer naive = NaiveLayer.conv(w.data(), b.data(), c, h, wd, m, 3, 3, 2, 1, groups);
        int oh = (h + 2 - 3) / 2 + 1;
        int ow = (wd + 2 - 3) / 2 + 1;
        return new Layer(g, naive, new int[] {2, c, h, wd}, new int[] {2, m, oh, ow});
    }

    /** 1-D: C 3 → M 5, kernel 3, stride 1, pad 1; length 9. */
    private static Layer conv1d(SplittableRandom rnd) {
        int c = 3;
        int m = 5;
        int len = 9;
        Tensor w = Tensor.randomNormal(rnd, 0.5f, m, c, 3);
        Tensor b = Tensor.randomNormal(rnd, 0.3f, m);
        Conv op = Conv.builder().kernelShape(3).strides(1).pads(1, 1).build();
        Graph g = Graph.builder().input("x", -1, c, len).parameter("w", w).parameter("b", b)
                .node("layer", op, List.of("x", "w", "b"), List.of("y")).output("y").build();
        NaiveLayer naive = NaiveLayer.conv(w.data(), b.data(), c, 1, len, m, 1, 3, 1, 1, 1);
        return new Layer(g, naive, new int[] {2, c, len}, new int[] {2, m, len});
    }

    /**
     * Runs {@code rule} on the layer's node and compares with the naive formula; relevance is
     * zeroed where a denominator is nearly zero (where float and double legitimately disagree).
     */
    private static void check(Layer layer, BackwardRule rule, List<NaiveLayer.Part> parts, double[] low,
                              double[] high, boolean nonNegativeInput, SplittableRandom rnd) {
        Tensor x = Tensor.randomNormal(rnd, 1f, layer.inShape());
        if (nonNegativeInput) {
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = Math.abs(x.data()[i]);
            }
        }
        if (low != null) {
            // inputs inside the box
            for (int i = 0; i < x.size(); i++) {
                int per = x.size() / x.dim(0);
                int ch = layer.naive().channelOf[i % per];
                double l = low.length == 1 ? low[0] : low[ch];
                double h = high.length == 1 ? high[0] : high[ch];
                x.data()[i] = (float) (l + (h - l) * rnd.nextDouble());
            }
        }
        Tensor r = Tensor.randomNormal(rnd, 1f, layer.outShape());
        NaiveLayer nv = layer.naive();
        int n = x.dim(0);
        int perIn = nv.inSize;
        int perOut = nv.outSize;
        double[][] expected = new double[n][];
        for (int item = 0; item < n; item++) {
            double[] a = new double[perIn];
            for (int i = 0; i < perIn; i++) {
                a[i] = x.data()[item * perIn + i];
            }
            double[][] d = nv.denominators(a, parts, low, high);
            double scale = 0;
            for (double[] row : d) {
                for (double v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            double[] rr = new double[perOut];
            for (int j = 0; j < perOut; j++) {
                boolean small = false;
                for (double[] row : d) {
                    small |= Math.abs(row[j]) < 0.02 * scale;
                }
                if (small) {
                    r.data()[item * perOut + j] = 0f;
                }
                rr[j] = r.data()[item * perOut + j];
            }
            expected[item] = nv.relevance(a, rr, parts, EPS, low, high);
        }
        Trace t = layer.graph().run().record(Retention.ALL).forward(x);
        Composite c = Composite.builder().byName("layer", rule).build();
        Tensor got = t.gradients(Map.of("y", r), List.of("x"), c).get("x");
        double max = 0;
        for (double[] e : expected) {
            for (double v : e) {
                max = Math.max(max, Math.abs(v));
            }
        }
        assertTrue(max > 0, "degenerate test case");
        for (int item = 0; item < n; item++) {
            for (int i = 0; i < perIn; i++) {
                double e = expected[item][i];
                double gv = got.data()[item * perIn + i];
                assertEquals(e, gv, 2e-4 * max + 1e-6, rule + " at item " + item + ", input " + i);
            }
        }
    }

    private static void allLayers(BackwardRule rule, List<NaiveLayer.Part> parts, double[] low, double[] high,
                                  boolean nonNegative) {
        SplittableRandom rnd = new SplittableRandom(11);
        check(dense(rnd, true), rule, parts, low, high, nonNegative, rnd);
        check(dense(rnd, false), rule, parts, low, high, nonNegative, rnd);
        check(conv2d(rnd), rule, parts, low, high, nonNegative, rnd);
        check(conv1d(rnd), rule, parts, low, high, nonNegative, rnd);
    }

    @Test
    void epsilon() {
        allLayers(Rules.epsilon(), NaiveLayer.epsilon(), null, null, false);
    }

    @Test
    void epsilonLarge() {
        SplittableRandom rnd = new SplittableRandom(5);
        BackwardRule rule = Rules.epsilon(0.25f);
        List<NaiveLayer.Part> parts = NaiveLayer.epsilon();
        // naive with ε = 0.25: evaluate directly
        Layer l = dense(rnd, true);
        Tensor x = Tensor.randomNormal(rnd, 1f, l.inShape());
        Tensor r = Tensor.randomNormal(rnd, 1f, l.outShape());
        Trace t = l.graph().run().record(Retention.ALL).forward(x);
        Tensor got = t.gradients(Map.of("y", r), List.of("x"), Composite.builder().byName("layer", rule).build())
                .get("x");
        for (int item = 0; item < 2; item++) {
            double[] a = new double[7];
            double[] rr = new double[5];
            for (int i = 0; i < 7; i++) {
                a[i] = x.data()[item * 7 + i];
            }
            for (int j = 0; j < 5; j++) {
                rr[j] = r.data()[item * 5 + j];
            }
            double[] e = l.naive().relevance(a, rr, parts, 0.25, null, null);
            for (int i = 0; i < 7; i++) {
                assertEquals(e[i], got.data()[item * 7 + i], 1e-4 * (1 + Math.abs(e[i])));
            }
        }
    }

    @Test
    void gamma() {
        allLayers(Rules.gamma(), NaiveLayer.gamma(0.25), null, null, false);
    }

    @Test
    void generalizedGammaEqualsGammaOnPositiveInputsAndOutputs() {
        // On non-negative inputs, where the output is positive, zennit's generalised γ is the γ rule.
        SplittableRandom rnd = new SplittableRandom(3);
        Layer l = conv2d(rnd);
        Tensor x = Tensor.randomNormal(rnd, 1f, l.inShape());
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = Math.abs(x.data()[i]);
        }
        Trace t = l.graph().run().record(Retention.ALL).forward(x);
        Tensor y = t.output();
        Tensor r = Tensor.randomNormal(rnd, 1f, l.outShape());
        for (int j = 0; j < r.size(); j++) {
            if (y.data()[j] <= 0.05f) {
                r.data()[j] = 0f;
            }
        }
        Tensor a = t.gradients(Map.of("y", r), List.of("x"),
                Composite.builder().byName("layer", Rules.generalizedGamma(0.25f, 1e-6f)).build()).get("x");
        Tensor b = t.gradients(Map.of("y", r), List.of("x"),
                Composite.builder().byName("layer", Rules.gamma()).build()).get("x");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.data()[i], a.data()[i], 1e-4 * (1 + Math.abs(b.data()[i])));
        }
    }

    @Test
    void alphaBeta() {
        allLayers(Rules.alphaBeta(), NaiveLayer.alphaBeta(2, 1), null, null, false);
        allLayers(Rules.alphaBeta(1f, 0f, 1e-6f), NaiveLayer.alphaBeta(1, 0), null, null, false);
    }

    @Test
    void zPlus() {
        allLayers(Rules.zPlus(), NaiveLayer.zPlus(), null, null, false);
    }

    @Test
    void wSquare() {
        allLayers(Rules.wSquare(), NaiveLayer.wSquare(), null, null, false);
    }

    @Test
    void flatCountsPaddingAsZero() {
        allLayers(Rules.flat(), NaiveLayer.flat(), null, null, false);
    }

    @Test
    void zBoxScalarAndPerChannelBounds() {
        SplittableRandom rnd = new SplittableRandom(17);
        check(dense(rnd, true), Rules.zBox(-1.5f, 2f), NaiveLayer.zBox(), new double[] {-1.5}, new double[] {2}, false,
                rnd);
        float[] lo = {-2f, -1f, 0f, -0.5f};
        float[] hi = {1f, 2f, 1f, 3f};
        check(conv2d(rnd), Rules.zBox(lo, hi), NaiveLayer.zBox(), new double[] {-2, -1, 0, -0.5},
                new double[] {1, 2, 1, 3}, false, rnd);
        check(conv1d(rnd), Rules.zBox(new float[] {-1f, -2f, 0f}, new float[] {1f, 1f, 2f}), NaiveLayer.zBox(),
                new double[] {-1, -2, 0}, new double[] {1, 1, 2}, false, rnd);
    }

    @Test
    void normOnAveragePoolAndResidualAdd() {
        SplittableRandom rnd = new SplittableRandom(23);
        // AveragePool 2×2 stride 2: z_j = mean of its window, R_i = x_i · (1/4) · R_j / stab(z_j).
        Graph pool = Graph.builder().input("x", -1, 2, 4, 4)
                .node("pool", AveragePool.of(2, 2), List.of("x"), List.of("y")).output("y").build();
        Tensor x = Tensor.randomNormal(rnd, 1f, 1, 2, 4, 4);
        Trace t = pool.run().record(Retention.ALL).forward(x);
        Tensor y = t.output();
        Tensor r = Tensor.randomNormal(rnd, 1f, 1, 2, 2, 2);
        Tensor got = t.gradients(Map.of("y", r), List.of("x"), Composite.builder().byName("pool", Rules.norm()).build())
                .get("x");
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    int o = (c * 2 + i / 2) * 2 + j / 2;
                    double z = y.data()[o];
                    double e = x.data()[(c * 4 + i) * 4 + j] * 0.25 * r.data()[o] / NaiveLayer.stab(z, EPS);
                    assertEquals(e, got.data()[(c * 4 + i) * 4 + j], 1e-4 * (1 + Math.abs(e)));
                }
            }
        }
        // Residual Add: R_a = a R / stab(a + b), R_b = b R / stab(a + b); conservation where a + b is not tiny.
        Graph add = Graph.builder().input("a", -1, 6).input("b", -1, 6)
                .node("sum", new Add(), List.of("a", "b"), List.of("y")).output("y").build();
        Tensor a = Tensor.randomNormal(rnd, 1f, 1, 6);
        Tensor b = Tensor.randomNormal(rnd, 1f, 1, 6);
        Trace ta = add.run().record(Retention.ALL).forward(Map.of("a", a, "b", b));
        Tensor ra = Tensor.randomNormal(rnd, 1f, 1, 6);
        Map<String, Tensor> g = ta.gradients(Map.of("y", ra), List.of("a", "b"),
                Composite.builder().byName("sum", Rules.norm()).build());
        for (int i = 0; i < 6; i++) {
            double z = NaiveLayer.stab(a.data()[i] + b.data()[i], EPS);
            assertEquals(a.data()[i] * ra.data()[i] / z, g.get("a").data()[i], 1e-4 * (1 + Math.abs(ra.data()[i] / z)));
            assertEquals(b.data()[i] * ra.data()[i] / z, g.get("b").data()[i], 1e-4 * (1 + Math.abs(ra.data()[i] / z)));
        }
    }

    @Test
    void matMulLayersUseTheSameRules() {
        // x [N, 7] · W [7, 5] as MatMul, compared with the naive layer of Wᵀ
        SplittableRandom rnd = new SplittableRandom(29);
        Tensor w = Tensor.randomNormal(rnd, 0.6f, 7, 5);
        float[] wt = new float[35];
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 5; j++) {
                wt[j * 7 + i] = w.data()[i * 5 + j];
            }
        }
        Graph g = Graph.builder().input("x", -1, 7).parameter("w", w)
                .node("layer", new dev.netlens.core.ops.MatMul(), List.of("x", "w"), List.of("y")).output("y").build();
        Layer l = new Layer(g, NaiveLayer.dense(wt, null, 7, 5), new int[] {2, 7}, new int[] {2, 5});
        check(l, Rules.zPlus(), NaiveLayer.zPlus(), null, null, false, rnd);
        check(l, Rules.epsilon(), NaiveLayer.epsilon(), null, null, false, rnd);
        // W · x with the weight first: roles are swapped because only input 1 depends on the input
        Graph swapped = Graph.builder().input("x", 7, -1).parameter("w", Tensor.of(wt, 5, 7))
                .node("layer", new dev.netlens.core.ops.MatMul(), List.of("w", "x"), List.of("y")).output("y").build();
        Tensor xt = Tensor.randomNormal(rnd, 1f, 7, 1);
        Tensor r = Tensor.randomNormal(rnd, 1f, 5, 1);
        Tensor got = swapped.run().record(Retention.ALL).forward(xt).gradients(Map.of("y", r), List.of("x"),
                Composite.builder().byName("layer", Rules.zPlus()).build()).get("x");
        double[] a = new double[7];
        double[] rr = new double[5];
        for (int i = 0; i < 7; i++) {
            a[i] = xt.data()[i];
        }
        for (int j = 0; j < 5; j++) {
            rr[j] = r.data()[j];
        }
        double[] e = l.naive().relevance(a, rr, NaiveLayer.zPlus(), EPS, null, null);
        for (int i = 0; i < 7; i++) {
            assertEquals(e[i], got.data()[i], 1e-4 * (1 + Math.abs(e[i])));
        }
    }

    @Test
    void passAndGradient() {
        Graph g = Graph.builder().input("x", -1, 5).node("act", new Relu(), List.of("x"), List.of("y")).output("y")
                .build();
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4, 0}, 1, 5);
        Tensor r = Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 5);
        Trace t = g.run().record(Retention.ALL).forward(x);
        Tensor pass = t.gradients(Map.of("y", r), List.of("x"), Composite.builder().byName("act", Rules.pass()).build())
                .get("x");
        assertEquals(List.of(1f, 2f, 3f, 4f, 5f), floats(pass));
        Tensor grad = t.gradients(Map.of("y", r), List.of("x"),
                Composite.builder().byName("act", Rules.gradient()).build()).get("x");
        assertEquals(floats(t.gradients(Map.of("y", r), List.of("x")).get("x")), floats(grad));
    }

    @Test
    void parameterRulesRejectParameterFreeNodes() {
        Graph g = Graph.builder().input("x", -1, 2, 4, 4)
                .node("pool", AveragePool.of(2, 2), List.of("x"), List.of("y")).output("y").build();
        Trace t = g.run().record(Retention.ALL).forward(Tensor.ones(1, 2, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.gradients(
                Map.of("y", Tensor.ones(1, 2, 2, 2)), List.of("x"),
                Composite.builder().byName("pool", Rules.zPlus()).build()));
        assertTrue(e.getMessage().contains("pool") && e.getMessage().contains("Conv"), e.getMessage());
    }

    @Test
    void ruleValidation() {
        assertThrows(IllegalArgumentException.class, () -> Rules.alphaBeta(2f, 2f, 1e-6f));
        assertThrows(IllegalArgumentException.class, () -> Rules.epsilon(-1f));
        assertThrows(IllegalArgumentException.class, () -> Rules.zBox(new float[] {1f}, new float[] {0f}));
        assertNotNull(Rules.zBox(0f, 1f).toString());
    }

    private static List<Float> floats(Tensor t) {
        List<Float> l = new ArrayList<>();
        for (float v : t.data()) {
            l.add(v);
        }
        return l;
    }
}
