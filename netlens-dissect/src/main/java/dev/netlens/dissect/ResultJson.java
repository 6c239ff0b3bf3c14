package dev.netlens.dissect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link DissectionResult} as {@code result.json} (Bau et al. 2017's per-unit labels with
 * netlens provenance):
 * <pre>{@code
 * {"provenance": {...},
 *  "layers": [{"layer": "conv4", "iou_threshold": 0.04, "units": 64, "detectors": 17,
 *              "unique_concepts": 9, "detectors_per_category": {...}, "unique_concepts_per_category": {...},
 *              "units_detail": [{"unit": 1, "channel": 0, "threshold": 1.23, "threshold_rank_error": 1e-5,
 *                                "detector": true, "category": "color", "label": "red", "iou": 0.31,
 *                                "per_category": {"color": {"label": "red", "iou": 0.31}, ...},
 *                                "top_images": [12, 40], "top_activations": [5.1, 4.9]}]}]}
 * }</pre>
 * {@code unit} counts from 1 as in {@code tally.csv}; {@code channel} is the 0-based channel index.
 */
public final class ResultJson {
    private ResultJson() {
    }

    /** The JSON text. */
    public static String format(DissectionResult result) {
        StringBuilder sb = new StringBuilder("{\n  \"provenance\": ");
        object(sb, result.provenance());
        sb.append(",\n  \"layers\": [");
        boolean firstLayer = true;
        for (LayerDissection l : result.layers()) {
            sb.append(firstLayer ? "\n" : ",\n");
            firstLayer = false;
            sb.append("    {\"layer\": ").append(string(l.layer()))
                    .append(", \"iou_threshold\": ").append(number(l.iouThreshold()))
                    .append(", \"units\": ").append(l.units().size())
                    .append(", \"detectors\": ").append(l.detectors().size())
                    .append(", \"unique_concepts\": ").append(l.uniqueConcepts())
                    .append(",\n     \"detectors_per_category\": ");
            counts(sb, l.detectorsPerCategory());
            sb.append(", \"unique_concepts_per_category\": ");
            counts(sb, l.uniqueConceptsPerCategory());
            sb.append(",\n     \"units_detail\": [");
            boolean firstUnit = true;
            for (UnitDissection u : l.units()) {
                sb.append(firstUnit ? "\n" : ",\n");
                firstUnit = false;
                unit(sb, u);
            }
            sb.append("]}");
        }
        sb.append("]\n}\n");
        return sb.toString();
    }

    private static void unit(StringBuilder sb, UnitDissection u) {
        ConceptScore b = u.best();
        sb.append("      {\"unit\": ").append(u.unit() + 1).append(", \"channel\": ").append(u.unit())
                .append(", \"threshold\": ").append(number(u.threshold()))
                .append(", \"threshold_rank_error\": ").append(number(u.thresholdRankError()))
                .append(", \"detector\": ").append(u.detector())
                .append(", \"category\": ").append(b == null ? "null" : string(b.category()))
                .append(", \"label\": ").append(b == null ? "null" : string(b.label()))
                .append(", \"iou\": ").append(number(b == null ? 0 : b.iou()))
                .append(", \"per_category\": {");
        boolean first = true;
        for (Map.Entry<String, ConceptScore> e : u.bestPerCategory().entrySet()) {
            sb.append(first ? "" : ", ").append(string(e.getKey())).append(": ");
            first = false;
            ConceptScore s = e.getValue();
            sb.append(s == null ? "null" : "{\"label\": " + string(s.label()) + ", \"iou\": " + number(s.iou()) + "}");
        }
        sb.append("}, \"top_images\": [");
        int[] images = u.topImages();
        float[] acts = u.topActivations();
        for (int i = 0; i < images.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(images[i]);
        }
        sb.append("], \"top_activations\": [");
        for (int i = 0; i < acts.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(number(acts[i]));
        }
        sb.append("]}");
    }

    /**
     * Writes {@link #format} to {@code file} (parent folders created).
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(DissectionResult result, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, format(result), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void object(StringBuilder sb, Map<String, String> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            sb.append(first ? "" : ", ").append(string(e.getKey())).append(": ").append(string(e.getValue()));
            first = false;
        }
        sb.append('}');
    }

    private static void counts(StringBuilder sb, Map<String, Integer> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            sb.append(first ? "" : ", ").append(string(e.getKey())).append(": ").append(e.getValue());
            first = false;
        }
        sb.append('}');
    }

    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v) + ".0";
        }
        return String.format(Locale.ROOT, "%.8g", v).replaceFirst("0+(e|$)", "$1").replaceFirst("\\.(e|$)", ".0$1");
    }

    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
