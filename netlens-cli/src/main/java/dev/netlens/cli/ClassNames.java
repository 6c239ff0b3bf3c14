package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import java.util.ArrayList;
import java.util.List;

/** Class names from a model's {@code netlens.classes} metadata (a JSON array of strings). */
final class ClassNames {
    private ClassNames() {
    }

    /** The names, or null when absent or when their number is not {@code count}. */
    static List<String> of(Graph g, int count) {
        return of(g.metadata(), count);
    }

    /** The names from model metadata, or null when absent or when their number is not {@code count}. */
    static List<String> of(java.util.Map<String, String> metadata, int count) {
        String json = metadata.get("netlens.classes");
        if (json == null) {
            return null;
        }
        List<String> names = parse(json);
        return names != null && names.size() == count ? names : null;
    }

    /** A JSON array of the names (for {@code netlens.classes}). */
    static String toJson(List<String> names) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            b.append(i == 0 ? "" : ",").append('"')
                    .append(names.get(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        }
        return b.append(']').toString();
    }

    /** Parses a JSON array of strings (with \" and \\ escapes); null when malformed. */
    static List<String> parse(String json) {
        String s = json.trim();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        int i = 1;
        while (i < s.length() - 1) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == ',') {
                i++;
                continue;
            }
            if (c != '"') {
                return null;
            }
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length() - 1 && s.charAt(i) != '"') {
                if (s.charAt(i) == '\\' && i + 1 < s.length() - 1) {
                    i++;
                    char e = s.charAt(i);
                    b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                } else {
                    b.append(s.charAt(i));
                }
                i++;
            }
            out.add(b.toString());
            i++;
        }
        return out;
    }
}
