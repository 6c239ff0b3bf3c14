package dev.netlens.core.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own backend node tests (model.onnx plus input_N.pb and output_N.pb in each test_data_set_N folder) for every
 * op netlens supports, from the copy vendored in src/test/resources/onnx/backend (see its README).
 * Each test must pass (outputs within ONNX's default tolerance, rtol 1e-3 / atol 1e-7, scaled to
 * float32), or be listed in {@code EXPECTED_UNSUPPORTED} with the reason — and then fail to import
 * with a clear message rather than compute something else.
 */
class OnnxBackendConformanceTest {
    /** Tests netlens does not support, with why. Everything else under the directory must pass. */
    static final Map<String, String> EXPECTED_UNSUPPORTED = new TreeMap<>();

    private static void unsupported(String reason, String... tests) {
        for (String t : tests) {
            EXPECTED_UNSUPPORTED.put(t, reason);
        }
    }

    static {
        unsupported("model opset below 7 (netlens imports opsets 7-21)",
                "test_elu", "test_elu_default", "test_elu_example", "test_selu", "test_selu_default", "test_selu_example",
                "test_hardsigmoid", "test_hardsigmoid_default", "test_hardsigmoid_example", "test_softplus",
                "test_softplus_example", "test_globalaveragepool", "test_globalaveragepool_precomputed",
                "test_globalmaxpool", "test_globalmaxpool_precomputed");
        unsupported("3-D pooling and convolution (netlens supports 1-D and 2-D)",
                "test_averagepool_3d_default", "test_maxpool_3d_default", "test_convtranspose_3d");
        unsupported("training mode inside an imported model (netlens selects it per run with Run.training)",
                "test_batchnorm_epsilon_training_mode", "test_batchnorm_example_training_mode", "test_training_dropout",
                "test_training_dropout_default", "test_training_dropout_zero_ratio");
        unsupported("Resize mode cubic",
                "test_resize_downsample_scales_cubic", "test_resize_downsample_scales_cubic_A_n0p5_exclude_outside",
                "test_resize_downsample_scales_cubic_align_corners", "test_resize_downsample_sizes_cubic",
                "test_resize_upsample_scales_cubic", "test_resize_upsample_scales_cubic_A_n0p5_exclude_outside",
                "test_resize_upsample_scales_cubic_align_corners", "test_resize_upsample_scales_cubic_asymmetric",
                "test_resize_upsample_sizes_cubic");
        unsupported("Resize coordinate mode tf_crop_and_resize", "test_resize_tf_crop_and_resize");
        unsupported("the ONNX 1.12 vector uses the fractional output length 4·0.6 for align_corners; netlens uses the"
                + " integer output length as the specification text and PyTorch do",
                "test_resize_downsample_scales_linear_align_corners");
    }

    static Path backendDir() throws Exception {
        return Path.of(OnnxBackendConformanceTest.class.getResource("/onnx/backend/README.md").toURI()).getParent();
    }

    @Test
    void backendNodeTestsPass() throws Exception {
        Path root = backendDir();
        List<Path> tests;
        try (Stream<Path> s = Files.list(root)) {
            tests = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_")).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (Path t : tests) {
            String name = t.getFileName().toString();
            String reason = EXPECTED_UNSUPPORTED.get(name);
            String problem = run(t);
            if (reason == null && problem != null) {
                failures.add(name + ": " + problem);
            } else if (reason != null && problem == null) {
                failures.add(name + ": listed as unsupported (" + reason + ") but passes — remove it from the list");
            } else if (problem == null) {
                passed++;
            }
        }
        System.out.println("ONNX backend node tests: " + passed + " passed, " + EXPECTED_UNSUPPORTED.size()
                + " listed as unsupported, " + failures.size() + " failed, of " + tests.size());
        assertTrue(failures.isEmpty(), failures.size() + " backend tests fail:\n" + String.join("\n", failures));
        assertTrue(passed >= 200, "only " + passed + " backend tests passed");
    }

    /**
     * Imports a test model. The test vectors feed attribute-like values (shapes, axes, scales,
     * bounds) as graph inputs, which real models hold as initializers; such inputs are bound to
     * the test set's values at import — first the non-float ones, then, if an op still needs a
     * constant, every input but the first, and finally all of them (the whole graph is then
     * evaluated by the constant folder).
     */
    static Graph importBinding(Path test, Path set) throws IOException {
        OnnxModel model = OnnxReader.read(test.resolve("model.onnx"));
        Set<String> initializers = new HashSet<>();
        model.graph().initializers().forEach(t -> initializers.add(t.name()));
        List<String> inputs = model.graph().inputs().stream().map(OnnxValueInfo::name)
                .filter(n -> !initializers.contains(n)).toList();
        Map<String, OnnxTensor> values = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size() && Files.exists(set.resolve("input_" + i + ".pb")); i++) {
            values.put(inputs.get(i), OnnxReader.readTensor(set.resolve("input_" + i + ".pb")));
        }
        Map<String, OnnxTensor> bind = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v.dataType() != OnnxDataType.FLOAT && v.dataType() != OnnxDataType.DOUBLE
                    && v.dataType() != OnnxDataType.FLOAT16) {
                bind.put(k, v);
            }
        });
        String source = test.resolve("model.onnx").toString();
        for (int attempt = 0; ; attempt++) {
            try {
                return OnnxImporter.importModel(model, source, bind);
            } catch (OnnxImportException e) {
                boolean needsConstant = e.getMessage().contains("must be a constant known at load time")
                        || e.getMessage().contains("on values known at load time");
                if (!needsConstant || attempt == 2) {
                    throw e;
                }
                int skip = attempt == 0 ? 1 : 0;
                int k = 0;
                for (Map.Entry<String, OnnxTensor> v : values.entrySet()) {
                    if (k++ >= skip) {
                        bind.put(v.getKey(), v.getValue());
                    }
                }
            }
        }
    }

    /** Null when the test passes, else what went wrong. */
    static String run(Path test) throws IOException {
        List<Path> sets;
        try (Stream<Path> s = Files.list(test)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        for (Path set : sets) {
            Graph g;
            try {
                g = importBinding(test, set);
            } catch (OnnxImportException | OnnxFormatException e) {
                return "import: " + e.getMessage();
            }
            OnnxModel model = OnnxReader.read(test.resolve("model.onnx"));
            Set<String> initializers = new HashSet<>();
            model.graph().initializers().forEach(t -> initializers.add(t.name()));
            List<String> declared = model.graph().inputs().stream().map(OnnxValueInfo::name)
                    .filter(n -> !initializers.contains(n)).toList();
            Map<String, Tensor> feeds = new TreeMap<>();
            for (int i = 0; i < declared.size() && Files.exists(set.resolve("input_" + i + ".pb")); i++) {
                if (!g.inputNames().contains(declared.get(i))) {
                    continue; // bound at import
                }
                OnnxTensor t = OnnxReader.readTensor(set.resolve("input_" + i + ".pb"));
                feeds.put(declared.get(i), Tensor.of(t.toFloats(), ints(t.dims())));
            }
            Map<String, Tensor> out;
            try {
                out = g.run().forward(feeds).outputs();
            } catch (RuntimeException e) {
                return "run: " + e.getMessage();
            }
            List<String> outputs = g.outputNames();
            for (int i = 0; Files.exists(set.resolve("output_" + i + ".pb")); i++) {
                OnnxTensor expected = OnnxReader.readTensor(set.resolve("output_" + i + ".pb"));
                String name = i < outputs.size() ? outputs.get(i) : expected.name();
                Tensor actual = out.get(name);
                if (actual == null) {
                    return "no output named " + name;
                }
                float[] e = expected.toFloats();
                int[] shape = ints(expected.dims());
                if (!Arrays.equals(shape, actual.shape())) {
                    return "output " + name + " has shape " + Arrays.toString(actual.shape()) + ", expected "
                            + Arrays.toString(shape);
                }
                for (int k = 0; k < e.length; k++) {
                    float a = actual.data()[k];
                    double tol = 1e-5 + 1e-3 * Math.abs(e[k]);
                    boolean bothNaN = Float.isNaN(e[k]) && Float.isNaN(a);
                    if (!bothNaN && !(Math.abs(a - e[k]) <= tol) && e[k] != a) {
                        return set.getFileName() + " output " + name + "[" + k + "] = " + a + ", expected " + e[k];
                    }
                }
            }
        }
        return null;
    }

    private static int[] ints(long[] dims) {
        int[] s = new int[dims.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.toIntExact(dims[i]);
        }
        return s;
    }
}
