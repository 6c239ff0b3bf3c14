package dev.netlens.core.onnx;

import static dev.netlens.core.onnx.OnnxTestSupport.assertModelEquals;
import static dev.netlens.core.onnx.OnnxTestSupport.assertTensorEquals;
import static dev.netlens.core.onnx.OnnxTestSupport.richModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OnnxWriter then OnnxReader reproduces every field; the reader also accepts encodings the writer never uses. */
class OnnxRoundTripTest {

    @Test
    void richModelRoundTripsThroughBytes() {
        OnnxModel model = richModel();
        byte[] bytes = OnnxWriter.toBytes(model);
        OnnxModel back = OnnxReader.read(bytes, null, "rich.onnx");
        assertModelEquals(model, back);
        // Deterministic and stable: writing what was read gives the same bytes.
        assertArrayEquals(bytes, OnnxWriter.toBytes(model));
        assertArrayEquals(bytes, OnnxWriter.toBytes(back));
    }

    @Test
    void richModelRoundTripsThroughFile(@TempDir Path dir) {
        OnnxModel model = richModel();
        Path file = dir.resolve("rich.onnx");
        OnnxWriter.write(model, file);
        assertModelEquals(model, OnnxReader.read(file));
        assertTrue(Files.notExists(dir.resolve("rich.onnx.data")), "no external data file without a threshold");
    }

    @Test
    void everyAttributeTypeKeepsItsValue() {
        OnnxModel back = OnnxReader.read(OnnxWriter.toBytes(richModel()), null, "rich.onnx");
        OnnxNode node = back.graph().nodes().get(0);
        List<OnnxAttribute.Type> seen = new ArrayList<>();
        node.attributes().forEach(a -> seen.add(a.type()));
        for (OnnxAttribute.Type t : OnnxAttribute.Type.values()) {
            if (t != OnnxAttribute.Type.UNDEFINED) {
                assertTrue(seen.contains(t), "the rich model covers attribute type " + t);
            }
        }
        assertEquals(-0.1f, node.attribute("f").orElseThrow().f());
        assertEquals(Long.MIN_VALUE, node.attribute("i").orElseThrow().i());
        assertEquals("h\u00e9llo w=rld", node.attribute("s").orElseThrow().string());
        assertEquals("", node.attribute("s_empty").orElseThrow().string());
        assertArrayEquals(new long[] {0, -1, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE},
                node.attribute("ints").orElseThrow().ints());
        assertEquals(0, node.attribute("floats_empty").orElseThrow().floats().length);
        OnnxGraph middle = node.attribute("g").orElseThrow().g();
        OnnxGraph leaf = middle.nodes().get(0).attribute("body").orElseThrow().g();
        assertEquals("leaf", leaf.name());
        assertEquals(List.of("x", "", "w_float"), node.inputs(), "empty optional inputs are kept");
        assertEquals(List.of("y", ""), node.outputs());
    }

    @Test
    void everyTensorTypeKeepsItsBytes() {
        OnnxModel back = OnnxReader.read(OnnxWriter.toBytes(richModel()), null, "rich.onnx");
        List<OnnxDataType> seen = new ArrayList<>();
        back.graph().initializers().forEach(t -> seen.add(t.dataType()));
        for (OnnxDataType t : OnnxDataType.values()) {
            if (t.bytesPerElement() > 0 || t == OnnxDataType.STRING) {
                assertTrue(seen.contains(t), "the rich model covers tensor type " + t);
            }
        }
        OnnxTensor scalar = back.graph().initializers().stream().filter(t -> t.name().equals("scalar")).findFirst()
                .orElseThrow();
        assertEquals(0, scalar.dims().length);
        assertTrue(Float.isNaN(scalar.toFloats()[0]));
    }

    @Test
    void valueInfosKeepSymbolicUnknownAndMissingShapes() {
        OnnxModel back = OnnxReader.read(OnnxWriter.toBytes(richModel()), null, "rich.onnx");
        List<OnnxValueInfo> in = back.graph().inputs();
        assertEquals(new OnnxValueInfo.Dim(-1, "N"), in.get(0).shape().get(0));
        assertEquals(new OnnxValueInfo.Dim(224, null), in.get(0).shape().get(3));
        assertEquals(new OnnxValueInfo.Dim(-1, null), in.get(1).shape().get(0));
        assertEquals(new OnnxValueInfo.Dim(-1, ""), in.get(1).shape().get(1));
        assertNull(in.get(2).shape());
        assertEquals(OnnxDataType.UNDEFINED, in.get(2).elemType());
        assertEquals(List.of(), in.get(3).shape(), "a scalar has an empty, not a missing, shape");
    }

    @Test
    void metadataAndOpsetsKeepTheirOrder() {
        OnnxModel back = OnnxReader.read(OnnxWriter.toBytes(richModel()), null, "rich.onnx");
        assertEquals(List.of("netlens.classes", "netlens.mean", "k\u00e9y"), new ArrayList<>(back.metadata().keySet()));
        assertEquals(13, back.defaultOpsetVersion());
        assertEquals(3, back.opsets().size());
    }

    @Test
    void randomTensorsRoundTripAsStandaloneTensorProtos() {
        SplittableRandom r = new SplittableRandom(7);
        OnnxDataType[] types = java.util.Arrays.stream(OnnxDataType.values())
                .filter(t -> t.bytesPerElement() > 0).toArray(OnnxDataType[]::new);
        for (int k = 0; k < 300; k++) {
            int rank = r.nextInt(5);
            long[] dims = new long[rank];
            for (int d = 0; d < rank; d++) {
                dims[d] = r.nextInt(5);
            }
            OnnxDataType type = types[r.nextInt(types.length)];
            OnnxTensor t = OnnxTestSupport.randomTensor(r, "t" + k, type, dims);
            byte[] bytes = OnnxWriter.toBytes(t);
            assertTensorEquals(t, OnnxReader.readTensor(bytes), "tensor " + k);
        }
    }

    @Test
    void absentStringsReadBackAsEmptyStrings() {
        OnnxGraph g = new OnnxGraph(null, List.of(new OnnxNode(null, "Relu", null, List.of("x"), List.of("y"),
                List.of(), null)), List.of(), List.of(), List.of(), List.of(), null);
        OnnxModel m = new OnnxModel(8, List.of(new OnnxOpset(null, 13)), null, null, null, 0, null, g, Map.of());
        OnnxModel back = OnnxReader.read(OnnxWriter.toBytes(m), null, "m.onnx");
        assertEquals("", back.producerName());
        assertEquals("", back.graph().name());
        assertEquals("", back.graph().nodes().get(0).name());
        assertEquals("", back.opsets().get(0).domain());
        assertEquals("Relu", back.graph().nodes().get(0).opType());
    }

    @Test
    void writerRejectsWhatOnnxCannotHold() {
        OnnxModel noGraph = new OnnxModel(8, List.of(), "", "", "", 0, "", null, Map.of());
        assertThrows(IllegalArgumentException.class, () -> OnnxWriter.toBytes(noGraph));
        OnnxAttribute undefined = new OnnxAttribute("u", OnnxAttribute.Type.UNDEFINED, 0, 0, null, null, null, null,
                null, null, null, null);
        OnnxGraph g = new OnnxGraph("g", List.of(new OnnxNode("n", "X", "", List.of(), List.of(), List.of(undefined),
                "")), List.of(), List.of(), List.of(), List.of(), "");
        OnnxModel m = new OnnxModel(8, List.of(new OnnxOpset("", 13)), "", "", "", 0, "", g, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxWriter.toBytes(m));
        assertTrue(e.getMessage().contains("'u'"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> OnnxWriter.write(richModel(), Path.of("unused.onnx"), -1));
    }

    // ---- encodings other writers use ------------------------------------------------------------

    @Test
    void packedAndUnpackedRepeatedFieldsAreBothAccepted() {
        ProtoBytes packed = new ProtoBytes().packedVarints(1, 2, 2).varint(2, OnnxDataType.FLOAT.code())
                .string(8, "p").packedFloats(4, 1f, 2f, 3f, 4f);
        ProtoBytes unpacked = new ProtoBytes().varint(1, 2).varint(1, 2).varint(2, OnnxDataType.FLOAT.code())
                .string(8, "p").fixed32(4, 1f).fixed32(4, 2f).fixed32(4, 3f).fixed32(4, 4f);
        OnnxTensor a = OnnxReader.readTensor(packed.toByteArray());
        OnnxTensor b = OnnxReader.readTensor(unpacked.toByteArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, a.toFloats());
        assertTensorEquals(a, b, "packed vs unpacked");

        ProtoBytes attr = new ProtoBytes().string(1, "pads").varint(20, OnnxAttribute.Type.INTS.code())
                .packedVarints(8, 1, -1, 1L << 40);
        ProtoBytes floats = new ProtoBytes().string(1, "scales").varint(20, OnnxAttribute.Type.FLOATS.code())
                .packedFloats(7, 0.5f, 2f);
        ProtoBytes node = new ProtoBytes().string(4, "Pad").message(5, attr).message(5, floats);
        OnnxModel m = OnnxReader.read(ProtoBytes.model(new ProtoBytes().message(1, node)).toByteArray(), null, "p");
        assertArrayEquals(new long[] {1, -1, 1L << 40}, m.graph().nodes().get(0).attributes().get(0).ints());
        assertArrayEquals(new float[] {0.5f, 2f}, m.graph().nodes().get(0).attributes().get(1).floats());
    }

    @Test
    void typedDataFieldsOfEveryKindConvertToTheRawLayout() {
        // int32_data holds float16 bit patterns, int8 and bool values (ONNX spec); uint64_data holds uint32.
        OnnxTensor half = OnnxReader.readTensor(new ProtoBytes().varint(1, 2)
                .varint(2, OnnxDataType.FLOAT16.code()).varint(5, 0x3c00).varint(5, 0xc000).toByteArray());
        assertArrayEquals(new float[] {1f, -2f}, half.toFloats());
        OnnxTensor int8 = OnnxReader.readTensor(new ProtoBytes().varint(1, 3).varint(2, OnnxDataType.INT8.code())
                .packedVarints(5, -128, 127, -1).toByteArray());
        assertArrayEquals(new long[] {-128, 127, -1}, int8.toLongs());
        OnnxTensor u32 = OnnxReader.readTensor(new ProtoBytes().varint(1, 2).varint(2, OnnxDataType.UINT32.code())
                .varint(11, 4294967295L).varint(11, 7).toByteArray());
        assertArrayEquals(new long[] {4294967295L, 7}, u32.toLongs());
        OnnxTensor dbl = OnnxReader.readTensor(new ProtoBytes().varint(1, 2).varint(2, OnnxDataType.DOUBLE.code())
                .fixed64(10, 0.1).fixed64(10, -3).toByteArray());
        assertEquals(0.1, dbl.raw().getDouble(0));
        OnnxTensor c64 = OnnxReader.readTensor(new ProtoBytes().varint(1, 1)
                .varint(2, OnnxDataType.COMPLEX64.code()).packedFloats(4, 1f, -1f).toByteArray());
        assertEquals(8, c64.raw().remaining());
        OnnxTensor i32 = OnnxReader.readTensor(new ProtoBytes().varint(2, OnnxDataType.INT32.code())
                .varint(5, -5).toByteArray());
        assertArrayEquals(new long[] {-5}, i32.toLongs(), "a tensor without dims is a scalar");
    }

    @Test
    void attributesWithoutTypeFieldGetTheirTypeFromTheValue() {
        ProtoBytes node = new ProtoBytes().string(4, "Old")
                .message(5, new ProtoBytes().string(1, "alpha").fixed32(2, 0.5f))
                .message(5, new ProtoBytes().string(1, "axis").varint(3, -1))
                .message(5, new ProtoBytes().string(1, "mode").string(4, "constant"))
                .message(5, new ProtoBytes().string(1, "perm").varint(8, 1).varint(8, 0));
        OnnxModel m = OnnxReader.read(ProtoBytes.model(new ProtoBytes().message(1, node)).toByteArray(), null, "o");
        List<OnnxAttribute> a = m.graph().nodes().get(0).attributes();
        assertEquals(OnnxAttribute.Type.FLOAT, a.get(0).type());
        assertEquals(OnnxAttribute.Type.INT, a.get(1).type());
        assertEquals(OnnxAttribute.Type.STRING, a.get(2).type());
        assertEquals("constant", a.get(2).string());
        assertEquals(OnnxAttribute.Type.INTS, a.get(3).type());
    }

    @Test
    void unknownFieldsAreSkipped() {
        ProtoBytes tensor = ProtoBytes.floatTensor("w", 1).varint(99, 5).fixed32(4, 2f).bytes(1000, new byte[3])
                .fixed64(77, 1.0);
        ProtoBytes graph = ProtoBytes.graphWithInitializer(tensor).message(14, new ProtoBytes().string(1, "qa"));
        byte[] bytes = new ProtoBytes().varint(1, 8).message(8, new ProtoBytes().varint(2, 13))
                .message(20, new ProtoBytes().string(1, "training")).message(25, new ProtoBytes().string(1, "fn"))
                .message(7, graph).toByteArray();
        OnnxModel m = OnnxReader.read(bytes, null, "unknown.onnx");
        assertArrayEquals(new float[] {2f}, m.graph().initializers().get(0).toFloats());
    }

    @Test
    void rawDataSharesTheInputArray() {
        byte[] bytes = OnnxWriter.toBytes(richModel());
        OnnxModel m = OnnxReader.read(bytes, null, "rich.onnx");
        OnnxTensor t = m.graph().initializers().get(0);
        ByteBuffer raw = t.raw();
        byte before = raw.get(0);
        // find the tensor's bytes in the array and change them: the tensor sees the change (no copy)
        int at = indexOf(bytes, t.raw());
        assertTrue(at >= 0);
        bytes[at] = (byte) ~before;
        assertEquals((byte) ~before, t.raw().get(0));
    }

    private static int indexOf(byte[] hay, ByteBuffer needle) {
        byte[] n = new byte[needle.remaining()];
        needle.duplicate().get(n);
        outer:
        for (int i = 0; i + n.length <= hay.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (hay[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
