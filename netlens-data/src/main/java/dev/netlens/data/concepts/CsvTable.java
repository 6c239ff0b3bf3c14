package dev.netlens.data.concepts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CSV file read whole: a header and rows of strings (RFC 4180 quoting: fields may be quoted
 * with {@code "}, doubled quotes inside a quoted field stand for one). Every error message names
 * the file and the line, so a user can open the file at the place that is wrong.
 */
final class CsvTable {
    private final Path file;
    private final List<String> header;
    private final Map<String, Integer> columns;
    private final List<String[]> rows;
    private final List<Integer> lines;

    private CsvTable(Path file, List<String> header, List<String[]> rows, List<Integer> lines) {
        this.file = file;
        this.header = header;
        this.rows = rows;
        this.lines = lines;
        this.columns = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i), i);
        }
    }

    /**
     * Reads a CSV file with a header line.
     *
     * @throws IllegalArgumentException when the file is missing, empty, or a row has more fields
     *     than the header
     */
    static CsvTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": file does not exist");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<String[]> records = new ArrayList<>();
        List<Integer> recordLines = new ArrayList<>();
        parse(file, text, records, recordLines);
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + ": file is empty; expected a header line");
        }
        List<String> header = new ArrayList<>();
        for (String h : records.get(0)) {
            header.add(h.trim());
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            String[] row = records.get(r);
            if (row.length == 1 && row[0].isEmpty()) {
                continue;
            }
            if (row.length > header.size()) {
                throw new IllegalArgumentException(file + ", line " + recordLines.get(r) + ": " + row.length
                        + " fields but the header has " + header.size() + " columns " + header);
            }
            if (row.length < header.size()) {
                row = Arrays.copyOf(row, header.size());
                for (int i = 0; i < row.length; i++) {
                    if (row[i] == null) {
                        row[i] = "";
                    }
                }
            }
            rows.add(row);
            lines.add(recordLines.get(r));
        }
        return new CsvTable(file, List.copyOf(header), rows, lines);
    }

    private static void parse(Path file, String text, List<String[]> records, List<Integer> recordLines) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean any = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
                continue;
            }
            switch (ch) {
                case '"' -> {
                    quoted = true;
                    any = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    any = true;
                }
                case '\r' -> {
                }
                case '\n' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    records.add(fields.toArray(String[]::new));
                    recordLines.add(recordLine);
                    fields.clear();
                    any = false;
                    line++;
                    recordLine = line;
                }
                default -> {
                    field.append(ch);
                    any = true;
                }
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + ", line " + recordLine + ": unterminated quoted field");
        }
        if (any || field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(fields.toArray(String[]::new));
            recordLines.add(recordLine);
        }
    }

    Path file() {
        return file;
    }

    List<String> header() {
        return header;
    }

    int size() {
        return rows.size();
    }

    /** The fields of data row {@code r} (0-based, header excluded). */
    String[] row(int r) {
        return rows.get(r);
    }

    /** The 1-based line number of data row {@code r} in the file. */
    int line(int r) {
        return lines.get(r);
    }

    boolean has(String column) {
        return columns.containsKey(column);
    }

    /** The index of a column, or -1. */
    int indexOf(String column) {
        return columns.getOrDefault(column, -1);
    }

    /**
     * Checks that every named column is present.
     *
     * @throws IllegalArgumentException naming the file, the missing columns and the header found
     */
    CsvTable require(String... names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (!columns.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(file + ", line 1: missing column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + "; the header is " + String.join(",", header) + ", expected "
                    + String.join(",", names));
        }
        return this;
    }

    /** Field {@code column} of row {@code r}, trimmed. */
    String get(int r, String column) {
        return rows.get(r)[columns.get(column)].trim();
    }

    /** Field {@code column} of row {@code r} as an int. */
    int getInt(int r, String column) {
        String s = get(r, column);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error(r, "column " + column + " must be an integer, got '" + s + "'");
        }
    }

    /** Field {@code column} of row {@code r} as a double; an empty field is 0. */
    double getDouble(int r, String column) {
        String s = get(r, column);
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error(r, "column " + column + " must be a number, got '" + s + "'");
        }
    }

    /** An exception naming this file, the line of row {@code r} and the problem. */
    IllegalArgumentException error(int r, String problem) {
        return new IllegalArgumentException(file + ", line " + line(r) + ": " + problem);
    }
}
