package dev.netlens.explain;

import dev.netlens.core.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The result of an attribution method: the attribution map, and its provenance — method,
 * parameters, target, model SHA-256, seed, netlens version — plus method-specific extras (e.g.
 * integrated gradients' convergence delta). {@link #provenanceJson()} is what is written beside the
 * PNG/NPY.
 *
 * @param map attributions: the input's shape for input methods, [N, 1, h, w] for CAM methods
 * @param method registry name, e.g. "integrated-gradients"
 * @param parameters the method's settings (defaults included), in a stable order
 * @param target what was explained, e.g. "class 281"
 * @param modelSha256 the model file's SHA-256, or ""
 * @param extras additional per-item results by name
 */
public record Explanation(Tensor map, String method, Map<String, Object> parameters, String target,
                          String modelSha256, Map<String, Tensor> extras) {

    public Explanation {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** An explanation without extras. */
    public static Explanation of(Tensor map, String method, Map<String, Object> parameters, Target target,
                                 ExplainedModel model) {
        return new Explanation(map, method, parameters, target.describe(), model.sha256(), Map.of());
    }

    /** An explanation without extras, for a model known by its file hash ("" when built in code). */
    public static Explanation of(Tensor map, String method, Map<String, Object> parameters, Target target,
                                 String modelSha256) {
        return new Explanation(map, method, parameters, target.describe(), modelSha256, Map.of());
    }

    /** The same explanation with one more extra. */
    public Explanation withExtra(String name, Tensor value) {
        Map<String, Tensor> e = new LinkedHashMap<>(extras);
        e.put(name, value);
        return new Explanation(map, method, parameters, target, modelSha256, e);
    }

    /** Provenance as a JSON object (small extras such as per-item deltas are included). */
    public String provenanceJson() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"method\": ").append(quote(method)).append(",\n");
        b.append("  \"parameters\": {");
        int i = 0;
        for (Map.Entry<String, Object> e : parameters.entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append(quote(e.getKey())).append(": ").append(value(e.getValue()));
        }
        b.append("},\n");
        b.append("  \"target\": ").append(quote(target)).append(",\n");
        b.append("  \"model_sha256\": ").append(quote(modelSha256)).append(",\n");
        b.append("  \"shape\": ").append(java.util.Arrays.toString(map.shape())).append(",\n");
        b.append("  \"netlens_version\": ").append(quote(version()));
        for (Map.Entry<String, Tensor> e : extras.entrySet()) {
            if (e.getValue().size() <= 64) {
                b.append(",\n  ").append(quote(e.getKey())).append(": ").append(floats(e.getValue().data()));
            }
        }
        return b.append("\n}\n").toString();
    }

    private static String version() {
        String v = Explanation.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String floats(float[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(Float.isFinite(v[i]) ? String.format(Locale.ROOT, "%s", v[i]) : "null");
        }
        return b.append(']').toString();
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof int[] a) {
            return java.util.Arrays.toString(a);
        }
        if (v instanceof float[] a) {
            return floats(a);
        }
        return quote(v.toString());
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
}
