package dev.netlens.core.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.nn.NetBuilder;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainableModelTest {

    private static Graph convBnNet() {
        NetBuilder b = new NetBuilder(4).input("input", 2, 5, 5);
        String x = b.conv2d("conv", "input", 3, 3, 1, 1, false);
        x = b.relu("relu", b.batchNorm2d("bn", x));
        x = b.flatten("flatten", b.globalAvgPool("pool", x));
        return b.build(b.linear("fc", x, 4, "logits"));
    }

    @Test
    void trainableParametersExcludeRunningStatistics() {
        TrainableModel m = new TrainableModel(convBnNet());
        assertEquals(List.of("conv.weight", "bn.weight", "bn.bias", "fc.weight", "fc.bias"), m.trainableNames());
        assertTrue(m.values().containsKey("bn.running_mean"));
    }

    @Test
    void runningStatisticsFollowPyTorchsUpdate() {
        Graph g = convBnNet();
        TrainableModel m = new TrainableModel(g);
        Tensor x = Tensor.randomNormal(new SplittableRandom(2), 1f, 6, 2, 5, 5);
        Tensor conv = g.run().tap("conv").forward(x).value("conv");
        Trace t = m.trainingPass(x, 1);
        m.updateBuffers(t);
        int n = 6 * 25;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < 6; i++) {
                for (int k = 0; k < 25; k++) {
                    double v = conv.data()[(i * 3 + c) * 25 + k];
                    sum += v;
                    sq += v * v;
                }
            }
            double mean = sum / n;
            double unbiased = (sq - n * mean * mean) / (n - 1);
            // PyTorch momentum 0.1: running = 0.9 * running + 0.1 * batch; initial mean 0, var 1
            assertEquals(0.1 * mean, m.values().get("bn.running_mean").data()[c], 1e-5);
            assertEquals(0.9 + 0.1 * unbiased, m.values().get("bn.running_var").data()[c], 1e-4);
        }
        // the graph's own parameters are untouched
        assertEquals(0f, g.parameters().get("bn.running_mean").data()[0]);
    }

    @Test
    void parameterGradientsOfATrainingPassMatchFiniteDifferences() {
        Graph g = convBnNet();
        TrainableModel m = new TrainableModel(g);
        SplittableRandom r = new SplittableRandom(9);
        Tensor x = Tensor.randomNormal(r, 1f, 4, 2, 5, 5);
        Tensor seed = Tensor.randomNormal(r, 1f, 4, 4);
        Trace t = m.trainingPass(x, 0);
        Map<String, Tensor> grads = t.gradients(Map.of("logits", seed), m.trainableNames());
        for (String name : m.trainableNames()) {
            Tensor p = m.values().get(name);
            for (int e = 0; e < p.size(); e += Math.max(1, p.size() / 7)) {
                float keep = p.data()[e];
                float h = 3e-3f; // small enough not to cross ReLU kinks, large enough for float round-off
                p.data()[e] = keep + h;
                double up = dot(m.trainingPass(x, 0).output("logits"), seed);
                p.data()[e] = keep - h;
                double down = dot(m.trainingPass(x, 0).output("logits"), seed);
                p.data()[e] = keep;
                double numeric = (up - down) / (2 * h);
                double analytic = grads.get(name).data()[e];
                assertEquals(numeric, analytic, 2e-2 + 2e-2 * Math.abs(numeric), name + "[" + e + "]");
            }
        }
    }

    @Test
    void batchNormFollowedByReluRunsFusedWithTheUnfusedValuesBitForBit() {
        // Every BN → ReLU pair of a residual net, and every block end BN → Add → ReLU (a
        // downsampling block, whose other addend is a BN too, and an identity block), with
        // pre-activations that are exactly zero, negative zero and NaN-free but tied.
        NetBuilder b = new NetBuilder(6).input("input", 3, 6, 6);
        String x = b.relu("relu0", b.batchNorm2d("bn0", b.conv2d("conv0", "input", 8, 3, 1, 1, false)));
        x = b.residualBlock("block", x, 8, 2);
        x = b.residualBlock("block2", x, 8, 1);
        Graph g = b.build(b.linear("fc", b.flatten("flatten", b.globalAvgPool("gap", x)), 4, "logits"));
        TrainableModel m = new TrainableModel(g);
        Map<String, Integer> types = new java.util.TreeMap<>();
        m.trainingGraph().nodes().forEach(n -> types.merge(n.op().type(), 1, Integer::sum));
        assertEquals(3, types.get("BatchNormalization+Relu"), types.toString());
        assertEquals(2, types.get("BatchNormalization+Add+Relu"), types.toString());
        assertEquals(1, types.get("BatchNormalization"), types.toString());
        assertFalse(types.containsKey("Add") || types.containsKey("Relu"), types.toString());
        SplittableRandom r = new SplittableRandom(12);
        Tensor in = Tensor.randomNormal(r, 1f, 5, 3, 6, 6);
        Tensor seed = Tensor.randomNormal(r, 1f, 5, 4);
        Trace fused = m.trainingPass(in, 3);
        Trace plain = g.run().record().training(true).seed(3).parameters(m.values()).outputs("logits")
                .forward(Map.of("input", in));
        assertArrayEquals(plain.output("logits").data(), fused.output("logits").data());
        Map<String, Tensor> gf = fused.gradients(Map.of("logits", seed), m.trainableNames());
        Map<String, Tensor> gp = plain.gradients(Map.of("logits", seed), m.trainableNames());
        for (String name : m.trainableNames()) {
            assertArrayEquals(gp.get(name).data(), gf.get(name).data(), name);
        }
        m.updateBuffers(fused);
        assertTrue(m.values().get("bn0.running_mean").data()[0] != 0f, "running statistics still updated");
        // every batch norm's running statistics, fused or not (six of them)
        long updated = m.values().entrySet().stream().filter(e -> e.getKey().endsWith("running_mean"))
                .filter(e -> {
                    for (float v : e.getValue().data()) {
                        if (v != 0f) {
                            return true;
                        }
                    }
                    return false;
                }).count();
        assertEquals(6, updated, "batch norms whose running mean moved");
    }

    @Test
    void aBlockEndWhoseAddBroadcastsAtOtherSizesIsNotFused() {
        // At height = width = 2 or 3 the pooled batch norm and the global pool are both [n, 2, 1, 1];
        // at 4 the Add broadcasts [n, 2, 2, 2] + [n, 2, 1, 1], which the fused node cannot take: with
        // a dynamic height and width nothing is fused
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 2, -1, -1);
        b.parameter("s", Tensor.ones(2));
        b.parameter("bb", Tensor.zeros(2));
        b.parameter("m", Tensor.zeros(2));
        b.parameter("v", Tensor.ones(2));
        b.node("pool", MaxPool.of(2, 2), List.of("x"), List.of("p"));
        b.node("gap", new GlobalAveragePool(), List.of("x"), List.of("g"));
        b.node("bn", BatchNormalization.defaults(), List.of("p", "s", "bb", "m", "v"), List.of("bnY"));
        b.node("add", new Add(), List.of("bnY", "g"), List.of("sum"));
        b.node("relu", new Relu(), List.of("sum"), List.of("r"));
        b.node("out", new GlobalAveragePool(), List.of("r"), List.of("y"));
        b.output("y");
        Graph g = b.build();
        TrainableModel m = new TrainableModel(g);
        assertTrue(m.trainingGraph().nodes().stream().noneMatch(n -> n.op().type().contains("+Add")));
        Tensor x = Tensor.randomNormal(new SplittableRandom(1), 1f, 3, 2, 4, 4);
        Tensor plain = g.run().training(true).parameters(m.values()).forward(Map.of("x", x)).output();
        assertArrayEquals(plain.data(), m.trainingPass(x, 1).output("y").data());
    }

    @Test
    void snapshotCarriesTheTrainedValuesAndMetadata() {
        Graph g = convBnNet();
        TrainableModel m = new TrainableModel(g);
        m.trainableValues().get("fc.bias").data()[0] = 42f;
        Graph s = m.snapshot(Map.of("netlens.classes", "[\"a\",\"b\",\"c\",\"d\"]"));
        assertEquals(42f, s.parameters().get("fc.bias").data()[0]);
        assertFalse(g.parameters().get("fc.bias").data()[0] == 42f);
        assertEquals("[\"a\",\"b\",\"c\",\"d\"]", s.metadata().get("netlens.classes"));
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }
}
