package dev.netlens.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The demo's report page: what ran, the attribution grid and the dissection, linked from one index.html. */
final class DemoIndex {
    private DemoIndex() {
    }

    static Path write(Path dir, List<String> engine, String bundled, String gridFile, DemoConcepts.Summary concepts) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>netlens demo</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;max-width:1200px;color:#222}")
                .append("pre{background:#f5f5f5;padding:8px;white-space:pre-wrap}img{max-width:100%;height:auto}")
                .append("</style></head><body>\n<h1>netlens demo</h1>\n");
        h.append("<h2>1. Engine checks</h2>\n<pre>");
        for (String line : engine) {
            h.append(esc(line)).append('\n');
        }
        h.append("</pre>\n<h2>2. The bundled Fashion-MNIST model explains its predictions</h2>\n<p>")
                .append(esc(bundled)).append("</p>\n<img src=\"").append(gridFile)
                .append("\" alt=\"attribution grid: saliency, integrated gradients, guided backprop, Grad-CAM, LRP\">\n");
        h.append("<h2>3. What the units of the bundled concept model detect</h2>\n<pre>");
        for (String line : concepts.lines()) {
            h.append(esc(line)).append('\n');
        }
        h.append("</pre>\n<p><a href=\"dissection/index.html\">Open the dissection report</a> (unit cards with top images "
                + "and masks, sortable table of all units).</p>\n</body></html>\n");
        Path index = dir.resolve("index.html");
        try {
            Files.writeString(index, h.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + index, e);
        }
        return index;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
