package dev.netlens.explain.tabular;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file read whole and strictly: a header line naming the columns, then rows with exactly as
 * many fields (RFC 4180 quoting; blank lines are skipped; a UTF-8 byte order mark is ignored).
 * Every error is an {@link IllegalArgumentException} naming the file and line, so the user can open
 * the file at the place that is wrong.
 */
public final class CsvData {
    private final Path file;
    private final List<String> header;
    private final List<String[]> rows;
    private final int[] lines;

    private CsvData(Path file, List<String> header, List<String[]> rows, int[] lines) {
        this.file = file;
        this.header = List.copyOf(header);
        this.rows = rows;
        this.lines = lines;
    }

    /** Reads and checks {@code file}. */
    public static CsvData read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("data file " + file + " does not exist or is not a file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses CSV text; {@code file} is only used in messages. */
    public static CsvData parse(Path file, String text) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<String[]> records = new ArrayList<>();
        List<Integer> recordLines = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int startLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            boolean end = false;
            while (i < n && !end) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        f.append(c);
                    }
                } else if (c == '"' && f.length() == 0 && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    fields.add(f.toString());
                    f.setLength(0);
                    wasQuoted = false;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    line++;
                    end = true;
                } else {
                    f.append(c);
                }
                i++;
            }
            if (quoted) {
                throw new IllegalArgumentException(file + ", line " + startLine + ": a quoted field is not closed (missing \")");
            }
            fields.add(f.toString());
            if (fields.size() == 1 && fields.get(0).isBlank() && !wasQuoted) {
                continue;
            }
            records.add(fields.toArray(new String[0]));
            recordLines.add(startLine);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + ": the file is empty; expected a header line naming the columns, then data rows");
        }
        List<String> header = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] h = records.get(0);
        for (int c = 0; c < h.length; c++) {
            String name = h[c].trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException(file + ", line " + recordLines.get(0) + ": column " + (c + 1)
                        + " of the header has no name; every column needs a name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(file + ", line " + recordLines.get(0) + ": column name '" + name
                        + "' appears twice in the header; column names must be unique");
            }
            header.add(name);
        }
        if (records.size() == 1) {
            throw new IllegalArgumentException(file + ": the file has a header but no data rows");
        }
        List<String[]> rows = new ArrayList<>();
        int[] lines = new int[records.size() - 1];
        for (int r = 1; r < records.size(); r++) {
            String[] row = records.get(r);
            if (row.length != header.size()) {
                throw new IllegalArgumentException(file + ", line " + recordLines.get(r) + ": " + row.length
                        + " fields, but the header has " + header.size() + " columns " + header
                        + "; every row needs one value per column");
            }
            for (int c = 0; c < row.length; c++) {
                row[c] = row[c].trim();
            }
            rows.add(row);
            lines[r - 1] = recordLines.get(r);
        }
        return new CsvData(file, header, rows, lines);
    }

    /** The file (for messages). */
    public Path file() {
        return file;
    }

    /** Column names in file order. */
    public List<String> header() {
        return header;
    }

    /** Number of data rows. */
    public int rows() {
        return rows.size();
    }

    /** The value at data row {@code row} (0-based) and column index {@code column}. */
    public String value(int row, int column) {
        return rows.get(row)[column];
    }

    /** The 1-based line number of data row {@code row} (0-based) in the file. */
    public int line(int row) {
        return lines[row];
    }

    /** Index of column {@code name}, or an error naming the {@code option} that asked for it and the columns there are. */
    public int column(String name, String option) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException(file + ": no column named '" + name + "' (asked for by " + option
                    + "); the header has columns " + header);
        }
        return c;
    }

    /** A message prefix naming the file, line and column of a cell. */
    public String where(int row, int column) {
        return file + ", line " + line(row) + ", column '" + header.get(column) + "'";
    }
}
