package dev.netlens.explain.metrics;

import dev.netlens.explain.render.BarChart;
import dev.netlens.explain.render.LineChart;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an {@link EvaluationResult} to a folder: {@code results.csv} (image, class, method, metric,
 * value), {@code summary.csv} (method, metric, mean, standard error, n), {@code curves.csv} (mean
 * deletion / insertion / pixel-flipping curves), {@code sanity.csv} (mean Spearman and SSIM per
 * randomised layer), {@code result.json} (all of it), PNG charts (curves per method, sanity-check
 * curves per method, one bar chart per metric) and {@code index.html} linking them with relative
 * paths, so the folder can be moved or served as it is.
 */
public final class EvaluationReport {
    /** Distinct colours for up to 20 methods (Okabe–Ito, then tab20-like tones). */
    private static final Color[] PALETTE = {
        new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73),
        new Color(0xCC, 0x79, 0xA7), new Color(0xE6, 0x9F, 0x00), new Color(0x56, 0xB4, 0xE9),
        new Color(0x00, 0x00, 0x00), new Color(0x8C, 0x56, 0x4B), new Color(0x7F, 0x7F, 0x7F),
        new Color(0xBC, 0xBD, 0x22), new Color(0x94, 0x67, 0xBD), new Color(0xD6, 0x27, 0x28),
        new Color(0x17, 0xBE, 0xCF), new Color(0x2C, 0xA0, 0x2C), new Color(0x1F, 0x3A, 0x93),
        new Color(0xFF, 0x98, 0x96), new Color(0x98, 0xDF, 0x8A), new Color(0xC5, 0xB0, 0xD5),
        new Color(0xF7, 0xB6, 0xD2), new Color(0x9E, 0xDA, 0xE5)};

    /** Writes every file into {@code dir} (created if absent); returns the path of index.html. */
    public Path write(EvaluationResult r, Path dir) {
        try {
            Files.createDirectories(dir);
            write(dir.resolve("results.csv"), resultsCsv(r));
            write(dir.resolve("summary.csv"), summaryCsv(r));
            write(dir.resolve("curves.csv"), curvesCsv(r));
            if (!r.sanity().isEmpty()) {
                write(dir.resolve("sanity.csv"), sanityCsv(r));
            }
            write(dir.resolve("result.json"), json(r));
            List<String[]> charts = charts(r, dir);
            Path index = dir.resolve("index.html");
            write(index, html(r, charts));
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static String resultsCsv(EvaluationResult r) {
        StringBuilder b = new StringBuilder("image,class,method,metric,value\n");
        for (int i = 0; i < r.images().size(); i++) {
            for (String m : r.methods()) {
                for (Metric k : r.metrics()) {
                    double v = r.values().get(m).get(k)[i];
                    if (!(k == Metric.SANITY && Double.isNaN(v))) {
                        b.append(csv(r.images().get(i))).append(',').append(r.classes()[i]).append(',').append(m)
                                .append(',').append(k.id()).append(',').append(num(v)).append('\n');
                    }
                }
            }
        }
        return b.toString();
    }

    static String summaryCsv(EvaluationResult r) {
        StringBuilder b = new StringBuilder("method,metric,mean,stderr,n,seconds_per_image\n");
        for (EvaluationResult.Summary s : r.summaries()) {
            b.append(s.method()).append(',').append(s.metric().id()).append(',').append(num(s.mean())).append(',')
                    .append(num(s.stderr())).append(',').append(s.n()).append(',')
                    .append(num(r.seconds().get(s.method()))).append('\n');
        }
        return b.toString();
    }

    static String curvesCsv(EvaluationResult r) {
        StringBuilder b = new StringBuilder("method,curve,fraction,score\n");
        r.curves().forEach((m, cs) -> cs.forEach((k, c) -> {
            for (int j = 0; j < c.scores().length; j++) {
                b.append(m).append(',').append(k.id()).append(',').append(num(c.fractions()[j])).append(',')
                        .append(num(c.scores()[j])).append('\n');
            }
        }));
        return b.toString();
    }

    static String sanityCsv(EvaluationResult r) {
        StringBuilder b = new StringBuilder("method,mode,step,layer,spearman,ssim,images\n");
        r.sanity().forEach((m, rs) -> {
            for (SanityCheck.Result s : rs) {
                double[] rho = s.meanSpearman();
                double[] ssim = s.meanSsim();
                for (int k = 0; k < s.layers().size(); k++) {
                    b.append(m).append(',').append(s.mode().name().toLowerCase(Locale.ROOT)).append(',').append(k + 1)
                            .append(',').append(s.layers().get(k)).append(',').append(num(rho[k])).append(',')
                            .append(num(ssim[k])).append(',').append(s.spearman().length).append('\n');
                }
            }
        });
        return b.toString();
    }

    static String json(EvaluationResult r) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"model\": ").append(quote(r.model())).append(",\n");
        b.append("  \"settings\": {");
        int i = 0;
        for (Map.Entry<String, Object> e : r.settings().entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append(quote(e.getKey())).append(": ").append(value(e.getValue()));
        }
        b.append("},\n  \"images\": [");
        for (int j = 0; j < r.images().size(); j++) {
            b.append(j == 0 ? "" : ", ").append("{\"name\": ").append(quote(r.images().get(j))).append(", \"class\": ")
                    .append(r.classes()[j]).append('}');
        }
        b.append("],\n  \"methods\": {\n");
        int mi = 0;
        for (String m : r.methods()) {
            b.append(mi++ == 0 ? "" : ",\n").append("    ").append(quote(m)).append(": {\n");
            b.append("      \"seconds_per_image\": ").append(jnum(r.seconds().get(m))).append(",\n");
            b.append("      \"summary\": {");
            int k = 0;
            for (Metric metric : r.metrics()) {
                EvaluationResult.Summary s = r.summary(m, metric);
                b.append(k++ == 0 ? "" : ", ").append(quote(metric.id())).append(": {\"mean\": ").append(jnum(s.mean()))
                        .append(", \"stderr\": ").append(jnum(s.stderr())).append(", \"n\": ").append(s.n()).append('}');
            }
            b.append("},\n      \"values\": {");
            k = 0;
            for (Metric metric : r.metrics()) {
                b.append(k++ == 0 ? "" : ", ").append(quote(metric.id())).append(": ")
                        .append(array(r.values().get(m).get(metric)));
            }
            b.append("},\n      \"curves\": {");
            k = 0;
            for (Map.Entry<Metric, Curve> c : r.curves().getOrDefault(m, Map.of()).entrySet()) {
                b.append(k++ == 0 ? "" : ", ").append(quote(c.getKey().id())).append(": {\"fractions\": ")
                        .append(array(c.getValue().fractions())).append(", \"scores\": ")
                        .append(array(c.getValue().scores())).append(", \"auc\": ").append(jnum(c.getValue().auc()))
                        .append('}');
            }
            b.append('}');
            List<SanityCheck.Result> rs = r.sanity().get(m);
            if (rs != null) {
                b.append(",\n      \"sanity\": {");
                k = 0;
                for (SanityCheck.Result s : rs) {
                    b.append(k++ == 0 ? "" : ", ").append(quote(s.mode().name().toLowerCase(Locale.ROOT)))
                            .append(": {\"layers\": [");
                    for (int l = 0; l < s.layers().size(); l++) {
                        b.append(l == 0 ? "" : ", ").append(quote(s.layers().get(l)));
                    }
                    b.append("], \"spearman\": ").append(array(s.meanSpearman())).append(", \"ssim\": ")
                            .append(array(s.meanSsim())).append('}');
                }
                b.append('}');
            }
            b.append("\n    }");
        }
        b.append("\n  }\n}\n");
        return b.toString();
    }

    private static String array(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(jnum(v[i]));
        }
        return b.append(']').toString();
    }

    private static String jnum(Double v) {
        return v == null || !Double.isFinite(v) ? "null" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String value(Object v) {
        if (v instanceof Number n) {
            return n.toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                b.append(i++ == 0 ? "" : ", ").append(quote(String.valueOf(e.getKey()))).append(": ")
                        .append(value(e.getValue()));
            }
            return b.append('}').toString();
        }
        return quote(String.valueOf(v));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Writes the charts; returns (file, caption) pairs. */
    private static List<String[]> charts(EvaluationResult r, Path dir) {
        List<String[]> out = new ArrayList<>();
        for (Metric k : List.of(Metric.DELETION, Metric.INSERTION, Metric.AOPC)) {
            if (!r.metrics().contains(k)) {
                continue;
            }
            LineChart.Builder b = LineChart.builder(switch (k) {
                case DELETION -> "Deletion: class probability as the most relevant pixels are removed (lower is better)";
                case INSERTION -> "Insertion: class probability as the most relevant pixels are restored (higher is better)";
                default -> "Pixel flipping (MoRF): class probability as the most relevant 4x4 regions are randomised";
            }).xLabel("fraction of pixels " + (k == Metric.INSERTION ? "inserted" : "perturbed"))
                    .yLabel("mean softmax probability of the class").size(980, 620);
            int i = 0;
            for (String m : r.methods()) {
                Curve c = r.curves().getOrDefault(m, Map.of()).get(k);
                if (c != null) {
                    b.series(String.format(Locale.ROOT, "%s (%s %.3f)", m, k == Metric.AOPC ? "AOPC"
                            : "AUC", k == Metric.AOPC ? r.summary(m, k).mean() : r.summary(m, k).mean()), c.fractions(),
                            c.scores(), colour(i));
                }
                i++;
            }
            String file = k.id() + ".png";
            b.build().write(dir.resolve(file));
            out.add(new String[] {file, k.description() + ", mean curve over " + r.images().size() + " images"});
        }
        if (!r.sanity().isEmpty()) {
            for (SanityCheck.Mode mode : SanityCheck.Mode.values()) {
                for (boolean ssim : new boolean[] {false, true}) {
                    List<String> layers = null;
                    LineChart.Builder b = LineChart.builder((mode == SanityCheck.Mode.CASCADING ? "Cascading"
                            : "Independent") + " randomisation: " + (ssim ? "SSIM" : "Spearman ρ") + " of |map| with the original")
                            .xLabel((mode == SanityCheck.Mode.CASCADING ? "randomised down to layer (output first)"
                                    : "randomised layer") + "; lower = passes; layer names abbreviated (layer → L, "
                                    + "downsample → ds)").yLabel(ssim ? "SSIM" : "Spearman ρ").size(1200, 620);
                    int i = 0;
                    for (String m : r.methods()) {
                        for (SanityCheck.Result s : r.sanity().getOrDefault(m, List.of())) {
                            if (s.mode() != mode) {
                                continue;
                            }
                            layers = new ArrayList<>();
                            layers.add("original");
                            for (String l : s.layers()) {
                                layers.add(abbreviate(l));
                            }
                            double[] v = ssim ? s.meanSsim() : s.meanSpearman();
                            double[] xs = new double[v.length + 1];
                            double[] ys = new double[v.length + 1];
                            ys[0] = 1;
                            for (int j = 0; j < v.length; j++) {
                                xs[j + 1] = j + 1;
                                ys[j + 1] = v[j];
                            }
                            b.series(m, xs, ys, colour(i));
                        }
                        i++;
                    }
                    if (layers != null) {
                        b.xCategories(layers);
                        String file = "sanity-" + mode.name().toLowerCase(Locale.ROOT) + (ssim ? "-ssim" : "-spearman")
                                + ".png";
                        b.build().write(dir.resolve(file));
                        out.add(new String[] {file, "Sanity check, " + mode.name().toLowerCase(Locale.ROOT)
                                + " randomisation, " + (ssim ? "SSIM" : "Spearman ρ") + " (mean over "
                                + r.settings().get("sanity_images") + " images)"});
                    }
                }
            }
        }
        for (Metric k : r.metrics()) {
            BarChart.Builder b = BarChart.builder(k.description() + (k.higherIsBetter() ? " — higher is better"
                    : " — lower is better")).axisLabel("mean ± standard error over images");
            boolean any = false;
            for (String m : r.ranking(k)) {
                EvaluationResult.Summary s = r.summary(m, k);
                if (!Double.isNaN(s.mean())) {
                    b.bar(m, s.mean(), Double.isNaN(s.stderr()) ? 0 : s.stderr());
                    any = true;
                }
            }
            if (any) {
                String file = "bar-" + k.id() + ".png";
                b.build().write(dir.resolve(file));
                out.add(new String[] {file, k.description() + ", methods best first"});
            }
        }
        return out;
    }

    /** Shortens a layer name for a tick label: "layer3.0.downsample.0" → "L3.0.ds.0". */
    static String abbreviate(String layer) {
        return layer.replaceAll("^layer", "L").replace("downsample", "ds");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String html(EvaluationResult r, List<String[]> charts) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation of explanations</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}"
                        + "td:first-child,th:first-child{text-align:left}td.best{font-weight:bold;background:#e8f4e8}"
                        + "img{max-width:100%;border:1px solid #eee;margin:8px 0}</style></head><body>\n");
        b.append("<h1>Evaluation of explanations</h1>\n<p>Model: ").append(esc(r.model())).append(". ")
                .append(r.images().size()).append(" images, ").append(r.methods().size()).append(" methods; target: ")
                .append(esc(String.valueOf(r.settings().get("target")))).append("; seed ")
                .append(esc(String.valueOf(r.settings().get("seed")))).append(".</p>\n");
        if (r.settings().get("chance_mask_area_fraction") instanceof Double chance) {
            b.append(String.format(java.util.Locale.ROOT, "<p>Chance level of the pointing games (mean area of the "
                    + "object masks: what a random point or a uniform map scores): %.3f.</p>%n", chance));
        }
        b.append("<h2>Summary</h2>\n<p>Mean ± standard error over images; the best method per column in bold. ")
                .append("Files: <a href=\"summary.csv\">summary.csv</a>, <a href=\"results.csv\">results.csv</a>, ")
                .append("<a href=\"curves.csv\">curves.csv</a>, ")
                .append(r.sanity().isEmpty() ? "" : "<a href=\"sanity.csv\">sanity.csv</a>, ")
                .append("<a href=\"result.json\">result.json</a>.</p>\n<table><tr><th>method</th>");
        for (Metric k : r.metrics()) {
            b.append("<th title=\"").append(esc(k.description())).append("\">").append(esc(k.id()))
                    .append(k.higherIsBetter() ? " ↑" : " ↓").append("</th>");
        }
        b.append("<th>s / image</th></tr>\n");
        for (String m : r.methods()) {
            b.append("<tr><td>").append(esc(m)).append("</td>");
            for (Metric k : r.metrics()) {
                EvaluationResult.Summary s = r.summary(m, k);
                boolean best = !Double.isNaN(s.mean()) && r.ranking(k).get(0).equals(m);
                b.append(best ? "<td class=\"best\">" : "<td>").append(Double.isNaN(s.mean()) ? "—"
                        : String.format(Locale.ROOT, "%.3f", s.mean()) + (Double.isNaN(s.stderr()) ? ""
                        : String.format(Locale.ROOT, " ± %.3f", s.stderr()))).append("</td>");
            }
            b.append("<td>").append(String.format(Locale.ROOT, "%.3f", r.seconds().get(m))).append("</td></tr>\n");
        }
        b.append("</table>\n<p>").append(r.metrics().contains(Metric.SANITY) ? "sanity = Spearman ρ between the map"
                + " and the map after cascading randomisation, averaged over the cascade's steps (lower passes). " : "")
                .append("↑ higher is better, ↓ lower is better.</p>\n<h2>Charts</h2>\n");
        for (String[] c : charts) {
            b.append("<figure><img src=\"").append(esc(c[0])).append("\" alt=\"").append(esc(c[1]))
                    .append("\"><figcaption>").append(esc(c[1])).append("</figcaption></figure>\n");
        }
        b.append("</body></html>\n");
        return b.toString();
    }
}
