package dev.netlens.core.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.ops.Abs;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.AveragePool;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Clip;
import dev.netlens.core.ops.Concat;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.ConvTranspose;
import dev.netlens.core.ops.Div;
import dev.netlens.core.ops.Dropout;
import dev.netlens.core.ops.Elu;
import dev.netlens.core.ops.Erf;
import dev.netlens.core.ops.Exp;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gelu;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.GlobalMaxPool;
import dev.netlens.core.ops.HardSigmoid;
import dev.netlens.core.ops.HardSwish;
import dev.netlens.core.ops.Identity;
import dev.netlens.core.ops.LeakyRelu;
import dev.netlens.core.ops.LogSoftmax;
import dev.netlens.core.ops.Lrn;
import dev.netlens.core.ops.MatMul;
import dev.netlens.core.ops.Max;
import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.Min;
import dev.netlens.core.ops.Mul;
import dev.netlens.core.ops.Neg;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.PRelu;
import dev.netlens.core.ops.Pad;
import dev.netlens.core.ops.Pow;
import dev.netlens.core.ops.ReduceMax;
import dev.netlens.core.ops.ReduceMean;
import dev.netlens.core.ops.ReduceMin;
import dev.netlens.core.ops.ReduceSum;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.ops.Reshape;
import dev.netlens.core.ops.Resize;
import dev.netlens.core.ops.Selu;
import dev.netlens.core.ops.Sigmoid;
import dev.netlens.core.ops.Slice;
import dev.netlens.core.ops.Softmax;
import dev.netlens.core.ops.Softplus;
import dev.netlens.core.ops.Split;
import dev.netlens.core.ops.Sqrt;
import dev.netlens.core.ops.Squeeze;
import dev.netlens.core.ops.Sub;
import dev.netlens.core.ops.Tanh;
import dev.netlens.core.ops.Transpose;
import dev.netlens.core.ops.Unsqueeze;
import dev.netlens.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Models netlens exports run in ONNX Runtime (Java) and give netlens' own outputs: one small graph
 * per op and attribute variant (including every op whose opset-17 form takes inputs or is a
 * decomposition), and a residual network.
 */
class OnnxExportOrtTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /** One case: an op, its data input shapes (positive values) and parameters (by name). */
    private record Case(String name, Op op, int outputs, int[][] inputShapes, Map<Integer, Tensor> parameters) {
    }

    private static Case unary(String name, Op op, int... shape) {
        return new Case(name, op, 1, new int[][] {shape}, Map.of());
    }

    private static List<Case> cases() {
        SplittableRandom r = new SplittableRandom(7);
        List<Case> c = new ArrayList<>();
        int[] img = {2, 4, 9, 9};
        c.add(new Case("conv", Conv.builder().strides(2, 1).pads(1, 0, 2, 1).dilations(1, 2).group(2).build(), 1,
                new int[][] {img}, Map.of(1, Tensor.randomNormal(r, 0.3f, 6, 2, 3, 3), 2, Tensor.randomNormal(r, 0.3f, 6))));
        c.add(new Case("conv-transpose", ConvTranspose.builder().strides(2, 2).pads(1, 1, 1, 1).outputPadding(1, 0).build(), 1,
                new int[][] {img}, Map.of(1, Tensor.randomNormal(r, 0.3f, 4, 3, 3, 3), 2, Tensor.randomNormal(r, 0.3f, 3))));
        c.add(new Case("gemm", new Gemm(0.7f, 1.2f, true, false), 1, new int[][] {{5, 3}},
                Map.of(1, Tensor.randomNormal(r, 1f, 5, 4), 2, Tensor.randomNormal(r, 1f, 4))));
        c.add(new Case("matmul", new MatMul(), 1, new int[][] {{2, 3, 4}}, Map.of(1, Tensor.randomNormal(r, 1f, 4, 5))));
        c.add(unary("relu", new Relu(), img));
        c.add(unary("leaky-relu", new LeakyRelu(0.2f), img));
        c.add(new Case("prelu", new PRelu(), 1, new int[][] {img}, Map.of(1, Tensor.randomNormal(r, 1f, 4, 1, 1))));
        c.add(unary("elu", new Elu(0.7f), img));
        c.add(unary("selu", new Selu(), img));
        c.add(unary("sigmoid", new Sigmoid(), img));
        c.add(unary("tanh", new Tanh(), img));
        c.add(unary("clip", Clip.of(-0.5f, 0.7f), img));
        c.add(unary("clip-min", Clip.of(0f, null), img));
        c.add(unary("hard-sigmoid", new HardSigmoid(0.3f, 0.4f), img));
        c.add(unary("hard-swish", new HardSwish(), img));
        c.add(unary("softplus", new Softplus(), img));
        c.add(unary("gelu", Gelu.exact(), img));
        c.add(unary("gelu-tanh", Gelu.tanhApproximation(), img));
        c.add(unary("erf", new Erf(), img));
        c.add(unary("neg", new Neg(), img));
        c.add(unary("abs", new Abs(), img));
        c.add(unary("exp", new Exp(), img));
        c.add(unary("softmax", Softmax.along(1), img));
        c.add(unary("log-softmax", LogSoftmax.along(-1), img));
        c.add(unary("softmax-legacy", Softmax.legacyCoerced(1), img));
        c.add(unary("log-softmax-legacy", LogSoftmax.legacyCoerced(2), img));
        c.add(unary("max-pool", MaxPool.builder().kernelShape(3, 2).strides(2, 2).pads(1, 0, 1, 1).ceilMode(true).build(), img));
        c.add(unary("avg-pool", AveragePool.builder().kernelShape(3, 3).strides(2, 2).pads(1, 1, 1, 1)
                .countIncludePad(true).build(), img));
        c.add(unary("avg-pool-ceil", AveragePool.builder().kernelShape(2, 2).strides(2, 2).ceilMode(true).build(), img));
        c.add(unary("global-avg", new GlobalAveragePool(), img));
        c.add(unary("global-max", new GlobalMaxPool(), img));
        c.add(unary("lrn", Lrn.builder().size(3).alpha(1e-2f).beta(0.6f).bias(1.5f).build(), img));
        c.add(new Case("batch-norm", BatchNormalization.builder().epsilon(1e-3f).build(), 1, new int[][] {img},
                Map.of(1, Tensor.randomUniform(r, 0.5f, 1.5f, 4), 2, Tensor.randomNormal(r, 1f, 4),
                        3, Tensor.randomNormal(r, 1f, 4), 4, Tensor.randomUniform(r, 0.5f, 2f, 4))));
        c.add(new Case("add", new Add(), 1, new int[][] {img, {4, 1, 1}}, Map.of()));
        c.add(new Case("sub", new Sub(), 1, new int[][] {img, {1, 9}}, Map.of()));
        c.add(new Case("mul", new Mul(), 1, new int[][] {img, img}, Map.of()));
        c.add(new Case("div", new Div(), 1, new int[][] {img}, Map.of(1, Tensor.randomUniform(r, 1f, 2f, 9))));
        c.add(new Case("pow", new Pow(), 1, new int[][] {{3, 4}}, Map.of(1, Tensor.of(new float[] {2f}, 1))));
        c.add(new Case("max", new Max(), 1, new int[][] {img, {9}}, Map.of()));
        c.add(new Case("min", new Min(), 1, new int[][] {img, {4, 1, 1}}, Map.of()));
        c.add(unary("sqrt", new Sqrt(), 3, 4));
        c.add(new Case("concat", new Concat(1), 1, new int[][] {img, {2, 3, 9, 9}}, Map.of()));
        c.add(new Case("split", Split.of(1, 1, 3), 2, new int[][] {img}, Map.of()));
        c.add(new Case("split-equal", Split.equal(2, 3), 3, new int[][] {img}, Map.of()));
        c.add(unary("slice", new Slice(new long[] {1, -7}, new long[] {3, Long.MAX_VALUE}, new long[] {1, 3},
                new long[] {1, 2}), img));
        c.add(unary("slice-negative-step", new Slice(new long[] {-1}, new long[] {Long.MIN_VALUE}, new long[] {2},
                new long[] {-2}), img));
        c.add(unary("reshape", new Reshape(0, -1, 3), img));
        c.add(unary("flatten", new Flatten(2), img));
        c.add(unary("transpose", new Transpose(0, 2, 3, 1), img));
        c.add(unary("squeeze", new Squeeze(0), 1, 4, 3));
        c.add(unary("unsqueeze", new Unsqueeze(0, -1), 4, 3));
        c.add(unary("pad-constant", Pad.constant(0.5f, 0, 0, 1, 2, 0, 0, 2, 1), img));
        c.add(unary("pad-reflect", Pad.reflect(0, 0, 2, 1, 0, 0, 1, 2), img));
        c.add(unary("pad-edge", Pad.edge(0, 0, 1, 1, 0, 0, 1, 1), img));
        c.add(unary("reduce-sum", ReduceSum.of(new int[] {1, 3}, true, false), img));
        c.add(unary("reduce-mean", ReduceMean.of(new int[] {2, 3}, false, false), img));
        c.add(unary("reduce-max", ReduceMax.over(1), img));
        c.add(unary("reduce-min", ReduceMin.all(), img));
        c.add(unary("resize-nearest", Resize.builder().mode("nearest").scales(1, 1, 2, 2).build(), img));
        c.add(unary("resize-linear", Resize.builder().mode("linear").coordinateTransformationMode("align_corners")
                .sizes(2, 4, 5, 13).build(), img));
        c.add(unary("resize-axes", Resize.builder().mode("linear").axes(2, 3).scales(0.5f, 1.5f).build(), img));
        c.add(unary("upsample", Resize.upsample("nearest", 1, 1, 2, 3), img));
        c.add(unary("dropout", new Dropout(0.3f), img));
        c.add(unary("identity", new Identity(), img));
        return c;
    }

    private static Graph graph(Case c, SplittableRandom r, Map<String, Tensor> feeds) {
        Graph.Builder b = Graph.builder();
        List<String> inputs = new ArrayList<>();
        int total = c.inputShapes().length + c.parameters().size();
        int data = 0;
        for (int i = 0; i < total; i++) {
            if (c.parameters().containsKey(i)) {
                b.parameter("p" + i, c.parameters().get(i));
                inputs.add("p" + i);
            } else {
                int[] s = c.inputShapes()[data++];
                b.input("x" + i, s);
                Tensor t = Tensor.randomNormal(r, 1f, s);
                if (c.name().equals("sqrt")) {
                    for (int k = 0; k < t.size(); k++) {
                        t.data()[k] = Math.abs(t.data()[k]) + 0.1f;
                    }
                }
                feeds.put("x" + i, t);
                inputs.add("x" + i);
            }
        }
        List<String> outputs = new ArrayList<>();
        for (int o = 0; o < c.outputs(); o++) {
            outputs.add("y" + o);
        }
        b.node(c.name(), c.op(), inputs, outputs);
        b.output(outputs.toArray(new String[0]));
        return b.build();
    }

    static Map<String, float[]> runOrt(byte[] model, Map<String, Tensor> feeds) throws Exception {
        try (OrtSession session = ENV.createSession(model, new OrtSession.SessionOptions())) {
            Map<String, ai.onnxruntime.OnnxTensor> inputs = new HashMap<>();
            try {
                for (Map.Entry<String, Tensor> f : feeds.entrySet()) {
                    long[] shape = new long[f.getValue().rank()];
                    for (int d = 0; d < shape.length; d++) {
                        shape[d] = f.getValue().dim(d);
                    }
                    inputs.put(f.getKey(), ai.onnxruntime.OnnxTensor.createTensor(ENV,
                            FloatBuffer.wrap(f.getValue().data()), shape));
                }
                try (OrtSession.Result result = session.run(inputs)) {
                    Map<String, float[]> out = new HashMap<>();
                    for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                        ai.onnxruntime.OnnxTensor t = (ai.onnxruntime.OnnxTensor) e.getValue();
                        FloatBuffer fb = t.getFloatBuffer();
                        float[] v = new float[fb.remaining()];
                        fb.get(v);
                        out.put(e.getKey(), v);
                    }
                    return out;
                }
            } finally {
                inputs.values().forEach(ai.onnxruntime.OnnxTensor::close);
            }
        }
    }

    private static double relativeError(float[] expected, float[] actual) {
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-30);
    }

    @Test
    void everyOpExportsToSomethingOnnxRuntimeRunsIdentically() {
        List<String> failures = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(3);
        for (Case c : cases()) {
            try {
                Map<String, Tensor> feeds = new HashMap<>();
                Graph g = graph(c, r, feeds);
                Map<String, Tensor> ours = g.run().forward(feeds).outputs();
                Map<String, float[]> theirs = runOrt(OnnxWriter.toBytes(OnnxExporter.toModel(g)), feeds);
                for (Map.Entry<String, Tensor> e : ours.entrySet()) {
                    float[] t = theirs.get(e.getKey());
                    if (t == null || t.length != e.getValue().size()) {
                        failures.add(c.name() + ": output " + e.getKey() + " has " + (t == null ? "no" : t.length)
                                + " values in ONNX Runtime, netlens has " + e.getValue().size());
                        continue;
                    }
                    double err = relativeError(e.getValue().data(), t);
                    if (!(err <= 1e-5)) {
                        failures.add(c.name() + ": output " + e.getKey() + " relative error " + err);
                    }
                }
            } catch (Exception e) {
                failures.add(c.name() + ": " + e);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void exportedResidualNetworkRunsInOnnxRuntime() throws Exception {
        Graph net = ResNets.basic(new int[] {8, 16, 32}, new int[] {1, 1, 1}, 3, 10, true, 11);
        Tensor x = Tensor.randomNormal(new SplittableRandom(12), 1f, 2, 3, 40, 40);
        Tensor ours = net.run().forward(x).output();
        float[] theirs = runOrt(OnnxWriter.toBytes(OnnxExporter.toModel(net)), Map.of("input", x)).get("logits");
        assertTrue(relativeError(ours.data(), theirs) <= 1e-5, "residual network output differs from ONNX Runtime");
    }
}
