package dev.netlens.core.onnx;

import static dev.netlens.core.onnx.OnnxTestSupport.ONNX_TEST_DATA;
import static dev.netlens.core.onnx.OnnxTestSupport.assertDescriptionsMatch;
import static dev.netlens.core.onnx.OnnxTestSupport.assertModelEquals;
import static dev.netlens.core.onnx.OnnxTestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * OnnxReader against files written by the official ONNX tools: models and test vectors of the
 * Debian package libonnx-testdata, and models generated with onnx.helper (typed data fields, all
 * attribute types, external data). {@code src/test/resources/onnx/describe_models.py} describes the
 * same files with the onnx Python package into {@code descriptions.txt}; netlens' description of
 * what it read must match line by line. Writing each model back with OnnxWriter and reading it again
 * must give the same model, and ONNX Runtime must run what OnnxWriter wrote.
 */
class OnnxRealFilesTest {
    private static final String INSTALL_HINT = "ONNX backend test data not found under " + ONNX_TEST_DATA
            + "; the vendored copy (src/test/resources/onnx/testdata) is incomplete";

    @Test
    void onnxTestDataIsInstalled() {
        requireTestData();
    }

    @TestFactory
    Stream<DynamicTest> descriptionsMatchTheOnnxPythonPackage() throws IOException {
        return entries().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            String ref = e.getKey();
            Path file = resolve(ref.substring(ref.indexOf(' ') + 1));
            List<String> actual;
            if (ref.startsWith("model ")) {
                OnnxModel model = OnnxReader.read(file);
                actual = OnnxTestSupport.describeModel(ref.substring(6), model);
                // and the writer reproduces it
                OnnxModel again = OnnxReader.read(OnnxWriter.toBytes(model), null, "rewritten " + file);
                assertModelEquals(model, again);
            } else {
                OnnxTensor t = OnnxReader.readTensor(file);
                actual = OnnxTestSupport.describeTensorFile(ref.substring(3), t);
                assertTensorEquals(t, OnnxReader.readTensor(OnnxWriter.toBytes(t)), "rewritten " + file);
            }
            assertDescriptionsMatch(e.getValue(), actual, file.toString());
        }));
    }

    @Test
    void descriptionsCoverManyFiles() throws IOException {
        Map<String, List<String>> entries = entries();
        long models = entries.keySet().stream().filter(k -> k.startsWith("model data:")).count();
        long tensors = entries.keySet().stream().filter(k -> k.startsWith("pb data:")).count();
        assertTrue(models >= 30, "at least 30 libonnx-testdata models, found " + models);
        assertTrue(tensors >= 10, "at least 10 test vectors, found " + tensors);
    }

    @Test
    void onnxRuntimeRunsAModelWrittenByOnnxWriter() throws OrtException {
        Path dir = requireTestData().resolve("node/test_conv_with_strides_padding");
        OnnxModel model = OnnxReader.read(dir.resolve("model.onnx"));
        byte[] rewritten = OnnxWriter.toBytes(model);
        OnnxTensor x = OnnxReader.readTensor(dir.resolve("test_data_set_0/input_0.pb"));
        OnnxTensor w = OnnxReader.readTensor(dir.resolve("test_data_set_0/input_1.pb"));
        OnnxTensor expected = OnnxReader.readTensor(dir.resolve("test_data_set_0/output_0.pb"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(rewritten, new OrtSession.SessionOptions())) {
            float[] out = run(env, session, Map.of("x", x, "W", w));
            assertArrayEquals(expected.toFloats(), out, 1e-5f);
        }
    }

    @Test
    void onnxRuntimeRunsAModelWithExternalDataWrittenByOnnxWriter(@TempDir Path tmp) throws OrtException {
        OnnxModel model = OnnxReader.read(OnnxTestSupport.resourceDir().resolve("generated/external_data.onnx"));
        Path file = tmp.resolve("conv.onnx");
        OnnxWriter.write(model, file, 64);
        assertTrue(Files.exists(tmp.resolve("conv.onnx.data")), "external data file written");
        assertModelEquals(model, OnnxReader.read(file));
        float[] xs = new float[50];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(i);
        }
        OnnxTensor x = OnnxTensor.ofFloats("x", new long[] {1, 2, 5, 5}, xs);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] external;
        float[] inline;
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            external = run(env, s, Map.of("x", x));
        }
        try (OrtSession s = env.createSession(OnnxWriter.toBytes(model), new OrtSession.SessionOptions())) {
            inline = run(env, s, Map.of("x", x));
        }
        assertEquals(100, external.length);
        assertArrayEquals(inline, external, 0f);
    }

    @Test
    void sparseInitializersAreRejectedWithAClearMessage() {
        Path file = OnnxTestSupport.resourceDir().resolve("generated/sparse_initializer.onnx");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("sparse initializer"),
                e.getMessage());
    }

    private static float[] run(OrtEnvironment env, OrtSession session, Map<String, OnnxTensor> inputs)
            throws OrtException {
        Map<String, ai.onnxruntime.OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, OnnxTensor> e : inputs.entrySet()) {
                feed.put(e.getKey(), ai.onnxruntime.OnnxTensor.createTensor(env,
                        FloatBuffer.wrap(e.getValue().toFloats()), e.getValue().dims()));
            }
            try (OrtSession.Result r = session.run(feed)) {
                ai.onnxruntime.OnnxTensor out = (ai.onnxruntime.OnnxTensor) r.get(0);
                FloatBuffer fb = out.getFloatBuffer();
                float[] values = new float[fb.remaining()];
                fb.get(values);
                return values;
            }
        } finally {
            feed.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    // ---- the description file ------------------------------------------------------------------

    /** Entries of descriptions.txt: header line ("model data:..." / "pb data:...") to its lines. */
    private static Map<String, List<String>> entries() throws IOException {
        Path file = OnnxTestSupport.resourceDir().resolve("descriptions.txt");
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (current == null) {
                current = new ArrayList<>();
                out.put(line, current);
            }
            current.add(line);
            if (line.equals("end")) {
                current = null;
            }
        }
        return out;
    }

    private static Path resolve(String ref) {
        if (ref.startsWith("data:")) {
            return requireTestData().resolve(ref.substring(5));
        }
        if (ref.startsWith("res:")) {
            return OnnxTestSupport.resourceDir().resolve(ref.substring(4));
        }
        throw new IllegalArgumentException("unknown file reference " + ref);
    }

    private static Path requireTestData() {
        if (!Files.isDirectory(ONNX_TEST_DATA.resolve("node/test_conv_with_strides_padding"))) {
            fail(INSTALL_HINT);
        }
        return ONNX_TEST_DATA;
    }
}
