package dev.netlens.explain.perturbation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.io.Npy;
import dev.netlens.core.onnx.OnnxImporter;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.AttributionGoldens;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Target;
import dev.netlens.explain.blackbox.OnnxRuntimePredictor;
import dev.netlens.explain.blackbox.Predictor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Occlusion and feature ablation against Captum 0.6's {@code Occlusion} / {@code FeatureAblation}
 * with the same window, stride, baseline and mask, on both backends (the netlens engine and ONNX
 * Runtime): max |netlens − Captum| ≤ 1e-5 · max(max |Captum|, |y(x)|) — the "1e-5
 * relative". Each attribution is a difference of two logits, so its float32 rounding error scales
 * with the logit y(x) (recorded in models.tsv as target_logit), not with the map: a map of small
 * drops under a large logit cannot agree better than the logits themselves.
 * References: {@code goldens/occlusion-small} (committed; tiny resnet/vgg/mobilenet at 32×32, made
 * by {@code goldens/make_occlusion_goldens.py}); the torchvision resnet18 / vgg11_bn / mobilenet_v2
 * cases run when {@code -Dnetlens.goldens.dir=DIR} holds {@code models.tsv} and {@code occlusion/}
 * (see the script's usage).
 */
class OcclusionCaptumTest {
    static final double TOLERANCE = 1e-5;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(OcclusionCaptumTest.class.getResource("/goldens/" + name).toURI());
    }

    @Test
    void smallModelsAgreeWithCaptum() throws Exception {
        List<String> failures = compare(resource("attribution-small"), resource("occlusion-small"));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void torchvisionModelsAgreeWithCaptum() throws Exception {
        String dir = System.getProperty("netlens.goldens.dir", System.getenv("NETLENS_GOLDENS_DIR"));
        Assumptions.assumeTrue(dir != null && Files.exists(Path.of(dir, "occlusion", "cases.tsv")),
                "no torchvision occlusion goldens: run make_occlusion_goldens.py --set torchvision and pass "
                        + "-Dnetlens.goldens.dir=DIR");
        List<String> failures = compare(Path.of(dir), Path.of(dir, "occlusion"));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    static List<String> compare(Path modelsDir, Path goldens) throws Exception {
        Map<String, Map<String, String>> models = new HashMap<>();
        for (Map<String, String> m : AttributionGoldens.readTsv(modelsDir.resolve("models.tsv"))) {
            models.put(m.get("model"), m);
        }
        List<String> failures = new ArrayList<>();
        int compared = 0;
        Map<String, Predictor[]> backends = new HashMap<>();
        try {
            for (Map<String, String> row : AttributionGoldens.readTsv(goldens.resolve("cases.tsv"))) {
                Map<String, String> m = models.get(row.get("model"));
                Path onnx = modelsDir.resolve(m.get("onnx"));
                Predictor[] both = backends.computeIfAbsent(row.get("model"), k -> new Predictor[] {
                    Predictor.of(ExplainedModel.of(OnnxImporter.load(onnx))), OnnxRuntimePredictor.load(onnx)});
                Tensor x = Npy.read(modelsDir.resolve(m.get("input")));
                Tensor expected = Npy.read(goldens.resolve(row.get("golden")));
                Target target = Target.classes(Integer.parseInt(row.get("target")));
                for (Predictor p : both) {
                    Tensor actual = explain(p, row).explain(x, target).map();
                    double scale = Math.max(maxAbs(expected.data()), Math.abs(Double.parseDouble(m.get("target_logit"))));
                    double err = maxDiff(actual.data(), expected.data()) / scale;
                    String line = String.format(Locale.ROOT, "%s on %s: max|Δ| / max(max|ref|, |y(x)|) = %.2e "
                            + "(max|Δ|/max|ref| = %.2e)", row.get("case"), p.describe(), err,
                            maxDiff(actual.data(), expected.data()) / maxAbs(expected.data()));
                    System.out.println(line);
                    if (!(err <= TOLERANCE)) {
                        failures.add(line + " > " + TOLERANCE + " (" + row.get("reference") + ")");
                    }
                    compared++;
                }
            }
        } finally {
            for (Predictor[] both : backends.values()) {
                both[1].close();
            }
        }
        assertTrue(compared >= 2, "no cases compared in " + goldens);
        return failures;
    }

    static dev.netlens.explain.Attribution explain(Predictor p, Map<String, String> row) {
        float baseline = Float.parseFloat(row.get("baseline"));
        if (row.get("method").equals("occlusion")) {
            return Occlusion.builder(p).window(ints(row.get("window"))).stride(ints(row.get("stride")))
                    .baseline(baseline).build();
        }
        int block = Integer.parseInt(row.get("mask_block"));
        int[] shape = p.inputShape();
        int h = shape[1];
        int w = shape[2];
        int[] ids = new int[h * w];
        int perRow = (w + block - 1) / block;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ids[y * w + x] = y / block * perRow + x / block;
            }
        }
        return FeatureAblation.builder(p).mask(ids, 1, 1, h, w).baseline(baseline).build();
    }

    static int[] ints(String csv) {
        String[] p = csv.split(",");
        int[] v = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = Integer.parseInt(p[i].trim());
        }
        return v;
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < b.length; i++) {
            d = Math.max(d, Math.abs((double) a[i] - b[i]));
        }
        return d;
    }

    static double maxAbs(float[] a) {
        double d = 0;
        for (float v : a) {
            d = Math.max(d, Math.abs(v));
        }
        return d;
    }
}
