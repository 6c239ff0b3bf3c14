package dev.netlens.explain.tabular;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the rows of a CSV file become the model's float input [N, F] — the encoding contract of
 * {@link dev.netlens.explain.tabular}:
 * <ul>
 *   <li>The features are all columns except the target column and the dropped ones, in CSV order.</li>
 *   <li>A column is numeric when the model metadata ({@code netlens.numeric}, a comma list of column
 *       names) or the caller says so — then every value must parse as a number, else the error
 *       names file, line and column — or, for other columns, when all its values parse as numbers.
 *       Every other column is categorical.</li>
 *   <li>A categorical column is encoded as the index of its value among the categories: the
 *       model's {@code netlens.categories.<column>} metadata (a comma list) when present — a value
 *       outside it is an error — else the sorted distinct values of the column in the given data.
 *       A column with {@code netlens.categories.<column>} metadata is categorical even if its
 *       values look numeric.</li>
 *   <li>Empty cells are errors: netlens does not impute missing values.</li>
 * </ul>
 * The schema is built from one file (the data the user gives) and can encode other files with the
 * same columns.
 */
public final class TabularSchema {
    /** Metadata key listing numeric columns. */
    public static final String NUMERIC_KEY = "netlens.numeric";
    /** Metadata key prefix for a categorical column's categories. */
    public static final String CATEGORIES_PREFIX = "netlens.categories.";

    private final List<Feature> features;
    private final String target;

    private TabularSchema(List<Feature> features, String target) {
        this.features = List.copyOf(features);
        this.target = target;
    }

    /**
     * Infers the schema of {@code data}.
     *
     * @param target the target column (excluded from the features), or null for none
     * @param drop further columns to leave out
     * @param numeric columns that must be numeric (e.g. from a {@code --numeric} option)
     * @param metadata the model's metadata ({@code netlens.numeric}, {@code netlens.categories.*}); may be empty
     */
    public static TabularSchema infer(CsvData data, String target, Collection<String> drop, Collection<String> numeric,
                                      Map<String, String> metadata) {
        if (target != null) {
            data.column(target, "--target-column");
        }
        for (String d : drop) {
            data.column(d, "--drop");
        }
        Set<String> mustBeNumeric = new LinkedHashSet<>(numeric);
        for (String n : numeric) {
            data.column(n, "--numeric");
        }
        String listed = metadata.get(NUMERIC_KEY);
        if (listed != null) {
            for (String s : listed.split(",")) {
                if (!s.isBlank()) {
                    mustBeNumeric.add(s.trim());
                }
            }
        }
        List<Feature> features = new ArrayList<>();
        for (int c = 0; c < data.header().size(); c++) {
            String name = data.header().get(c);
            if (name.equals(target) || drop.contains(name)) {
                continue;
            }
            for (int r = 0; r < data.rows(); r++) {
                if (data.value(r, c).isEmpty()) {
                    throw new IllegalArgumentException(data.where(r, c) + ": empty value; every feature needs a value "
                            + "(netlens does not impute missing values)");
                }
            }
            String cats = metadata.get(CATEGORIES_PREFIX + name);
            if (cats != null) {
                List<String> categories = Arrays.stream(cats.split(",")).map(String::trim).toList();
                features.add(new Feature(name, false, categories));
                continue;
            }
            boolean numericColumn = true;
            for (int r = 0; r < data.rows() && numericColumn; r++) {
                numericColumn = parses(data.value(r, c));
                if (!numericColumn && mustBeNumeric.contains(name)) {
                    throw new IllegalArgumentException(data.where(r, c) + ": '" + data.value(r, c)
                            + "' is not a number, but the column is numeric ("
                            + (numeric.contains(name) ? "--numeric" : "model metadata " + NUMERIC_KEY)
                            + "); expected a decimal number such as 42 or -1.5e3");
                }
            }
            if (numericColumn) {
                features.add(new Feature(name, true, List.of()));
            } else {
                TreeSet<String> distinct = new TreeSet<>();
                for (int r = 0; r < data.rows(); r++) {
                    distinct.add(data.value(r, c));
                }
                features.add(new Feature(name, false, new ArrayList<>(distinct)));
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException(data.file() + ": no feature columns left (header " + data.header()
                    + ", target " + target + ", dropped " + drop + ")");
        }
        return new TabularSchema(features, target);
    }

    /** A schema given directly (for library users and tests). */
    public static TabularSchema of(List<Feature> features, String target) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a tabular schema needs at least one feature");
        }
        return new TabularSchema(features, target);
    }

    static boolean parses(String s) {
        if (s.isEmpty()) {
            return false;
        }
        try {
            double v = Double.parseDouble(s);
            return !Double.isNaN(v) && !s.endsWith("d") && !s.endsWith("D") && !s.endsWith("f") && !s.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The features in model input order. */
    public List<Feature> features() {
        return features;
    }

    /** Number of features F. */
    public int size() {
        return features.size();
    }

    /** The target column, or null. */
    public String target() {
        return target;
    }

    /** Feature names in input order. */
    public List<String> names() {
        return features.stream().map(Feature::name).toList();
    }

    /** Index of feature {@code name}, or an error listing the features. */
    public int index(String name) {
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no feature column named '" + name + "'; the features are " + names()
                + (name.equals(target) ? " ('" + name + "' is the target column)" : ""));
    }

    /** Encodes every row of {@code data} as floats [N][F]; errors name file, line and column. */
    public double[][] encode(CsvData data) {
        int[] cols = new int[features.size()];
        for (int f = 0; f < cols.length; f++) {
            cols[f] = data.column(features.get(f).name(), "the model's feature list");
        }
        double[][] x = new double[data.rows()][features.size()];
        for (int r = 0; r < data.rows(); r++) {
            for (int f = 0; f < cols.length; f++) {
                Feature ft = features.get(f);
                String s = data.value(r, cols[f]);
                if (ft.numeric()) {
                    if (!parses(s)) {
                        throw new IllegalArgumentException(data.where(r, cols[f]) + ": '" + s
                                + "' is not a number, but the column is numeric; expected a decimal number such as 42 or -1.5e3");
                    }
                    x[r][f] = (float) Double.parseDouble(s);
                } else {
                    int k = ft.categories().indexOf(s);
                    if (k < 0) {
                        throw new IllegalArgumentException(data.where(r, cols[f]) + ": '" + s
                                + "' is not one of the column's categories " + ft.categories());
                    }
                    x[r][f] = k;
                }
            }
        }
        return x;
    }
}
