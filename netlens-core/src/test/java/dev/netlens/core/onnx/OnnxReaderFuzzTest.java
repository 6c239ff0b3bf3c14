package dev.netlens.core.onnx;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzz targets: arbitrary bytes given to {@link OnnxReader} may only ever produce a model or
 * an {@link OnnxFormatException} - any other exception, an OutOfMemoryError, a StackOverflowError
 * or a hang is a finding.
 *
 * <p>In a normal {@code mvn test} these run as regression tests over the inputs in
 * {@code src/test/resources/dev/netlens/core/onnx/OnnxReaderFuzzTestInputs/<method>/} (seeds and
 * every crash found so far). To fuzz, one target at a time:
 * <pre>
 * JAZZER_FUZZ=1 mvn test -pl netlens-core -Dtest=OnnxReaderFuzzTest#readModel
 * </pre>
 * Jazzer then keeps its corpus in {@code netlens-core/.cifuzz-corpus/} and writes crashing inputs
 * into the inputs directory above, where they become regression inputs.
 */
class OnnxReaderFuzzTest {
    /** A model directory with one external data file, so external-data paths are exercised too. */
    private static final Path BASE_DIR = createBaseDir();

    private static Path createBaseDir() {
        try {
            Path dir = Files.createTempDirectory("netlens-onnx-fuzz");
            byte[] data = new byte[256];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
            }
            Files.write(dir.resolve("w.bin"), data);
            dir.toFile().deleteOnExit();
            dir.resolve("w.bin").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    @DictionaryEntries({"location", "offset", "length", "w.bin", "../w.bin", "ai.onnx", "Conv", "kernel_shape"})
    void readModel(byte[] data) {
        OnnxModel model;
        try {
            model = OnnxReader.read(data, BASE_DIR, "fuzz.onnx");
        } catch (OnnxFormatException expected) {
            return; // the only allowed failure
        }
        // Whatever was accepted can be written, and reads back the same.
        OnnxModel again = OnnxReader.read(OnnxWriter.toBytes(model), null, "rewritten.onnx");
        OnnxTestSupport.assertModelEquals(model, again);
    }

    @FuzzTest(maxDuration = "5m")
    void readTensor(byte[] data) {
        OnnxTensor t;
        try {
            t = OnnxReader.readTensor(data);
        } catch (OnnxFormatException expected) {
            return; // the only allowed failure
        }
        OnnxTestSupport.assertTensorEquals(t, OnnxReader.readTensor(OnnxWriter.toBytes(t)), "rewritten");
    }
}
