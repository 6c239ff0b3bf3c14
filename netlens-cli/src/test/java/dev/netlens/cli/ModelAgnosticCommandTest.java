package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.io.Npy;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.onnx.OnnxExporter;
import dev.netlens.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-agnostic methods from the command line: {@code --backend onnxruntime}, {@code --batch},
 * {@code --segments}, {@code --feature-mask}, and {@code bench --engine onnxruntime}.
 */
class ModelAgnosticCommandTest extends CliTestBase {
    @TempDir
    static Path shared;

    static Path model;
    static Path photo;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        Graph g = ResNets.basic(new int[] {8, 16}, new int[] {1, 1}, 3, 4, false, 3).toBuilder()
                .metadata("netlens.input_size", "32,32")
                .metadata("netlens.mean", "0.485,0.456,0.406")
                .metadata("netlens.std", "0.229,0.224,0.225")
                .build();
        model = shared.resolve("small.onnx");
        OnnxExporter.write(g, model);
        photo = shared.resolve("chelsea.png");
        Files.copy(Path.of(ModelAgnosticCommandTest.class.getResource("/images/chelsea.png").toURI()), photo);
    }

    int attribute(String... more) {
        String[] base = {"attribute", "--model", model.toString(), "--input", photo.toString(), "--target", "1"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return run(all);
    }

    @Test
    void bothBackendsGiveTheSameLimeAndOcclusionMaps() throws Exception {
        for (String method : new String[] {"lime", "occlusion", "shapley-sampling", "kernel-shap"}) {
            Path a = dir.resolve(method + "-netlens.npy");
            Path b = dir.resolve(method + "-ort.npy");
            String[] opts = {"--method", method, "--samples", method.equals("shapley-sampling") ? "3" : "200",
                "--segments", "20", "--batch", "16"};
            assertEquals(0, attribute(concat(opts, "--output", a.toString())), err);
            assertEquals(0, attribute(concat(opts, "--backend", "onnxruntime", "--output", b.toString())), err);
            assertTrue(err.contains(method + " [") && err.contains("ETA"), "progress bar on stderr: " + err);
            Tensor x = Npy.read(a);
            Tensor y = Npy.read(b);
            assertArrayEquals(new int[] {1, 3, 32, 32}, x.shape());
            double max = 0;
            for (float v : x.data()) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0, method + " map is all zeros");
            for (int e = 0; e < x.size(); e++) {
                assertEquals(x.data()[e], y.data()[e], 1e-3 * max, method + " element " + e);
            }
            String json = Files.readString(dir.resolve(method + "-ort.npy.json"));
            assertTrue(json.contains("\"internal_batch\": 16"), json);
        }
    }

    @Test
    void aFeatureMaskDefinesTheSegments() throws Exception {
        float[] ids = new float[32 * 32];
        for (int p = 0; p < ids.length; p++) {
            ids[p] = (p / 32) < 16 ? 0 : 1;       // top half, bottom half
        }
        Path mask = dir.resolve("mask.npy");
        Npy.write(mask, Tensor.of(ids, 32, 32));
        Path a = dir.resolve("halves.npy");
        assertEquals(0, attribute("--method", "shapley-sampling", "--feature-mask", mask.toString(), "--samples", "2",
                "--output", a.toString()), err);
        float[] m = Npy.read(a).data();
        assertEquals(m[0], m[15 * 32 + 31], 0, "one value on the top half");
        assertEquals(m[16 * 32], m[31 * 32 + 31], 0, "one value on the bottom half");
        Path bad = dir.resolve("bad.npy");
        Npy.write(bad, Tensor.zeros(31, 32));
        assertEquals(2, attribute("--method", "lime", "--feature-mask", bad.toString(), "--output",
                dir.resolve("x.npy").toString()));
        assertTrue(err.contains("bad.npy") && err.contains("[1, 1, 31, 32]") && err.contains("[H, W] = [32, 32]"), err);
    }

    /** A linear classifier written with Einsum, which the engine cannot import (blackbox/make_einsum_model.py). */
    static Path einsumModel() throws Exception {
        return Path.of(ModelAgnosticCommandTest.class.getResource("/blackbox/einsum4.onnx").toURI());
    }

    @Test
    void onnxRuntimeExplainsAModelTheEngineCannotImport() throws Exception {
        Tensor w = Npy.read(Path.of(ModelAgnosticCommandTest.class.getResource("/blackbox/einsum4_weights.npy").toURI()));
        Tensor x = Tensor.randomNormal(new java.util.SplittableRandom(4), 1f, 1, 3, 8, 8);
        Path in = dir.resolve("x.npy");
        Npy.write(in, x);
        Path occ = dir.resolve("occ.npy");
        assertEquals(0, run("attribute", "--model", einsumModel().toString(), "--input", in.toString(), "--target", "2",
                "--method", "occlusion", "--window", "1,1,1", "--backend", "onnxruntime", "--output", occ.toString()), err);
        assertTrue(err.contains("cannot import") && err.contains("Einsum"), err);
        // Occluding one element of a linear model removes exactly x·w of the target's logit.
        float[] a = Npy.read(occ).data();
        double max = 0;
        for (int e = 0; e < a.length; e++) {
            max = Math.max(max, Math.abs(x.data()[e] * w.data()[2 * 192 + e]));
        }
        for (int e = 0; e < a.length; e++) {
            assertEquals(x.data()[e] * w.data()[2 * 192 + e], a[e], 1e-5 * max, "element " + e);
        }
        // Kernel SHAP over four quadrants is exact for a linear model: each quadrant's share of the logit.
        float[] ids = new float[64];
        for (int p = 0; p < 64; p++) {
            ids[p] = (p / 8 < 4 ? 0 : 2) + (p % 8 < 4 ? 0 : 1);
        }
        Path mask = dir.resolve("quadrants.npy");
        Npy.write(mask, Tensor.of(ids, 8, 8));
        Path shap = dir.resolve("shap.png");
        assertEquals(0, run("attribute", "--model", einsumModel().toString(), "--input", in.toString(), "--target", "2",
                "--method", "kernel-shap", "--feature-mask", mask.toString(), "--backend", "onnxruntime",
                "--output", shap.toString()), err);
        assertTrue(Files.size(shap) > 0 && Files.readString(dir.resolve("shap.png.json")).contains("kernel-shap"));
        Path npy = dir.resolve("shap.npy");
        assertEquals(0, run("attribute", "--model", einsumModel().toString(), "--input", in.toString(), "--target", "2",
                "--method", "kernel-shap", "--feature-mask", mask.toString(), "--backend", "onnxruntime",
                "--output", npy.toString()), err);
        float[] phi = Npy.read(npy).data();
        double[] expected = new double[4];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 64; p++) {
                expected[(int) ids[p]] += x.data()[c * 64 + p] * w.data()[2 * 192 + c * 64 + p];
            }
        }
        for (int p = 0; p < 64; p++) {
            assertEquals(expected[(int) ids[p]], phi[p], 1e-4, "pixel " + p);
        }
        assertEquals(2, run("attribute", "--model", einsumModel().toString(), "--input", in.toString(),
                "--method", "occlusion", "--output", dir.resolve("n.npy").toString()));
        assertTrue(err.contains("Einsum") && err.contains("not supported"), err);
    }

    @Test
    void gradientMethodsNeedTheEngine() {
        assertEquals(2, attribute("--method", "saliency", "--backend", "onnxruntime", "--output",
                dir.resolve("s.npy").toString()));
        assertTrue(err.contains("saliency needs the netlens engine") && err.contains("occlusion"), err);
        assertEquals(2, attribute("--method", "lime", "--backend", "tensorflow", "--output", dir.resolve("s.npy").toString()));
        assertTrue(err.contains("--backend must be netlens or onnxruntime"), err);
    }

    @Test
    void benchRunsOcclusionOnOnnxRuntime() {
        assertEquals(0, run("bench", "--model", model.toString(), "--input", photo.toString(), "--method", "occlusion",
                "--engine", "onnxruntime", "--window", "3,8,8", "--stride", "3,8,8", "--repeat", "2", "--warmup", "0"), err);
        assertTrue(out.strip().lines().reduce((x, y) -> y).orElse("").matches("median_ms=[0-9.]+"), out);
        assertEquals(2, run("bench", "--model", model.toString(), "--input", photo.toString(), "--method", "saliency",
                "--engine", "onnxruntime"));
        assertTrue(err.contains("model-agnostic"), err);
    }

    static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
