package dev.netlens.explain;

import dev.netlens.core.onnx.OnnxImporter;

import dev.netlens.core.io.Npy;
import dev.netlens.core.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reference attributions made by {@code src/test/resources/goldens/make_attribution_goldens.py}
 * (Captum 0.6 and zennit on the same ONNX models), and the comparisons the agreement tests run:
 *
 * <ul>
 *   <li>{@link #plumbing}: the imported model against PyTorch before any method runs - logits,
 *       the target (argmax), the CAM layer's activation and gradient (through {@link Gradients}),
 *       and the input gradient; it checks the files, the layer names and the engine;</li>
 *   <li>{@link #full}: each case's full attribution map against the golden .npy - cosine similarity
 *       ≥ {@value #MIN_COSINE} and relative L2 error ‖a − g‖/‖g‖ ≤ {@value #MAX_REL_L2};</li>
 *   <li>{@link #compact}: the same on the values a committed summary keeps (fixed pseudo-random
 *       positions plus the largest-|value| positions; whole maps for CAMs), plus the map's L2 norm
 *       (relative difference ≤ {@value #MAX_REL_L2}) and its sum (difference ≤ {@value #MAX_REL_L2}
 *       of the golden's L1 norm).</li>
 * </ul>
 *
 * Directory layout: {@code models.tsv} (model, ONNX file, input, logits, target, layer...),
 * {@code manifest.tsv} (one row per case: method, options, golden file, {@code check} = assert or
 * report) and {@code summary.tsv}; paths are relative to the directory. Cases marked "report" are
 * printed but never fail (alternative conventions, e.g. zennit configured to follow SPECS' text
 * literally, kept to tell a convention difference from a bug).
 */
public final class AttributionGoldens {
    static final double MIN_COSINE = 0.999;
    static final double MAX_REL_L2 = 1e-2;
    /** Forward agreement (max |Δ| / max |reference|) for logits and layer activations. */
    static final double FORWARD_TOLERANCE = 1e-4;

    private AttributionGoldens() {
    }

    /** A model of a golden set. */
    record ModelEntry(String name, Path onnx, Path input, Path logits, int target, String layer,
                      Path layerActivation, Path layerGradient, double inputSum, double inputL2) {
    }

    /** The comparison of one case. */
    record Outcome(String id, String check, double cosine, double relL2, double extra, String status,
                   String detail, long millis) {
        boolean failed() {
            return !status.equals("ok") && check.equals("assert");
        }
    }

    /** Outcomes of a run, in order. */
    static final class Report {
        final String title;
        final List<Outcome> outcomes = new ArrayList<>();

        Report(String title) {
            this.title = title;
        }

        List<Outcome> failures() {
            return outcomes.stream().filter(Outcome::failed).toList();
        }

        /** A table of all cases: cosine, relative L2 error, status. */
        String table(String extraName) {
            StringBuilder b = new StringBuilder(title).append('\n');
            b.append(String.format(Locale.ROOT, "%-58s %-6s %10s %10s %10s %8s  %s%n", "case", "check", "cosine",
                    "relL2", extraName, "ms", "status"));
            for (Outcome o : outcomes) {
                b.append(String.format(Locale.ROOT, "%-58s %-6s %10s %10s %10s %8d  %s%s%n", o.id(), o.check(),
                        num(o.cosine(), "%.6f"), num(o.relL2(), "%.2e"), num(o.extra(), "%.2e"), o.millis(),
                        o.status(), o.detail().isEmpty() ? "" : " (" + o.detail() + ")"));
            }
            long ok = outcomes.stream().filter(o -> o.status().equals("ok")).count();
            b.append(String.format(Locale.ROOT, "%d of %d cases agree; %d assert-case failures%n", ok,
                    outcomes.size(), failures().size()));
            return b.toString();
        }

        /** One assertion message listing every failed assert case with its numbers. */
        String failureMessage() {
            StringBuilder b = new StringBuilder();
            List<Outcome> f = failures();
            b.append(f.size()).append(" of ").append(outcomes.stream().filter(o -> o.check().equals("assert")).count())
                    .append(" cases disagree with the reference (cosine ≥ ").append(MIN_COSINE)
                    .append(", relL2 ≤ ").append(MAX_REL_L2).append("):\n");
            for (Outcome o : f) {
                if (Double.isNaN(o.cosine()) && Double.isNaN(o.relL2())) {
                    b.append(String.format(Locale.ROOT, "  %s: %s %s%n", o.id(), o.status(), o.detail()));
                } else {
                    b.append(String.format(Locale.ROOT, "  %s: %s cosine %s relL2 %s%s%n", o.id(), o.status(),
                            num(o.cosine(), "%.6f"), num(o.relL2(), "%.3e"), o.detail().isEmpty() ? "" : " - " + o.detail()));
                }
            }
            return b.toString();
        }
    }

    private static String num(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    // ---------------------------------------------------------------------------------------------
    // Files

    /** Rows of a tab-separated file with a header line; lines starting with '#' are comments. */
    public static List<Map<String, String>> readTsv(Path file) {
        try {
            return parseTsv(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    static List<Map<String, String>> readTsv(InputStream in, String name) {
        try (in) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parseTsv(Arrays.asList(text.split("\n")), name);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    private static List<Map<String, String>> parseTsv(List<String> lines, String name) {
        String[] header = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (header == null) {
                header = f;
                continue;
            }
            if (f.length != header.length) {
                throw new IllegalStateException(name + ": a row has " + f.length + " fields, the header "
                        + header.length + ": " + line.substring(0, Math.min(80, line.length())));
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < f.length; i++) {
                row.put(header[i], f[i]);
            }
            rows.add(row);
        }
        if (header == null) {
            throw new IllegalStateException(name + " has no header line");
        }
        return rows;
    }

    /** The models of a golden directory (its models.tsv). */
    static Map<String, ModelEntry> models(Path dir) {
        Map<String, ModelEntry> m = new LinkedHashMap<>();
        for (Map<String, String> r : readTsv(dir.resolve("models.tsv"))) {
            m.put(r.get("model"), new ModelEntry(r.get("model"), dir.resolve(r.get("onnx")), dir.resolve(r.get("input")),
                    dir.resolve(r.get("logits")), Integer.parseInt(r.get("target")), r.get("layer"),
                    dir.resolve(r.get("layer_activation")), dir.resolve(r.get("layer_gradient")),
                    Double.parseDouble(r.get("input_sum")), Double.parseDouble(r.get("input_l2"))));
        }
        return m;
    }

    /**
     * The options a case was generated with (every other option at the method's default). LRP
     * references made with zennit's own composites are compared with netlens' zennit-* composites
     * (zennit's z⁺ keeps the positive bias, its γ rule is the generalised one); the "spec-literal"
     * references, made with zennit's machinery but SPECS' rules, with netlens' default composites.
     */
    static MethodOptions options(Map<String, String> row) {
        String layer = blankToNull(row.get("layer"));
        String steps = blankToNull(row.get("steps"));
        String integration = blankToNull(row.get("integration"));
        String composite = blankToNull(row.get("composite"));
        String variant = row.getOrDefault("variant", "");
        if ("lrp".equals(row.get("method")) && composite != null && !variant.endsWith("~spec-literal")) {
            composite = "zennit-" + composite;
        }
        boolean reluOnly = "true".equals(row.get("relu_only"));
        return new MethodOptions(layer, steps == null ? null : Integer.valueOf(steps), integration, null, composite,
                null, null, null, null, null, null, false, false, reluOnly);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Loads each model once. */
    static final class ModelCache {
        private final Map<String, ExplainedModel> loaded = new HashMap<>();
        private final Map<String, Tensor> inputs = new HashMap<>();

        ExplainedModel model(ModelEntry e) {
            // The references normalise the photo with ImageNet statistics; zB's bounds come from them.
            return loaded.computeIfAbsent(e.name(), k -> ExplainedModel.of(OnnxImporter.load(e.onnx()).toBuilder()
                    .metadata("netlens.mean", "0.485,0.456,0.406").metadata("netlens.std", "0.229,0.224,0.225").build()));
        }

        Tensor input(ModelEntry e) {
            return inputs.computeIfAbsent(e.name(), k -> Npy.read(e.input()));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Metrics

    /** Cosine similarity (NaN if either vector is zero). */
    static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : Double.NaN;
    }

    /** ‖a − b‖ / ‖b‖ (NaN if b is zero). */
    static double relL2(float[] a, float[] b) {
        double d = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            double e = (double) a[i] - b[i];
            d += e * e;
            bb += (double) b[i] * b[i];
        }
        return bb > 0 ? Math.sqrt(d / bb) : Double.NaN;
    }

    static double l2(float[] a) {
        double s = 0;
        for (float v : a) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    /** max |a − b| / max |b|. */
    static double maxRelative(float[] a, float[] b) {
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < b.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(b[i]));
            maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - b[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-30);
    }

    /** "ok", or why a map does not agree with its reference. */
    static String verdict(float[] actual, float[] expected, double cos, double rel) {
        double na = l2(actual);
        double ne = l2(expected);
        if (ne == 0) {
            return na == 0 ? "ok" : "DIFFERS: reference is all zeros, result has L2 norm " + na;
        }
        if (!Double.isFinite(na)) {
            return "DIFFERS: non-finite values";
        }
        if (na == 0) {
            return "DIFFERS: result is all zeros";
        }
        return cos >= MIN_COSINE && rel <= MAX_REL_L2 ? "ok" : "DIFFERS";
    }

    private static String shape(Tensor t) {
        return Arrays.toString(t.shape());
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 300 ? m.substring(0, 300) + "…" : m));
    }

    // ---------------------------------------------------------------------------------------------
    // Runs

    /** Runs a method as the manifest row says. */
    static Tensor explain(ModelCache cache, ModelEntry m, Map<String, String> row) {
        Attribution a = AttributionMethods.create(row.get("method"), cache.model(m), options(row));
        return a.explain(cache.input(m), Target.classes(m.target())).map();
    }

    /** Every case of manifest.tsv against its full golden array. */
    static Report full(Path dir, String title) {
        Map<String, ModelEntry> models = models(dir);
        ModelCache cache = new ModelCache();
        Report report = new Report(title);
        for (Map<String, String> row : readTsv(dir.resolve("manifest.tsv"))) {
            String id = row.get("case");
            // netlens' default epsilon-plus-flat follows SPECS: its spec-literal reference is asserted too.
            // (The plain γ rule of spec-literal epsilon-gamma-box is numerically unstable on inverted
            // residuals, where zennit's generalised γ is not; those stay report-only.)
            String check = id.contains("epsilon-plus-flat~spec-literal") ? "assert" : row.get("check");
            long t0 = System.nanoTime();
            try {
                ModelEntry m = models.get(row.get("model"));
                if (m == null) {
                    throw new IllegalStateException("model " + row.get("model") + " is not in models.tsv");
                }
                Tensor expected = Npy.read(dir.resolve(row.get("golden")));
                Tensor actual = explain(cache, m, row);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (!Arrays.equals(actual.shape(), expected.shape())) {
                    report.outcomes.add(new Outcome(id, check, Double.NaN, Double.NaN, Double.NaN, "WRONG SHAPE",
                            shape(actual) + ", reference " + shape(expected), ms));
                    continue;
                }
                double cos = cosine(actual.data(), expected.data());
                double rel = relL2(actual.data(), expected.data());
                double normRatio = l2(actual.data()) / l2(expected.data());
                report.outcomes.add(new Outcome(id, check, cos, rel, normRatio,
                        verdict(actual.data(), expected.data(), cos, rel), "", ms));
            } catch (RuntimeException | AssertionError e) {
                report.outcomes.add(new Outcome(id, check, Double.NaN, Double.NaN, Double.NaN, "ERROR", describe(e),
                        (System.nanoTime() - t0) / 1_000_000));
            }
        }
        return report;
    }

    /**
     * Every case of a compact summary against the values it keeps; the models and inputs come from
     * {@code modelsDir} (its models.tsv), which need not hold the golden arrays.
     */
    static Report compact(Path modelsDir, List<Map<String, String>> summary, String title) {
        Map<String, ModelEntry> models = models(modelsDir);
        ModelCache cache = new ModelCache();
        Report report = new Report(title);
        Map<String, String> inputProblem = new HashMap<>();
        for (Map<String, String> row : summary) {
            String id = row.get("case");
            String check = row.get("check");
            long t0 = System.nanoTime();
            try {
                ModelEntry m = models.get(row.get("model"));
                if (m == null) {
                    throw new IllegalStateException("model " + row.get("model") + " is not in " + modelsDir.resolve("models.tsv"));
                }
                String problem = inputProblem.computeIfAbsent(m.name(), k -> checkInput(cache.input(m), row, m));
                if (!problem.isEmpty()) {
                    throw new IllegalStateException(problem);
                }
                int[] idx = Arrays.stream(row.get("idx").split(",")).mapToInt(Integer::parseInt).toArray();
                String[] vals = row.get("val").split(",");
                float[] expected = new float[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    expected[i] = Float.parseFloat(vals[i]);
                }
                Tensor actual = explain(cache, m, row);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String shape = String.join("x", Arrays.stream(actual.shape()).mapToObj(String::valueOf).toList());
                if (!shape.equals(row.get("shape"))) {
                    report.outcomes.add(new Outcome(id, check, Double.NaN, Double.NaN, Double.NaN, "WRONG SHAPE",
                            shape + ", reference " + row.get("shape"), ms));
                    continue;
                }
                float[] sampled = new float[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    sampled[i] = actual.data()[idx[i]];
                }
                double cos = cosine(sampled, expected);
                double rel = relL2(sampled, expected);
                double refL2 = Double.parseDouble(row.get("l2"));
                double normErr = refL2 > 0 ? Math.abs(l2(actual.data()) - refL2) / refL2 : l2(actual.data());
                double sumErr = Math.abs(sum(actual.data()) - Double.parseDouble(row.get("sum")))
                        / Math.max(Double.parseDouble(row.get("abs_sum")), 1e-30);
                String status = verdict(sampled, expected, cos, rel);
                String detail = "";
                if (status.equals("ok") && (normErr > MAX_REL_L2 || sumErr > MAX_REL_L2)) {
                    status = "DIFFERS";
                    detail = String.format(Locale.ROOT, "L2 norm off by %.2e, sum off by %.2e of the L1 norm", normErr,
                            sumErr);
                }
                report.outcomes.add(new Outcome(id, check, cos, rel, Math.max(normErr, sumErr), status, detail, ms));
            } catch (RuntimeException | AssertionError e) {
                report.outcomes.add(new Outcome(id, check, Double.NaN, Double.NaN, Double.NaN, "ERROR", describe(e),
                        (System.nanoTime() - t0) / 1_000_000));
            }
        }
        return report;
    }

    private static String checkInput(Tensor x, Map<String, String> row, ModelEntry m) {
        double s = sum(x.data());
        double n = l2(x.data());
        double refSum = Double.parseDouble(row.get("input_sum"));
        double refL2 = Double.parseDouble(row.get("input_l2"));
        if (Math.abs(n - refL2) > 1e-5 * refL2 || Math.abs(s - refSum) > 1e-5 * refL2 * Math.sqrt(x.size())) {
            return String.format(Locale.ROOT, "%s is not the input the summary was made with (sum %.6g, L2 %.6g; "
                    + "summary: sum %.6g, L2 %.6g): regenerate it with make_attribution_goldens.py", m.input(), s, n,
                    refSum, refL2);
        }
        return "";
    }

    /**
     * The imported models against PyTorch, before any attribution method: logits, target, the CAM
     * layer's activation and gradient, and the input gradient (the "gradient" golden, when present).
     */
    static Report plumbing(Path dir, String title) {
        Map<String, ModelEntry> models = models(dir);
        Map<String, Path> gradientGoldens = new HashMap<>();
        if (Files.exists(dir.resolve("manifest.tsv"))) {
            for (Map<String, String> r : readTsv(dir.resolve("manifest.tsv"))) {
                if (r.get("method").equals("gradient") && r.get("variant").isEmpty()) {
                    gradientGoldens.put(r.get("model"), dir.resolve(r.get("golden")));
                }
            }
        }
        ModelCache cache = new ModelCache();
        Report report = new Report(title);
        for (ModelEntry m : models.values()) {
            long t0 = System.nanoTime();
            String id = m.name() + "/logits";
            try {
                ExplainedModel em = cache.model(m);
                Tensor x = cache.input(m);
                Tensor logits = Npy.read(m.logits());
                Tensor y = em.forward(x);
                double err = maxRelative(y.data(), logits.data());
                int argmax = 0;
                for (int i = 1; i < y.size(); i++) {
                    if (y.data()[i] > y.data()[argmax]) {
                        argmax = i;
                    }
                }
                String status = err <= FORWARD_TOLERANCE && argmax == m.target() ? "ok" : "DIFFERS";
                report.outcomes.add(new Outcome(id, "assert", cosine(y.data(), logits.data()), relL2(y.data(),
                        logits.data()), err, status, "argmax " + argmax + ", target " + m.target(),
                        (System.nanoTime() - t0) / 1_000_000));

                t0 = System.nanoTime();
                id = m.name() + "/layer " + m.layer();
                Gradients.LayerGradient lg = Gradients.layer(em, x, Target.classes(m.target()), m.layer());
                Tensor a = Npy.read(m.layerActivation());
                Tensor g = Npy.read(m.layerGradient());
                double errA = maxRelative(lg.activation().data(), a.data());
                double cosG = cosine(lg.gradient().data(), g.data());
                double relG = relL2(lg.gradient().data(), g.data());
                boolean okA = Arrays.equals(lg.activation().shape(), a.shape()) && errA <= FORWARD_TOLERANCE;
                report.outcomes.add(new Outcome(id, "assert", cosG, relG, errA,
                        okA && cosG >= MIN_COSINE && relG <= MAX_REL_L2 ? "ok" : "DIFFERS",
                        "activation " + shape(lg.activation()) + " max rel err " + num(errA, "%.1e")
                                + "; cosine/relL2 are the gradient's", (System.nanoTime() - t0) / 1_000_000));

                Path gradientGolden = gradientGoldens.get(m.name());
                if (gradientGolden != null) {
                    t0 = System.nanoTime();
                    id = m.name() + "/input gradient (Gradients.input vs captum Saliency abs=False)";
                    Tensor expected = Npy.read(gradientGolden);
                    Tensor actual = Gradients.input(em, x, Target.classes(m.target())).gradient();
                    double cos = cosine(actual.data(), expected.data());
                    double rel = relL2(actual.data(), expected.data());
                    report.outcomes.add(new Outcome(id, "assert", cos, rel, Double.NaN,
                            verdict(actual.data(), expected.data(), cos, rel), "", (System.nanoTime() - t0) / 1_000_000));
                }
            } catch (RuntimeException | AssertionError e) {
                report.outcomes.add(new Outcome(id, "assert", Double.NaN, Double.NaN, Double.NaN, "ERROR", describe(e),
                        (System.nanoTime() - t0) / 1_000_000));
            }
        }
        return report;
    }
}
