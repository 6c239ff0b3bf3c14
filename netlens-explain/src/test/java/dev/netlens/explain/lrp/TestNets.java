package dev.netlens.explain.lrp;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.AveragePool;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small networks for the LRP and DeepLIFT tests. */
public final class TestNets {
    private TestNets() {
    }

    /** A bias-free ReLU MLP: 8 → 16 → 12 → 5. */
    public static Graph mlp(long seed, boolean bias) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder().input("x", -1, 8);
        String v = "x";
        int[] widths = {8, 16, 12, 5};
        for (int l = 0; l + 1 < widths.length; l++) {
            String w = "fc" + l + ".weight";
            b.parameter(w, Tensor.randomNormal(rnd, (float) Math.sqrt(2.0 / widths[l]), widths[l + 1], widths[l]));
            List<String> in = new ArrayList<>(List.of(v, w));
            if (bias) {
                b.parameter("fc" + l + ".bias", Tensor.randomNormal(rnd, 0.1f, widths[l + 1]));
                in.add("fc" + l + ".bias");
            }
            String out = l + 2 == widths.length ? "logits" : "fc" + l;
            b.node("fc" + l, Gemm.linear(), in, List.of(out));
            v = out;
            if (l + 2 < widths.length) {
                v = b.add("relu" + l, new Relu(), v);
            }
        }
        return b.output("logits").build();
    }

    /**
     * A ReLU CNN on [N, 3, 12, 12]: conv → relu → (max-pool 2×2 or average-pool 2×2) → conv → relu →
     * residual add → relu → average-pool 2×2 → conv → relu → global average pool → flatten → dense.
     */
    public static Graph cnn(long seed, boolean bias, boolean maxPool) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder().input("x", -1, 3, 12, 12);
        String v = conv(b, rnd, "conv1", "x", 3, 8, bias);
        v = b.add("relu1", new Relu(), v);
        v = b.add("pool1", maxPool ? MaxPool.of(2, 2) : AveragePool.of(2, 2), v);
        String branch = conv(b, rnd, "conv2", v, 8, 8, bias);
        branch = b.add("relu2", new Relu(), branch);
        String sum = b.add("add", new Add(), branch, v);
        v = b.add("relu3", new Relu(), sum);
        v = b.add("pool2", AveragePool.of(2, 2), v);
        v = conv(b, rnd, "conv3", v, 8, 6, bias);
        v = b.add("relu4", new Relu(), v);
        v = b.add("gap", new GlobalAveragePool(), v);
        v = b.add("flatten", new Flatten(1), v);
        b.parameter("fc.weight", Tensor.randomNormal(rnd, 0.5f, 4, 6));
        List<String> in = new ArrayList<>(List.of(v, "fc.weight"));
        if (bias) {
            b.parameter("fc.bias", Tensor.randomNormal(rnd, 0.1f, 4));
            in.add("fc.bias");
        }
        b.node("fc", Gemm.linear(), in, List.of("logits"));
        return b.output("logits").build();
    }

    private static String conv(Graph.Builder b, SplittableRandom rnd, String name, String in, int cin, int cout,
                               boolean bias) {
        b.parameter(name + ".weight", Tensor.randomNormal(rnd, (float) Math.sqrt(2.0 / (9 * cin)), cout, cin, 3, 3));
        List<String> inputs = new ArrayList<>(List.of(in, name + ".weight"));
        if (bias) {
            b.parameter(name + ".bias", Tensor.randomNormal(rnd, 0.1f, cout));
            inputs.add(name + ".bias");
        }
        b.node(name, Conv.of(1, 1), inputs, List.of(name));
        return name;
    }

    /** {@link ResNets#basic} with random batch-norm statistics and affine parameters (ResNets' are trivial). */
    public static Graph resnet(long seed, boolean imagenetStem) {
        Graph g = ResNets.basic(new int[] {8, 16}, new int[] {1, 1}, 3, 5, imagenetStem, seed);
        return randomizeBatchNorm(g, seed + 1);
    }

    /** A copy of {@code g} with every BatchNormalization's scale, bias, mean and variance randomised. */
    public static Graph randomizeBatchNorm(Graph g, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> replace = new HashMap<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof BatchNormalization) {
                int c = g.parameters().get(n.inputs().get(1)).size();
                replace.put(n.inputs().get(1), uniform(rnd, c, 0.5, 1.5));
                replace.put(n.inputs().get(2), uniform(rnd, c, -0.3, 0.3));
                replace.put(n.inputs().get(3), uniform(rnd, c, -0.5, 0.5));
                replace.put(n.inputs().get(4), uniform(rnd, c, 0.5, 2.0));
            }
        }
        Graph.Builder b = Graph.builder();
        for (String in : g.inputNames()) {
            b.input(in, g.inputShape(in));
        }
        g.parameters().forEach((k, v) -> b.parameter(k, replace.getOrDefault(k, v)));
        for (Node n : g.nodes()) {
            b.node(n.name(), n.op(), n.inputs(), n.outputs());
        }
        g.outputNames().forEach(b::output);
        g.metadata().forEach(b::metadata);
        return b.build();
    }

    private static Tensor uniform(SplittableRandom rnd, int n, double lo, double hi) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return Tensor.of(d, n);
    }

    /** Σ over each batch item. */
    public static double[] itemSums(Tensor t) {
        int n = t.dim(0);
        int per = t.size() / n;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < per; j++) {
                s[i] += t.data()[i * per + j];
            }
        }
        return s;
    }
}
