package dev.netlens.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input never escapes as anything but an {@link OnnxFormatException} with one clear
 * message naming the source: truncations at every length, random corruption, other file formats,
 * absurd sizes, deep nesting.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OnnxBadInputTest {

    /** A small but complete model: nodes with attributes, initializers, value infos, a subgraph. */
    private static byte[] smallModel() {
        OnnxModel rich = OnnxTestSupport.richModel();
        OnnxGraph g = rich.graph();
        OnnxGraph small = new OnnxGraph(g.name(), g.nodes(), g.initializers().subList(0, 3), g.inputs(), g.outputs(),
                g.valueInfo(), g.docString());
        return OnnxWriter.toBytes(new OnnxModel(rich.irVersion(), rich.opsets(), rich.producerName(),
                rich.producerVersion(), rich.domain(), rich.modelVersion(), rich.docString(), small, rich.metadata()));
    }

    /** Reads and returns null, or returns the unexpected throwable. */
    private static Throwable readModel(byte[] bytes) {
        try {
            OnnxReader.read(bytes, null, "bad.onnx");
            return null;
        } catch (OnnxFormatException e) {
            assertTrue(e.getMessage().startsWith("bad.onnx: "), e.getMessage());
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static OnnxFormatException rejects(byte[] bytes) {
        return assertThrows(OnnxFormatException.class, () -> OnnxReader.read(bytes, null, "bad.onnx"));
    }

    private static void assertMessage(OnnxFormatException e, String... parts) {
        String m = e.getMessage();
        assertTrue(m.startsWith("bad.onnx: ") || m.startsWith("<tensor bytes>: "), m);
        for (String p : parts) {
            assertTrue(m.contains(p), "message should contain '" + p + "': " + m);
        }
        assertEquals(-1, m.indexOf('\n'), "one line: " + m);
    }

    @Test
    void everyTruncationIsReported() {
        byte[] full = smallModel();
        OnnxReader.read(full, null, "bad.onnx");
        assertTrue(full.length > 1000, "the model is not trivially small: " + full.length);
        for (int len = 0; len < full.length; len++) {
            byte[] prefix = Arrays.copyOf(full, len);
            try {
                OnnxReader.read(prefix, null, "bad.onnx");
                fail("a prefix of " + len + " of " + full.length + " bytes was accepted");
            } catch (OnnxFormatException e) {
                assertTrue(e.getMessage().startsWith("bad.onnx: "), e.getMessage());
            } catch (Throwable t) {
                throw new AssertionError("prefix of " + len + " bytes: unexpected " + t, t);
            }
        }
        OnnxFormatException e = rejects(Arrays.copyOf(full, full.length - 1));
        assertMessage(e, "truncated");
    }

    @Test
    void everyTruncationOfATensorFileIsReported() {
        OnnxTensor t = OnnxTensor.ofFloats("x", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        byte[] full = OnnxWriter.toBytes(t);
        for (int len = 0; len < full.length; len++) {
            byte[] prefix = Arrays.copyOf(full, len);
            assertThrows(OnnxFormatException.class, () -> OnnxReader.readTensor(prefix), "prefix " + len);
        }
    }

    @Test
    void randomCorruptionOnlyEverGivesFormatExceptions() {
        byte[] full = smallModel();
        SplittableRandom r = new SplittableRandom(20240607);
        int rejected = 0;
        for (int k = 0; k < 4000; k++) {
            byte[] b = full.clone();
            int kind = r.nextInt(4);
            String what;
            if (kind == 0) {
                int flips = 1 + r.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                what = flips + " bit flips";
            } else if (kind == 1) {
                int at = r.nextInt(b.length);
                b[at] = (byte) r.nextInt(256);
                what = "byte " + at + " replaced";
            } else if (kind == 2) {
                int at = r.nextInt(b.length);
                int n = 1 + r.nextInt(16);
                b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + n), b.length));
                what = n + " bytes deleted at " + at;
            } else {
                int at = r.nextInt(b.length);
                byte[] junk = new byte[1 + r.nextInt(8)];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) (r.nextBoolean() ? 0xff : r.nextInt(256));
                }
                b = concat(concat(Arrays.copyOf(b, at), junk), Arrays.copyOfRange(b, at, b.length));
                what = junk.length + " bytes inserted at " + at;
            }
            Throwable t = readModel(b);
            if (t != null) {
                throw new AssertionError("mutation " + k + " (" + what + "): unexpected " + t, t);
            }
            try {
                OnnxReader.read(b, null, "bad.onnx");
            } catch (OnnxFormatException e) {
                rejected++;
            }
        }
        assertTrue(rejected > 1000, "most corruptions are detected, " + rejected + " of 4000");
    }

    @Test
    void otherFileFormatsAreNotOnnxModels(@TempDir Path dir) throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0};
        assertMessage(rejects(png), "not an ONNX model", "PNG");
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F'};
        assertMessage(rejects(jpeg), "not an ONNX model", "JPEG");
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        assertMessage(rejects(zip), "not an ONNX model", "ZIP");
        assertMessage(rejects(new byte[0]), "empty", "not an ONNX model");
        for (String text : List.of("hello world\n", "ir_version: 8\ngraph {\n  node {\n", "{\"model\": 1}",
                ":graph starts like a graph field", "(((((((((", "\n\n\n\n")) {
            assertMessage(rejects(text.getBytes(StandardCharsets.UTF_8)), "not an ONNX model");
        }
        byte[] npy = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0};
        assertMessage(rejects(npy), "not an ONNX model", "NumPy");
        // A tensor file is not a model, and a model is not a tensor file.
        byte[] tensor = OnnxWriter.toBytes(OnnxTensor.ofFloats("x", new long[] {2}, new float[] {1, 2}));
        assertMessage(rejects(tensor));
        assertThrows(OnnxFormatException.class, () -> OnnxReader.readTensor(smallModel()));
        // Files: the message starts with the path.
        Path txt = dir.resolve("notes.txt");
        Files.writeString(txt, "just some text, not a model\n");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(txt));
        assertTrue(e.getMessage().startsWith(txt + ": not an ONNX model"), e.getMessage());
        Path missing = dir.resolve("missing.onnx");
        e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(missing));
        assertEquals(missing + ": file not found", e.getMessage());
        e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void absurdDimsAreRejectedBeforeAllocating() {
        for (long[] dims : List.of(new long[] {1L << 40}, new long[] {1L << 20, 1L << 20}, new long[] {3, 1L << 62},
                new long[] {Long.MAX_VALUE, 2})) {
            ProtoBytes t = ProtoBytes.floatTensor("huge", dims).bytes(9, new byte[8]);
            OnnxFormatException e = rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(t)).toByteArray());
            assertMessage(e, "'huge'", "2^31-1 elements");
        }
        ProtoBytes negative = ProtoBytes.floatTensor("neg", 2, -3).bytes(9, new byte[8]);
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(negative)).toByteArray()),
                "'neg'", "negative dimension");
        // 2^31-1 elements would be fine, but 8 GB of doubles is not held in one tensor
        ProtoBytes big = new ProtoBytes().varint(1, Integer.MAX_VALUE).varint(2, OnnxDataType.DOUBLE.code())
                .string(8, "big");
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(big)).toByteArray()),
                "'big'", "at most 2 GB");
    }

    @Test
    void dataThatDoesNotMatchTheShapeIsRejected() {
        ProtoBytes shortRaw = ProtoBytes.floatTensor("w", 2, 3).bytes(9, new byte[20]);
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(shortRaw)).toByteArray()),
                "'w'", "needs 24 bytes of raw_data, found 20", "initializer #0");
        ProtoBytes fewFloats = ProtoBytes.floatTensor("w", 4).fixed32(4, 1f);
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(fewFloats)).toByteArray()),
                "needs 4 values in float_data", "found 1");
        ProtoBytes wrongField = new ProtoBytes().varint(1, 1).varint(2, OnnxDataType.INT64.code()).string(8, "s")
                .fixed32(4, 1f);
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(wrongField)).toByteArray()),
                "stores its values in float_data", "int64_data");
        ProtoBytes noData = ProtoBytes.floatTensor("nothing", 3);
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(noData)).toByteArray()),
                "needs 3 values");
        ProtoBytes strings = new ProtoBytes().varint(1, 2).varint(2, OnnxDataType.STRING.code()).string(6, "a");
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(strings)).toByteArray()),
                "needs 2 strings");
        ProtoBytes int4 = new ProtoBytes().varint(1, 2).varint(2, OnnxDataType.INT4.code()).bytes(9, new byte[1]);
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(int4)).toByteArray()),
                "INT4", "not support");
        ProtoBytes unknownType = new ProtoBytes().varint(1, 1).varint(2, 99).bytes(9, new byte[1]);
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(unknownType)).toByteArray()),
                "unknown data type code 99");
        ProtoBytes undefined = new ProtoBytes().varint(1, 1).bytes(9, new byte[1]);
        assertMessage(rejects(ProtoBytes.model(ProtoBytes.graphWithInitializer(undefined)).toByteArray()),
                "no data type");
    }

    @Test
    void lengthsBeyondTheFileAreTruncation() {
        ProtoBytes liar = ProtoBytes.floatTensor("w", 1 << 20).lyingLength(9, 4L << 20, new byte[16]);
        byte[] bytes = ProtoBytes.model(ProtoBytes.graphWithInitializer(liar)).toByteArray();
        assertMessage(rejects(bytes), "truncated", "'w'");
        ProtoBytes hugeLength = new ProtoBytes().varint(1, 8).lyingLength(7, Long.MAX_VALUE, new byte[4]);
        assertMessage(rejects(hugeLength.toByteArray()));
        ProtoBytes negativeLength = new ProtoBytes().varint(1, 8).lyingLength(7, -1, new byte[4]);
        assertMessage(rejects(negativeLength.toByteArray()), "negative length");
        ProtoBytes graphTooLong = new ProtoBytes().varint(1, 8).lyingLength(7, 1000, new byte[10]);
        assertMessage(rejects(graphTooLong.toByteArray()), "claims 1000 bytes but only 10 remain in the file");
    }

    @Test
    void wrongWireTypesAndGroupsAreRejected() {
        byte[] wrongWire = new ProtoBytes().varint(1, 8).varint(2, 5).toByteArray(); // producer_name as varint
        assertMessage(rejects(wrongWire), "producer_name", "wire type 0");
        byte[] group = new ProtoBytes().varint(1, 8).tag(50, 3).toByteArray();
        assertMessage(rejects(group), "group");
        byte[] invalid = new ProtoBytes().varint(1, 8).tag(50, 7).toByteArray();
        assertMessage(rejects(invalid), "invalid protobuf wire type 7");
        byte[] badVarint = new ProtoBytes().varint(1, 8).raw((byte) 0x28, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff).toByteArray();
        assertMessage(rejects(badVarint)); // protobuf-java reads 10 bytes of it; the rest is garbage
        byte[] fieldZero = new ProtoBytes().varint(1, 8).raw((byte) 0x00, (byte) 0x01).toByteArray();
        assertMessage(rejects(fieldZero), "tag");
    }

    @Test
    void deepNestingIsLimitedWithoutStackOverflow() {
        for (int depth : new int[] {OnnxReader.MAX_GRAPH_DEPTH, OnnxReader.MAX_GRAPH_DEPTH + 1, 5000}) {
            ProtoBytes g = new ProtoBytes().string(2, "leaf");
            for (int i = 1; i < depth; i++) {
                ProtoBytes attr = new ProtoBytes().string(1, "body").varint(20, OnnxAttribute.Type.GRAPH.code())
                        .message(6, g);
                g = new ProtoBytes().message(1, new ProtoBytes().string(4, "Loop").message(5, attr));
            }
            byte[] bytes = ProtoBytes.model(g).toByteArray();
            if (depth <= OnnxReader.MAX_GRAPH_DEPTH) {
                OnnxReader.read(bytes, null, "bad.onnx");
            } else {
                assertMessage(rejects(bytes), "nested more than " + OnnxReader.MAX_GRAPH_DEPTH + " deep");
            }
        }
    }

    @Test
    void modelsWithoutGraphOrOpsetsAreRejected() {
        assertMessage(rejects(new ProtoBytes().varint(1, 8).message(8, new ProtoBytes().varint(2, 13))
                .toByteArray()), "no graph");
        assertMessage(rejects(new ProtoBytes().varint(1, 8).message(7, new ProtoBytes().string(2, "g"))
                .toByteArray()), "imports no operator set");
    }

    @Test
    void messagesSayWhereTheProblemIs() {
        ProtoBytes attr = new ProtoBytes().string(1, "value").varint(20, OnnxAttribute.Type.TENSOR.code())
                .message(5, ProtoBytes.floatTensor("c", 2).bytes(9, new byte[3]));
        ProtoBytes node = new ProtoBytes().string(3, "const1").string(4, "Constant").message(5, attr);
        ProtoBytes graph = new ProtoBytes().message(1, new ProtoBytes().string(4, "Relu")).message(1, node);
        OnnxFormatException e = rejects(ProtoBytes.model(graph).toByteArray());
        assertMessage(e, "graph > node #1 'const1' (Constant) > attribute #0 'value' > tensor 'c'", "at byte");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
