package dev.netlens.explain.tabular;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The target column as class indices: with class names (the model's {@code netlens.classes}) a
 * value is a class name or an index 0…K−1; without, integer values are class indices and any other
 * values are the sorted distinct values. Errors name file, line and column.
 */
public final class TargetEncoding {
    private TargetEncoding() {
    }

    /** Class names and the class index of every row. */
    public record Labels(List<String> classes, int[] labels) {
    }

    /** Encodes the target column {@code column} of {@code data}; {@code classNames} may be null. */
    public static Labels classes(CsvData data, String column, List<String> classNames) {
        int c = data.column(column, "--target-column");
        int n = data.rows();
        int[] labels = new int[n];
        if (classNames != null && !classNames.isEmpty()) {
            for (int r = 0; r < n; r++) {
                String s = data.value(r, c);
                int k = classNames.indexOf(s);
                if (k < 0 && s.matches("\\d+") && s.length() < 9) {
                    k = Integer.parseInt(s);
                    if (k >= classNames.size()) {
                        k = -1;
                    }
                }
                if (k < 0) {
                    throw new IllegalArgumentException(data.where(r, c) + ": '" + s + "' is not a class of the model; "
                            + "expected one of " + classNames + " or an index 0…" + (classNames.size() - 1));
                }
                labels[r] = k;
            }
            return new Labels(List.copyOf(classNames), labels);
        }
        boolean integers = true;
        int max = 0;
        for (int r = 0; r < n && integers; r++) {
            String s = data.value(r, c);
            integers = s.matches("\\d{1,8}");
            if (integers) {
                max = Math.max(max, Integer.parseInt(s));
            }
        }
        if (integers) {
            List<String> names = new ArrayList<>();
            for (int k = 0; k <= max; k++) {
                names.add(Integer.toString(k));
            }
            for (int r = 0; r < n; r++) {
                labels[r] = Integer.parseInt(data.value(r, c));
            }
            return new Labels(names, labels);
        }
        TreeSet<String> distinct = new TreeSet<>();
        for (int r = 0; r < n; r++) {
            if (data.value(r, c).isEmpty()) {
                throw new IllegalArgumentException(data.where(r, c) + ": empty target value; every row needs a label");
            }
            distinct.add(data.value(r, c));
        }
        List<String> names = new ArrayList<>(distinct);
        for (int r = 0; r < n; r++) {
            labels[r] = names.indexOf(data.value(r, c));
        }
        return new Labels(names, labels);
    }

    /** The target column as numbers (regression); a non-numeric value is an error naming its cell. */
    public static double[] values(CsvData data, String column) {
        int c = data.column(column, "--target-column");
        double[] y = new double[data.rows()];
        for (int r = 0; r < y.length; r++) {
            String s = data.value(r, c);
            if (!TabularSchema.parses(s)) {
                throw new IllegalArgumentException(data.where(r, c) + ": '" + s
                        + "' is not a number, but the model is a regression (one output); expected a decimal number");
            }
            y[r] = Double.parseDouble(s);
        }
        return y;
    }
}
