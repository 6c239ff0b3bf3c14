package dev.netlens.dissect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes one layer's dissection as NetDissect-Lite's {@code tally.csv} (Bau et al. 2017): one row
 * per unit, in unit order, with the columns
 * <pre>unit,category,label,score,&lt;cat&gt;-label,&lt;cat&gt;-iou,…</pre>
 * where {@code unit} counts from 1 as in NetDissect-Lite (channel index + 1), {@code category},
 * {@code label} and {@code score} are the unit's best concept over all categories and its IoU, and
 * each category contributes its best concept and IoU. IoUs have 6 decimals; a category without
 * concepts has an empty label and IoU 0.
 */
public final class TallyCsv {
    private TallyCsv() {
    }

    /** The CSV text. */
    public static String format(LayerDissection layer) {
        StringBuilder sb = new StringBuilder("unit,category,label,score");
        for (String c : layer.categories()) {
            sb.append(',').append(escape(c + "-label")).append(',').append(escape(c + "-iou"));
        }
        sb.append('\n');
        for (UnitDissection u : layer.units()) {
            ConceptScore b = u.best();
            sb.append(u.unit() + 1).append(',').append(escape(b == null ? "" : b.category())).append(',')
                    .append(escape(b == null ? "" : b.label())).append(',').append(number(b == null ? 0 : b.iou()));
            for (String c : layer.categories()) {
                ConceptScore s = u.bestPerCategory().get(c);
                sb.append(',').append(escape(s == null ? "" : s.label())).append(',')
                        .append(number(s == null ? 0 : s.iou()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes {@link #format} to {@code file} (parent folders created).
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(LayerDissection layer, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, format(layer), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    static String escape(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
