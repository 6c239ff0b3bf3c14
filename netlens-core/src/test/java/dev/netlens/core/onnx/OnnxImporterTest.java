package dev.netlens.core.onnx;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Import semantics on models built in code (no files): folding, dynamic batch, opset variants, errors. */
class OnnxImporterTest {

    private static OnnxValueInfo input(String name, long... dims) {
        List<OnnxValueInfo.Dim> d = new ArrayList<>();
        for (long v : dims) {
            d.add(v < 0 ? new OnnxValueInfo.Dim(-1, "N") : new OnnxValueInfo.Dim(v, ""));
        }
        return new OnnxValueInfo(name, OnnxDataType.FLOAT, d, "");
    }

    private static OnnxValueInfo output(String name) {
        return new OnnxValueInfo(name, OnnxDataType.FLOAT, null, "");
    }

    private static OnnxNode node(String type, List<String> in, List<String> out, OnnxAttribute... attrs) {
        return new OnnxNode(out.get(0) + "_node", type, "", in, out, List.of(attrs), "");
    }

    private static OnnxModel model(long opset, List<OnnxNode> nodes, List<OnnxTensor> inits, List<OnnxValueInfo> inputs,
                                   List<OnnxValueInfo> outputs) {
        return new OnnxModel(8, List.of(new OnnxOpset("", opset)), "test", "1", "", 0, "",
                new OnnxGraph("g", nodes, inits, inputs, outputs, List.of(), ""), Map.of("netlens.mean", "0.5"));
    }

    private static OnnxTensor floats(String name, SplittableRandom r, long... dims) {
        int n = (int) OnnxTensor.elementCount(dims, name);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return OnnxTensor.ofFloats(name, dims, v);
    }

    /** conv → flatten-by-shape-subgraph (x.view(x.size(0), -1)) → gemm, with a symbolic batch. */
    private static OnnxModel viewFlattenModel(long opset) {
        SplittableRandom r = new SplittableRandom(1);
        List<OnnxNode> nodes = new ArrayList<>();
        nodes.add(node("Conv", List.of("x", "w", "b"), List.of("c"), OnnxAttribute.ofInts("pads", 1, 1, 1, 1)));
        nodes.add(node("Relu", List.of("c"), List.of("r")));
        nodes.add(node("Shape", List.of("r"), List.of("s")));
        nodes.add(node("Constant", List.of(), List.of("zero"),
                OnnxAttribute.ofTensor("value", OnnxTensor.ofLongs("", new long[0], new long[] {0}))));
        nodes.add(node("Gather", List.of("s", "zero"), List.of("n"), OnnxAttribute.ofInt("axis", 0)));
        if (opset >= 13) {
            nodes.add(node("Constant", List.of(), List.of("ax"),
                    OnnxAttribute.ofTensor("value", OnnxTensor.ofLongs("", new long[] {1}, new long[] {0}))));
            nodes.add(node("Unsqueeze", List.of("n", "ax"), List.of("n1")));
        } else {
            nodes.add(node("Unsqueeze", List.of("n"), List.of("n1"), OnnxAttribute.ofInts("axes", 0)));
        }
        nodes.add(node("Constant", List.of(), List.of("minus1"),
                OnnxAttribute.ofTensor("value", OnnxTensor.ofLongs("", new long[] {1}, new long[] {-1}))));
        nodes.add(node("Concat", List.of("n1", "minus1"), List.of("target"), OnnxAttribute.ofInt("axis", 0)));
        nodes.add(node("Reshape", List.of("r", "target"), List.of("flat")));
        nodes.add(node("Gemm", List.of("flat", "fw", "fb"), List.of("y"), OnnxAttribute.ofInt("transB", 1)));
        List<OnnxTensor> inits = List.of(floats("w", r, 4, 2, 3, 3), floats("b", r, 4), floats("fw", r, 3, 4 * 5 * 5),
                floats("fb", r, 3));
        return model(opset, nodes, inits, List.of(input("x", -1, 2, 5, 5)), List.of(output("y")));
    }

    /** The same network computed without any shape subgraph, for reference. */
    private static Tensor reference(OnnxModel m, Tensor x) {
        List<OnnxNode> nodes = List.of(
                node("Conv", List.of("x", "w", "b"), List.of("c"), OnnxAttribute.ofInts("pads", 1, 1, 1, 1)),
                node("Relu", List.of("c"), List.of("r")),
                node("Flatten", List.of("r"), List.of("flat")),
                node("Gemm", List.of("flat", "fw", "fb"), List.of("y"), OnnxAttribute.ofInt("transB", 1)));
        OnnxModel plain = model(13, nodes, m.graph().initializers(), m.graph().inputs(), m.graph().outputs());
        return OnnxImporter.importModel(plain, "reference").run().forward(x).output();
    }

    @Test
    void batchDependentReshapeTargetsKeepWorkingForEveryBatchSize() {
        for (long opset : new long[] {11, 13, 17}) {
            OnnxModel m = viewFlattenModel(opset);
            Graph g = OnnxImporter.importModel(m, "view-flatten op" + opset);
            assertArrayEquals(new int[] {-1, 2, 5, 5}, g.inputShape("x"));
            // The shape subgraph is folded away: no Shape/Gather/Concat nodes remain.
            assertEquals(List.of("Conv", "Relu", "Reshape", "Gemm"),
                    g.nodes().stream().map(n -> n.op().type()).toList());
            assertArrayEquals(new int[] {0, -1}, (int[]) g.node("flat_node").op().attributes().get("shape"));
            for (int batch : new int[] {1, 3, 7}) {
                Tensor x = Tensor.randomNormal(new SplittableRandom(batch), 1f, batch, 2, 5, 5);
                Tensor y = g.run().forward(x).output();
                assertArrayEquals(new int[] {batch, 3}, y.shape());
                assertBitIdentical(reference(m, x), y, "opset " + opset + " batch " + batch);
            }
        }
    }

    /**
     * conv → channel shuffle as PyTorch exports it at batch 1 (Reshape [1, 2, 2, 3, 3], Transpose,
     * Reshape [1, 4, 3, 3]) → Reshape [1, -1] → Gemm, with a static input [1, 2, 3, 3].
     */
    private static OnnxModel shuffleExportedAtBatchOne() {
        SplittableRandom r = new SplittableRandom(3);
        List<OnnxNode> nodes = new ArrayList<>();
        nodes.add(node("Conv", List.of("x", "w", "b"), List.of("c"), OnnxAttribute.ofInts("pads", 1, 1, 1, 1)));
        nodes.add(node("Reshape", List.of("c", "t5"), List.of("g")));
        nodes.add(node("Transpose", List.of("g"), List.of("gt"), OnnxAttribute.ofInts("perm", 0, 2, 1, 3, 4)));
        nodes.add(node("Reshape", List.of("gt", "t4"), List.of("s")));
        nodes.add(node("Reshape", List.of("s", "t2"), List.of("flat")));
        nodes.add(node("Gemm", List.of("flat", "fw", "fb"), List.of("y"), OnnxAttribute.ofInt("transB", 1)));
        List<OnnxTensor> inits = List.of(floats("w", r, 4, 2, 3, 3), floats("b", r, 4), floats("fw", r, 3, 36),
                floats("fb", r, 3), OnnxTensor.ofLongs("t5", new long[] {5}, new long[] {1, 2, 2, 3, 3}),
                OnnxTensor.ofLongs("t4", new long[] {4}, new long[] {1, 4, 3, 3}),
                OnnxTensor.ofLongs("t2", new long[] {2}, new long[] {1, -1}));
        return model(13, nodes, inits, List.of(input("x", 1, 2, 3, 3)), List.of(output("y")));
    }

    @Test
    void aModelExportedAtBatchOneRunsRowByRowAtLargerBatches() {
        // (the explain layer frees the batch extent of such a model the same way: ExplainedModel)
        Graph g = OnnxImporter.importModel(shuffleExportedAtBatchOne(), "shuffle at batch 1")
                .withInputShape("x", -1, 2, 3, 3);
        assertArrayEquals(new int[] {0, 2, 2, 3, 3}, (int[]) g.node("g_node").op().attributes().get("shape"));
        assertArrayEquals(new int[] {0, 4, 3, 3}, (int[]) g.node("s_node").op().attributes().get("shape"));
        assertArrayEquals(new int[] {0, -1}, (int[]) g.node("flat_node").op().attributes().get("shape"));
        Tensor x = Tensor.randomNormal(new SplittableRandom(9), 1f, 3, 2, 3, 3);
        Tensor y = g.run().forward(x).output();
        assertArrayEquals(new int[] {3, 3}, y.shape());
        for (int row = 0; row < 3; row++) {
            Tensor one = Tensor.of(java.util.Arrays.copyOfRange(x.data(), row * 18, row * 18 + 18), 1, 2, 3, 3);
            Tensor alone = g.run().forward(one).output();
            assertBitIdentical(alone, Tensor.of(java.util.Arrays.copyOfRange(y.data(), row * 3, row * 3 + 3), 1, 3),
                    "row " + row + " at batch 3 against the row alone");
        }
        // a target [1, …] of a tensor whose first extent is not 1 (channels moved first) stays literal
        SplittableRandom r = new SplittableRandom(4);
        OnnxModel channelsFirst = model(13, List.of(
                        node("Conv", List.of("x", "w", "b"), List.of("c"), OnnxAttribute.ofInts("pads", 1, 1, 1, 1)),
                        node("Transpose", List.of("c"), List.of("ct"), OnnxAttribute.ofInts("perm", 1, 0, 2, 3)),
                        node("Reshape", List.of("ct", "t"), List.of("y"))),
                List.of(floats("w", r, 4, 2, 3, 3), floats("b", r, 4),
                        OnnxTensor.ofLongs("t", new long[] {2}, new long[] {1, 36})),
                List.of(input("x", 1, 2, 3, 3)), List.of(output("y")));
        Graph cf = OnnxImporter.importModel(channelsFirst, "channels first");
        assertArrayEquals(new int[] {1, 36}, (int[]) cf.node("y_node").op().attributes().get("shape"));
    }

    @Test
    void opsetVariantsOfAttributeInputsImportAlike() {
        // Clip: attributes before opset 11, inputs from 11 on.
        OnnxModel old = model(9, List.of(node("Clip", List.of("x"), List.of("y"), OnnxAttribute.ofFloat("min", 0f),
                OnnxAttribute.ofFloat("max", 6f))), List.of(), List.of(input("x", 2, 3)), List.of(output("y")));
        OnnxModel recent = model(13, List.of(node("Clip", List.of("x", "lo", "hi"), List.of("y"))),
                List.of(OnnxTensor.ofFloats("lo", new long[0], new float[] {0f}),
                        OnnxTensor.ofFloats("hi", new long[0], new float[] {6f})),
                List.of(input("x", 2, 3)), List.of(output("y")));
        Tensor x = Tensor.of(new float[] {-1f, 0.5f, 3f, 7f, 6f, -0.1f}, 2, 3);
        Tensor a = OnnxImporter.importModel(old, "old").run().forward(x).output();
        Tensor b = OnnxImporter.importModel(recent, "recent").run().forward(x).output();
        assertBitIdentical(a, b, "Clip 9 vs 13");
        assertArrayEquals(new float[] {0f, 0.5f, 3f, 6f, 6f, 0f}, b.data());
        // Softmax: opset 11 coerces to 2-D from axis 1, opset 13 works along one axis.
        OnnxModel s11 = model(11, List.of(node("Softmax", List.of("x"), List.of("y"))), List.of(),
                List.of(input("x", 2, 2, 3)), List.of(output("y")));
        OnnxModel s13 = model(13, List.of(node("Softmax", List.of("x"), List.of("y"), OnnxAttribute.ofInt("axis", 1))),
                List.of(), List.of(input("x", 2, 2, 3)), List.of(output("y")));
        Tensor x3 = Tensor.randomNormal(new SplittableRandom(2), 1f, 2, 2, 3);
        Tensor y11 = OnnxImporter.importModel(s11, "s11").run().forward(x3).output();
        Tensor y13 = OnnxImporter.importModel(s13, "s13").run().forward(x3).output();
        double sum11 = 0;
        double sum13 = 0;
        for (int i = 0; i < 6; i++) {
            sum11 += y11.data()[i];
        }
        for (int i = 0; i < 6; i += 3) {
            sum13 += y13.data()[i];
        }
        assertEquals(1.0, sum11, 1e-5, "opset 11: one softmax over the 6 trailing elements of each item");
        assertEquals(1.0, sum13, 1e-5, "opset 13: softmax along axis 1 (2 elements)");
    }

    @Test
    void exportThenImportGivesTheSameNetwork() {
        Graph net = ResNets.basic(new int[] {8, 16}, new int[] {1, 1}, 3, 5, false, 3);
        OnnxModel m = OnnxExporter.toModel(net);
        assertEquals(17, m.defaultOpsetVersion());
        Graph back = OnnxImporter.importModel(m, "round trip");
        Tensor x = Tensor.randomNormal(new SplittableRandom(4), 1f, 2, 3, 12, 12);
        assertBitIdentical(net.run().forward(x).output(), back.run().forward(x).output(), "round trip output");
        assertEquals(net.nodes().size(), back.nodes().size());
        assertTrue(back.parameters().containsKey("layer1.0.conv1.weight"));
    }

    @Test
    void unsupportedAndBrokenModelsAreReportedClearly() {
        OnnxModel unknown = model(13, List.of(node("NonMaxSuppression", List.of("x"), List.of("y"))), List.of(),
                List.of(input("x", 2, 3)), List.of(output("y")));
        String m = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(unknown, "m.onnx")).getMessage();
        assertTrue(m.contains("m.onnx") && m.contains("NonMaxSuppression") && m.contains("opset 13")
                && m.contains("Conv"), m);
        OnnxModel missing = model(13, List.of(node("Add", List.of("x", "nowhere"), List.of("y"))), List.of(),
                List.of(input("x", 2, 3)), List.of(output("y")));
        m = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(missing, "m.onnx")).getMessage();
        assertTrue(m.contains("'nowhere'"), m);
        OnnxModel cycle = model(13, List.of(node("Add", List.of("x", "b"), List.of("a")),
                node("Relu", List.of("a"), List.of("b"))), List.of(), List.of(input("x", 2)), List.of(output("b")));
        m = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(cycle, "m.onnx")).getMessage();
        assertTrue(m.contains("cycle"), m);
        OnnxModel tooNew = model(25, List.of(node("Relu", List.of("x"), List.of("y"))), List.of(),
                List.of(input("x", 2)), List.of(output("y")));
        m = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(tooNew, "m.onnx")).getMessage();
        assertTrue(m.contains("opset 25") && m.contains("7 to 21"), m);
        OnnxModel badShapes = model(13, List.of(node("Conv", List.of("x", "w"), List.of("y"))),
                List.of(floats("w", new SplittableRandom(1), 4, 5, 3, 3)), List.of(input("x", 1, 3, 8, 8)),
                List.of(output("y")));
        m = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(badShapes, "m.onnx")).getMessage();
        assertTrue(m.contains("Conv") && m.contains("3 channels"), m);
        assertFalse(OnnxOps.supported().isEmpty());
    }

    @Test
    void metadataIsKept() {
        Graph g = OnnxImporter.importModel(viewFlattenModel(13), "meta");
        assertEquals("0.5", g.metadata().get("netlens.mean"));
        assertEquals("13", g.metadata().get("onnx.opset"));
    }

    @Test
    void constantSubgraphsOnFloatsAreFolded() {
        // y = x · relu(transpose(transpose(w))): Transpose is folded by the constant folder, Relu by
        // running the engine's own op on the constant.
        SplittableRandom r = new SplittableRandom(5);
        OnnxTensor w = floats("w", r, 3, 2);
        OnnxModel m = model(13, List.of(node("Transpose", List.of("w"), List.of("wt")),
                node("Transpose", List.of("wt"), List.of("w2")), node("Relu", List.of("w2"), List.of("w3")),
                node("MatMul", List.of("x", "w3"), List.of("y"))),
                List.of(w), List.of(input("x", 4, 3)), List.of(output("y")));
        Graph g = OnnxImporter.importModel(m, "fold");
        assertEquals(List.of("MatMul"), g.nodes().stream().map(n -> n.op().type()).toList());
        Tensor x = Tensor.randomNormal(r, 1f, 4, 3);
        Tensor expected = Tensor.zeros(4, 2);
        float[] wv = w.toFloats();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                float s = 0;
                for (int k = 0; k < 3; k++) {
                    s += x.get(i, k) * Math.max(0f, wv[k * 2 + j]);
                }
                expected.set(s, i, j);
            }
        }
        assertClose(expected, g.run().forward(x).output(), 1e-6, 1e-6, "folded transpose");
    }
}
