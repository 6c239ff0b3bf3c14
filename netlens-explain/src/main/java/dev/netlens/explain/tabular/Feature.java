package dev.netlens.explain.tabular;

import java.util.List;
import java.util.Locale;

/**
 * One model input column: its name, its CSV column, and how it is encoded as a float — numeric
 * columns as their value, categorical columns as the index of the value in {@code categories}.
 *
 * @param name the CSV column name
 * @param numeric true for a numeric column, false for a categorical one
 * @param categories the categories of a categorical column in encoding order (index = encoded value);
 *     empty for numeric columns
 */
public record Feature(String name, boolean numeric, List<String> categories) {
    public Feature {
        categories = List.copyOf(categories);
    }

    /** A readable value: the number, or the category name for a categorical column. */
    public String describe(double encoded) {
        if (numeric) {
            return format(encoded);
        }
        int k = (int) Math.round(encoded);
        return k >= 0 && k < categories.size() ? categories.get(k) : format(encoded);
    }

    /** A number in short plain form (integers without decimals). */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
