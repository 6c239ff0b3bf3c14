package dev.netlens.explain.tabular;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A CART decision tree (Breiman, Friedman, Olshen, Stone, "Classification and Regression Trees",
 * 1984): greedy binary splits chosen by the largest impurity decrease — Gini impurity for
 * classification, variance (squared error) for regression — down to a maximum depth, with at
 * least {@code minLeaf} rows per leaf. Numeric features split at midpoints between consecutive
 * distinct values ({@code x ≤ t}); categorical features split one category against the rest
 * ({@code x == c}), which keeps the rules readable. Ties go to the earlier feature and threshold,
 * so training is deterministic.
 */
public final class DecisionTree {
    private final TabularSchema schema;
    private final Node root;
    private final boolean regression;
    private final List<String> classNames;

    /** A node: a leaf (feature = −1) or a split; {@code value} is the class or the mean. */
    record Node(int feature, double threshold, Node left, Node right, double value, int count, double purity) {
        boolean leaf() {
            return feature < 0;
        }
    }

    private DecisionTree(TabularSchema schema, Node root, boolean regression, List<String> classNames) {
        this.schema = schema;
        this.root = root;
        this.regression = regression;
        this.classNames = classNames;
    }

    /** A classification tree (Gini) on class indices 0…K−1; {@code classNames} label the leaves (may be null). */
    public static DecisionTree classifier(TabularSchema schema, double[][] x, int[] y, int maxDepth, int minLeaf,
                                          List<String> classNames) {
        check(x, y.length, maxDepth, minLeaf);
        double[] v = Arrays.stream(y).asDoubleStream().toArray();
        int k = Arrays.stream(y).max().orElse(0) + 1;
        Builder b = new Builder(schema, x, v, false, k, minLeaf);
        return new DecisionTree(schema, b.grow(allRows(x.length), 0, maxDepth), false, classNames);
    }

    /** A regression tree (variance) on real targets. */
    public static DecisionTree regressor(TabularSchema schema, double[][] x, double[] y, int maxDepth, int minLeaf) {
        check(x, y.length, maxDepth, minLeaf);
        Builder b = new Builder(schema, x, y, true, 0, minLeaf);
        return new DecisionTree(schema, b.grow(allRows(x.length), 0, maxDepth), true, null);
    }

    private static void check(double[][] x, int n, int maxDepth, int minLeaf) {
        if (x.length == 0 || x.length != n) {
            throw new IllegalArgumentException("a tree needs rows with one target each; got " + x.length + " rows, " + n + " targets");
        }
        if (maxDepth < 0 || minLeaf < 1) {
            throw new IllegalArgumentException("tree depth must be ≥ 0 and min leaf ≥ 1, got " + maxDepth + " and " + minLeaf);
        }
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Prediction for an encoded row: a class index (as double) or a value. */
    public double predict(double[] row) {
        Node n = root;
        while (!n.leaf()) {
            n = goesLeft(n, row[n.feature()]) ? n.left() : n.right();
        }
        return n.value();
    }

    private boolean goesLeft(Node n, double v) {
        return schema.features().get(n.feature()).numeric() ? v <= n.threshold() : Math.round(v) == Math.round(n.threshold());
    }

    /** Number of leaves. */
    public int leaves() {
        return count(root);
    }

    private static int count(Node n) {
        return n.leaf() ? 1 : count(n.left()) + count(n.right());
    }

    /** Depth of the tree (0 = a single leaf). */
    public int depth() {
        return depth(root);
    }

    private static int depth(Node n) {
        return n.leaf() ? 0 : 1 + Math.max(depth(n.left()), depth(n.right()));
    }

    /** The tree as nested if/else rules with column and category names. */
    public String rules() {
        StringBuilder sb = new StringBuilder();
        write(root, 0, sb);
        return sb.toString();
    }

    private void write(Node n, int indent, StringBuilder sb) {
        String pad = "  ".repeat(indent);
        if (n.leaf()) {
            sb.append(pad).append("predict ").append(leafText(n)).append('\n');
            return;
        }
        Feature ft = schema.features().get(n.feature());
        String cond = ft.numeric() ? ft.name() + " <= " + Feature.format(n.threshold())
                : ft.name() + " == " + ft.describe(n.threshold());
        sb.append(pad).append("if ").append(cond).append(":\n");
        write(n.left(), indent + 1, sb);
        sb.append(pad).append("else:  # ").append(ft.numeric() ? ft.name() + " > " + Feature.format(n.threshold())
                : ft.name() + " != " + ft.describe(n.threshold())).append('\n');
        write(n.right(), indent + 1, sb);
    }

    private String leafText(Node n) {
        if (regression) {
            return String.format(Locale.ROOT, "%s  (%d rows, std %s)", Feature.format(n.value()), n.count(),
                    Feature.format(n.purity()));
        }
        int c = (int) n.value();
        String name = classNames != null && c < classNames.size() ? classNames.get(c) : Integer.toString(c);
        return String.format(Locale.ROOT, "class %s  (%d rows, %.0f%% of them)", name, n.count(), 100 * n.purity());
    }

    private static final class Builder {
        private final TabularSchema schema;
        private final double[][] x;
        private final double[] y;
        private final boolean regression;
        private final int classes;
        private final int minLeaf;

        Builder(TabularSchema schema, double[][] x, double[] y, boolean regression, int classes, int minLeaf) {
            this.schema = schema;
            this.x = x;
            this.y = y;
            this.regression = regression;
            this.classes = classes;
            this.minLeaf = minLeaf;
        }

        Node grow(int[] rows, int depth, int maxDepth) {
            Node leaf = leaf(rows);
            if (depth >= maxDepth || rows.length < 2 * minLeaf || impurity(rows) <= 1e-12) {
                return leaf;
            }
            double parent = impurity(rows) * rows.length;
            double best = 1e-12;
            int bestFeature = -1;
            double bestThreshold = 0;
            for (int f = 0; f < schema.size(); f++) {
                boolean numeric = schema.features().get(f).numeric();
                for (double t : candidates(rows, f, numeric)) {
                    List<int[]> parts = split(rows, f, t, numeric);
                    int[] l = parts.get(0);
                    int[] r = parts.get(1);
                    if (l.length < minLeaf || r.length < minLeaf) {
                        continue;
                    }
                    double gain = parent - impurity(l) * l.length - impurity(r) * r.length;
                    if (gain > best + 1e-12) {
                        best = gain;
                        bestFeature = f;
                        bestThreshold = t;
                    }
                }
            }
            if (bestFeature < 0) {
                return leaf;
            }
            boolean numeric = schema.features().get(bestFeature).numeric();
            List<int[]> parts = split(rows, bestFeature, bestThreshold, numeric);
            return new Node(bestFeature, bestThreshold, grow(parts.get(0), depth + 1, maxDepth),
                    grow(parts.get(1), depth + 1, maxDepth), leaf.value(), rows.length, leaf.purity());
        }

        private double[] candidates(int[] rows, int f, boolean numeric) {
            double[] v = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                v[i] = x[rows[i]][f];
            }
            double[] d = Arrays.stream(v).sorted().distinct().toArray();
            if (!numeric) {
                return d;
            }
            double[] t = new double[Math.max(0, d.length - 1)];
            for (int i = 0; i + 1 < d.length; i++) {
                t[i] = (d[i] + d[i + 1]) / 2;
            }
            return t;
        }

        private List<int[]> split(int[] rows, int f, double t, boolean numeric) {
            int[] l = new int[rows.length];
            int[] r = new int[rows.length];
            int nl = 0;
            int nr = 0;
            for (int i : rows) {
                boolean left = numeric ? x[i][f] <= t : Math.round(x[i][f]) == Math.round(t);
                if (left) {
                    l[nl++] = i;
                } else {
                    r[nr++] = i;
                }
            }
            List<int[]> out = new ArrayList<>(2);
            out.add(Arrays.copyOf(l, nl));
            out.add(Arrays.copyOf(r, nr));
            return out;
        }

        private double impurity(int[] rows) {
            if (rows.length == 0) {
                return 0;
            }
            if (regression) {
                double m = 0;
                for (int i : rows) {
                    m += y[i];
                }
                m /= rows.length;
                double s = 0;
                for (int i : rows) {
                    s += (y[i] - m) * (y[i] - m);
                }
                return s / rows.length;
            }
            double[] c = new double[classes];
            for (int i : rows) {
                c[(int) y[i]]++;
            }
            double g = 1;
            for (double k : c) {
                double p = k / rows.length;
                g -= p * p;
            }
            return g;
        }

        private Node leaf(int[] rows) {
            if (regression) {
                double m = 0;
                for (int i : rows) {
                    m += y[i];
                }
                m /= rows.length;
                return new Node(-1, 0, null, null, m, rows.length, Math.sqrt(impurity(rows)));
            }
            int[] c = new int[classes];
            for (int i : rows) {
                c[(int) y[i]]++;
            }
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (c[k] > c[best]) {
                    best = k;
                }
            }
            return new Node(-1, 0, null, null, best, rows.length, c[best] / (double) rows.length);
        }
    }
}
