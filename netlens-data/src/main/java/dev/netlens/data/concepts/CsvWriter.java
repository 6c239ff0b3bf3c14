package dev.netlens.data.concepts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Builds a CSV file in memory (quoting fields only when they need it) and writes it with '\n' line ends. */
final class CsvWriter {
    private final StringBuilder text = new StringBuilder();

    CsvWriter(String... header) {
        row((Object[]) header);
    }

    /** Appends one row; numbers are written with {@link #format}. */
    CsvWriter row(Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(quote(format(fields[i])));
        }
        text.append('\n');
        return this;
    }

    /** Doubles with 6 decimals (Broden's style, locale-independent); everything else with toString. */
    static String format(Object value) {
        if (value instanceof Double d) {
            return String.format(Locale.ROOT, "%.6f", d);
        }
        if (value instanceof Float f) {
            return String.format(Locale.ROOT, "%.2f", f);
        }
        return String.valueOf(value);
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    void write(Path file) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
