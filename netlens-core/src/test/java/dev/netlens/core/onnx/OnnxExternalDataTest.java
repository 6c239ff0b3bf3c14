package dev.netlens.core.onnx;

import static dev.netlens.core.onnx.OnnxTestSupport.assertModelEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors stored in external files: reading by location/offset/length, writing, and the guards around them. */
class OnnxExternalDataTest {
    private static final float[] WEIGHTS = {1.5f, -2f, 0.25f, 8f, -0f, 3e-7f};

    /** A model whose initializer "W" (float, [2, 3]) lives in an external file, with the given entries. */
    private static byte[] modelWithExternal(String... keyValues) {
        ProtoBytes tensor = ProtoBytes.floatTensor("W", 2, 3);
        for (int i = 0; i < keyValues.length; i += 2) {
            tensor.message(13, new ProtoBytes().string(1, keyValues[i]).string(2, keyValues[i + 1]));
        }
        tensor.varint(14, 1);
        return ProtoBytes.model(ProtoBytes.graphWithInitializer(tensor)).toByteArray();
    }

    /** Writes WEIGHTS as little-endian floats after {@code padding} junk bytes. */
    private static void writeWeights(Path file, int padding) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(padding + WEIGHTS.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < padding; i++) {
            b.put((byte) 0x5a);
        }
        for (float w : WEIGHTS) {
            b.putFloat(w);
        }
        Files.createDirectories(file.getParent());
        Files.write(file, b.array());
    }

    private static Path writeModel(Path dir, byte[] bytes) throws IOException {
        Path file = dir.resolve("model.onnx");
        Files.write(file, bytes);
        return file;
    }

    @Test
    void readsExternalDataAtOffsetAndLength(@TempDir Path dir) throws IOException {
        writeWeights(dir.resolve("weights.bin"), 16);
        Path model = writeModel(dir, modelWithExternal("location", "weights.bin", "offset", "16", "length", "24"));
        OnnxTensor w = OnnxReader.read(model).graph().initializers().get(0);
        assertArrayEquals(WEIGHTS, w.toFloats());
        assertArrayEquals(new long[] {2, 3}, w.dims());
    }

    @Test
    void readsExternalDataInASubdirectoryWithoutOffsetOrLength(@TempDir Path dir) throws IOException {
        writeWeights(dir.resolve("data/w.bin"), 0);
        Path model = writeModel(dir, modelWithExternal("location", "data/w.bin", "checksum", "ignored"));
        assertArrayEquals(WEIGHTS, OnnxReader.read(model).graph().initializers().get(0).toFloats());
    }

    @Test
    void missingExternalFileNamesTheFile(@TempDir Path dir) throws IOException {
        Path model = writeModel(dir, modelWithExternal("location", "missing.bin"));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(model));
        assertTrue(e.getMessage().startsWith(model.toString() + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("'missing.bin' not found"), e.getMessage());
        assertTrue(e.getMessage().contains("'W'"), e.getMessage());
    }

    @Test
    void pathsEscapingTheModelDirectoryAreRejected(@TempDir Path dir) throws IOException {
        Path inner = dir.resolve("models");
        writeWeights(dir.resolve("x"), 0); // exists, but outside the model's directory
        for (String location : List.of("../x", "sub/../../x", "..", ".")) {
            Path model = writeModel(Files.createDirectories(inner), modelWithExternal("location", location));
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(model), location);
            assertTrue(e.getMessage().startsWith(model.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("outside the model's directory"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + location + "'"), e.getMessage());
        }
        Path model = writeModel(inner, modelWithExternal("location", dir.resolve("x").toString()));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(model));
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
    }

    @Test
    void inconsistentExternalEntriesAreRejected(@TempDir Path dir) throws IOException {
        writeWeights(dir.resolve("w.bin"), 4);
        Map<String, String[]> cases = Map.of(
                "says length 20", new String[] {"location", "w.bin", "length", "20"},
                "which has only 28 bytes", new String[] {"location", "w.bin", "offset", "8"},
                "not a non-negative integer", new String[] {"location", "w.bin", "offset", "-4"},
                "'abc', not a non-negative", new String[] {"location", "w.bin", "length", "abc"},
                "no 'location' entry", new String[] {"offset", "0"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Path model = writeModel(dir, modelWithExternal(c.getValue()));
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(model), c.getKey());
            assertTrue(e.getMessage().contains(c.getKey()), e.getMessage());
        }
    }

    @Test
    void externalDataNeedsABaseDirectory() {
        byte[] bytes = modelWithExternal("location", "w.bin");
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxReader.read(bytes, null, "inline.onnx"));
        assertTrue(e.getMessage().startsWith("inline.onnx:") && e.getMessage().contains("OnnxReader.read(Path)"),
                e.getMessage());
    }

    @Test
    void writerMovesLargeTensorsToOneDataFile(@TempDir Path dir) throws IOException {
        OnnxModel model = OnnxTestSupport.richModel();
        Path file = dir.resolve("rich.onnx");
        OnnxWriter.write(model, file, 16);
        Path data = dir.resolve("rich.onnx.data");
        assertTrue(Files.size(data) > 0);
        byte[] withoutData = Files.readAllBytes(file);
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxReader.read(withoutData, null, "rich.onnx"));
        assertTrue(e.getMessage().contains("'rich.onnx.data'"), e.getMessage());
        assertModelEquals(model, OnnxReader.read(file));
        // the same model moved elsewhere still reads: locations are relative
        Path other = Files.createDirectories(dir.resolve("copy"));
        Files.copy(file, other.resolve("rich.onnx"));
        Files.copy(data, other.resolve("rich.onnx.data"));
        assertModelEquals(model, OnnxReader.read(other.resolve("rich.onnx")));
        // threshold 0: every numeric tensor goes external, strings stay inline
        OnnxWriter.write(model, file, 0);
        assertModelEquals(model, OnnxReader.read(file));
    }

    @Test
    void largeExternalTensorsAreMemoryMapped(@TempDir Path dir) throws IOException {
        int n = OnnxReader.MAP_THRESHOLD / 4;
        float[] values = new float[n];
        for (int i = 0; i < n; i += 4099) {
            values[i] = i;
        }
        OnnxTensor big = OnnxTensor.ofFloats("big", new long[] {n}, values);
        OnnxGraph g = new OnnxGraph("g", List.of(), List.of(big), List.of(), List.of(), List.of(), "");
        OnnxModel model = new OnnxModel(8, List.of(new OnnxOpset("", 13)), "", "", "", 0, "", g, Map.of());
        Path file = dir.resolve("big.onnx");
        OnnxWriter.write(model, file, 1024);
        assertTrue(Files.size(file) < 1024);
        OnnxTensor back = OnnxReader.read(file).graph().initializers().get(0);
        assertEquals(big.raw(), back.raw());
        assertEquals(4099f, back.toFloats()[4099]);
    }
}
