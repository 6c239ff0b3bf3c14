package dev.netlens.cli;

import dev.netlens.explain.render.BarChart;
import dev.netlens.explain.render.LineChart;
import dev.netlens.explain.tabular.Feature;
import dev.netlens.explain.tabular.Fairness;
import dev.netlens.explain.tabular.FeatureStats;
import dev.netlens.explain.tabular.GlobalSurrogate;
import dev.netlens.explain.tabular.KernelShapTabular;
import dev.netlens.explain.tabular.LimeTabular;
import dev.netlens.explain.tabular.PartialDependence;
import dev.netlens.explain.tabular.PermutationImportance;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code netlens tabular explain|importance|pdp|surrogate|fairness}: model-agnostic explanations of
 * a tabular ONNX model on rows of a CSV file (library: {@code dev.netlens.explain.tabular}).
 */
@Command(name = "tabular", mixinStandardHelpOptions = true,
        description = {"Explain a model of tabular data (CSV rows → ONNX model [N, F] → scores [N, K]).",
            "Encoding: features are all columns except the target (and --drop) in CSV order; numeric columns are used as "
                    + "numbers, categorical ones as the index of the value in the model's netlens.categories.<column> "
                    + "metadata, else in the sorted distinct values of the column."},
        subcommands = {TabularCommand.Explain.class, TabularCommand.Importance.class, TabularCommand.Pdp.class,
            TabularCommand.Surrogate.class, TabularCommand.FairnessCmd.class})
final class TabularCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a tabular command: explain, importance, pdp, surrogate or fairness");
    }

    /** Options every tabular command shares. */
    static final class Common {
        @Option(names = "--model", required = true, paramLabel = "M.onnx",
                description = "ONNX model taking float rows [N, F] and returning scores [N, K] (K = 1: regression).")
        Path model;

        @Option(names = "--data", required = true, paramLabel = "rows.csv",
                description = "CSV file with a header line; used as training statistics, background and evaluation rows.")
        Path data;

        @Option(names = "--target-column", required = true, paramLabel = "NAME",
                description = "The label column (not a feature).")
        String target;

        @Option(names = "--drop", paramLabel = "COL[,COL…]", description = "Further columns that are not model inputs.")
        String drop;

        @Option(names = "--numeric", paramLabel = "COL[,COL…]",
                description = "Columns that must be numeric (a non-number in them is an error); adds to the model's netlens.numeric metadata.")
        String numeric;

        @Option(names = "--backend", defaultValue = "netlens", paramLabel = "netlens|onnxruntime",
                description = "Engine running the model (default: ${DEFAULT-VALUE}).")
        String backend;

        @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the result files (created if missing).")
        Path out;

        @Option(names = "--overwrite", description = "Replace result files already in --out (default: refuse).")
        boolean overwrite;

        /** Checks that none of {@code files} exists in --out unless --overwrite; creates --out. */
        void prepareOut(String... files) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is a file; give a directory");
            }
            if (!overwrite) {
                for (String f : files) {
                    if (Files.exists(out.resolve(f))) {
                        throw new IllegalArgumentException(out.resolve(f) + " already exists; pass --overwrite to replace it, "
                                + "or choose another --out directory");
                    }
                }
            }
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + out, e);
            }
        }

        void write(String file, String text) {
            try {
                Files.writeString(out.resolve(file), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out.resolve(file), e);
            }
        }

        Map<String, Object> provenance(TabularSession s, String method) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("method", method);
            p.put("model", model.toString());
            p.put("model_sha256", s.sha256);
            p.put("data", data.toString());
            p.put("target_column", target);
            p.put("features", s.schema.names());
            p.put("backend", backend);
            p.put("seed", seed);
            return p;
        }
    }

    static String csv(Object... fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            String s = fields[i] instanceof Double d ? Double.toString(d) : String.valueOf(fields[i]);
            if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            sb.append(i > 0 ? "," : "").append(s);
        }
        return sb.append('\n').toString();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }

    /** Up to {@code limit} row indices, a seeded random subset when there are more rows. */
    static int[] subset(int n, int limit, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (n <= limit) {
            return all;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < limit; i++) {
            int k = i + r.nextInt(n - i);
            int t = all[i];
            all[i] = all[k];
            all[k] = t;
        }
        int[] pick = Arrays.copyOf(all, limit);
        Arrays.sort(pick);
        return pick;
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Explain one row: LIME weights or Kernel SHAP values per feature. Writes explanation.csv, "
                    + "explanation.json and explanation.png (bar chart) to --out and prints the table.")
    static final class Explain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--row", required = true, paramLabel = "N",
                description = "The row to explain: N-th data row of --data, counting from 1 (the header is not a row).")
        int row;

        @Option(names = "--method", defaultValue = "kernel-shap", paramLabel = "lime|kernel-shap",
                description = "Explanation method (default: ${DEFAULT-VALUE}).")
        String method;

        @Option(names = "--class", paramLabel = "K", description = "Class to explain, by name or index (default: the predicted class).")
        String clazz;

        @Option(names = "--samples", paramLabel = "N",
                description = "LIME: perturbed samples (default 5000); Kernel SHAP: coalitions (default 2048; exact when 2^F ≤ N).")
        Integer samples;

        @Option(names = "--background", defaultValue = "100", paramLabel = "N",
                description = "Kernel SHAP: background rows drawn from --data (default: ${DEFAULT-VALUE}).")
        int background;

        @Option(names = "--baseline", defaultValue = "average", paramLabel = "average|mean",
                description = "Kernel SHAP: average the output over background rows, or use one row of background "
                        + "means/modes (default: ${DEFAULT-VALUE}).")
        String baseline;

        @Option(names = "--discretize", description = "LIME: quartile-discretised numeric features (default: continuous).")
        boolean discretize;

        @Override
        public Integer call() {
            String m = method.toLowerCase(Locale.ROOT);
            if (!m.equals("lime") && !m.equals("kernel-shap")) {
                throw new IllegalArgumentException("--method must be lime or kernel-shap, got '" + method + "'");
            }
            if (background < 1) {
                throw new IllegalArgumentException("--background must be ≥ 1, got " + background);
            }
            KernelShapTabular.Baseline base = switch (baseline.toLowerCase(Locale.ROOT)) {
                case "average" -> KernelShapTabular.Baseline.AVERAGE;
                case "mean" -> KernelShapTabular.Baseline.MEAN;
                default -> throw new IllegalArgumentException("--baseline must be average or mean, got '" + baseline + "'");
            };
            common.prepareOut("explanation.csv", "explanation.json", "explanation.png");
            PrintWriter out = spec.commandLine().getOut();
            try (TabularSession s = TabularSession.open(common)) {
                if (row < 1 || row > s.x.length) {
                    throw new IllegalArgumentException("--row must be between 1 and " + s.x.length + " (the data rows of "
                            + common.data + "), got " + row);
                }
                double[] x = s.x[row - 1];
                double[] scores = s.model.scores(new double[][] {x})[0];
                int k = clazz == null ? argmax(scores) : s.parseClass(clazz, "--class");
                List<String> labels = new ArrayList<>();
                double[] values;
                Map<String, Object> json = common.provenance(s, m);
                json.put("row", row);
                json.put("line", s.data.line(row - 1));
                json.put("class", s.className(k));
                json.put("class_index", k);
                String title;
                if (m.equals("lime")) {
                    LimeTabular.Explanation e = LimeTabular.builder(FeatureStats.of(s.schema, s.x))
                            .samples(samples == null ? 5000 : samples).seed(common.seed).discretize(discretize).build()
                            .explain(s.model, x, k);
                    labels.addAll(e.labels());
                    values = e.weights();
                    json.put("samples", samples == null ? 5000 : samples);
                    json.put("discretize", discretize);
                    json.put("kernel_width", e.kernelWidth());
                    json.put("intercept", e.intercept());
                    json.put("r2", e.r2());
                    json.put("local_prediction", e.localPrediction());
                    json.put("model_prediction", e.modelPrediction());
                    json.put("weights_per_unit", e.perUnit());
                    out.printf(Locale.ROOT, "LIME, row %d (line %d), class %s: model %.4f, local model %.4f, R² %.4f, intercept %.4f%n",
                            row, s.data.line(row - 1), s.className(k), e.modelPrediction(), e.localPrediction(), e.r2(),
                            e.intercept());
                    title = "LIME weights, row " + row + ", class " + s.className(k);
                } else {
                    int[] pick = subset(s.x.length, background, common.seed);
                    double[][] bg = new double[pick.length][];
                    for (int i = 0; i < pick.length; i++) {
                        bg[i] = s.x[pick[i]];
                    }
                    KernelShapTabular.Explanation e = KernelShapTabular.builder(s.schema, bg).baseline(base)
                            .samples(samples == null ? 2048 : samples).seed(common.seed).build().explain(s.model, x, k);
                    for (int j = 0; j < s.schema.size(); j++) {
                        Feature f = s.schema.features().get(j);
                        labels.add(f.name() + "=" + f.describe(x[j]));
                    }
                    values = e.values();
                    json.put("samples", samples == null ? 2048 : samples);
                    json.put("background_rows", bg.length);
                    json.put("baseline", baseline.toLowerCase(Locale.ROOT));
                    json.put("exact", e.exact());
                    json.put("coalitions", e.coalitions());
                    json.put("expected_value", e.expected());
                    json.put("prediction", e.prediction());
                    out.printf(Locale.ROOT, "Kernel SHAP, row %d (line %d), class %s: prediction %.4f = expected %.4f + Σφ %.4f (%s, %d coalitions)%n",
                            row, s.data.line(row - 1), s.className(k), e.prediction(), e.expected(),
                            e.prediction() - e.expected(), e.exact() ? "exact" : "sampled", e.coalitions());
                    title = "Kernel SHAP values, row " + row + ", class " + s.className(k);
                }
                StringBuilder csv = new StringBuilder(csv("feature", "value", "label", m.equals("lime") ? "weight" : "shap_value"));
                BarChart.Builder chart = BarChart.builder(title)
                        .axisLabel(m.equals("lime") ? "local weight on P(" + s.className(k) + ")" : "contribution to output "
                                + s.className(k));
                List<Map<String, Object>> rows = new ArrayList<>();
                Integer[] order = new Integer[values.length];
                for (int j = 0; j < order.length; j++) {
                    order[j] = j;
                }
                Arrays.sort(order, (a, b) -> Double.compare(Math.abs(values[b]), Math.abs(values[a])));
                for (int j : order) {
                    Feature f = s.schema.features().get(j);
                    csv.append(csv(f.name(), f.describe(x[j]), labels.get(j), values[j]));
                    chart.bar(labels.get(j), values[j]);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("feature", f.name());
                    r.put("value", f.describe(x[j]));
                    r.put("label", labels.get(j));
                    r.put(m.equals("lime") ? "weight" : "shap_value", values[j]);
                    rows.add(r);
                    out.printf(Locale.ROOT, "  %-30s %s%n", labels.get(j), fmt(values[j]));
                }
                json.put("attributions", rows);
                common.write("explanation.csv", csv.toString());
                common.write("explanation.json", Json.of(json));
                chart.build().write(common.out.resolve("explanation.png"));
                out.println("wrote " + common.out.resolve("explanation.csv") + ", explanation.json, explanation.png");
            }
            return 0;
        }
    }

    static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[b]) {
                b = i;
            }
        }
        return b;
    }

    @Command(name = "importance", mixinStandardHelpOptions = true,
            description = "Permutation importance of every feature: accuracy drop (classifiers) or MSE increase "
                    + "(K = 1 regression) when the column is shuffled, mean ± std over --repeats. Writes importance.csv, "
                    + "importance.json, importance.png.")
    static final class Importance implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--repeats", defaultValue = "5", description = "Shuffles per column (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Override
        public Integer call() {
            if (repeats < 1) {
                throw new IllegalArgumentException("--repeats must be ≥ 1, got " + repeats);
            }
            common.prepareOut("importance.csv", "importance.json", "importance.png");
            PrintWriter out = spec.commandLine().getOut();
            try (TabularSession s = TabularSession.open(common)) {
                PermutationImportance.Result r = s.outputs == 1
                        ? PermutationImportance.regression(s.model, s.x,
                                dev.netlens.explain.tabular.TargetEncoding.values(s.data, common.target), repeats, common.seed)
                        : PermutationImportance.classification(s.model, s.x, s.labels(), repeats, common.seed);
                out.printf(Locale.ROOT, "permutation importance (%s %.4f on %d rows, %d repeats)%n",
                        r.metric().equals("mse") ? "MSE increase; baseline MSE" : "accuracy drop; baseline accuracy",
                        r.baseline(), s.x.length, repeats);
                Integer[] order = new Integer[r.mean().length];
                for (int j = 0; j < order.length; j++) {
                    order[j] = j;
                }
                Arrays.sort(order, (a, b) -> Double.compare(r.mean()[b], r.mean()[a]));
                StringBuilder csv = new StringBuilder(csv("feature", "importance_mean", "importance_std"));
                BarChart.Builder chart = BarChart.builder("Permutation importance")
                        .axisLabel(r.metric().equals("mse") ? "MSE increase when shuffled" : "accuracy drop when shuffled");
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int j : order) {
                    String name = s.schema.names().get(j);
                    csv.append(csv(name, r.mean()[j], r.std()[j]));
                    chart.bar(name, r.mean()[j], r.std()[j]);
                    rows.add(new LinkedHashMap<>(Map.of("feature", name, "mean", r.mean()[j], "std", r.std()[j])));
                    out.printf(Locale.ROOT, "  %-24s %s ± %.4f%n", name, fmt(r.mean()[j]), r.std()[j]);
                }
                Map<String, Object> json = common.provenance(s, "permutation-importance");
                json.put("metric", r.metric());
                json.put("baseline", r.baseline());
                json.put("repeats", repeats);
                json.put("importances", rows);
                common.write("importance.csv", csv.toString());
                common.write("importance.json", Json.of(json));
                chart.build().write(common.out.resolve("importance.png"));
                out.println("wrote " + common.out.resolve("importance.csv") + ", importance.json, importance.png");
            }
            return 0;
        }
    }

    @Command(name = "pdp", mixinStandardHelpOptions = true,
            description = "Partial dependence and ICE curves of one feature for one class. Writes pdp.csv (grid and "
                    + "average), ice.csv (one curve per row), pdp.json and pdp.png.")
    static final class Pdp implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--feature", required = true, paramLabel = "COL", description = "The feature column.")
        String feature;

        @Option(names = "--class", paramLabel = "K",
                description = "Output to show, by name or index (default: class 1 of a multi-class model, output 0 of a regression).")
        String clazz;

        @Option(names = "--grid", defaultValue = "20",
                description = "Grid points for a numeric feature: quantiles from 5%% to 95%% (default: ${DEFAULT-VALUE}).")
        int grid;

        @Option(names = "--ice-rows", defaultValue = "100",
                description = "ICE curves drawn in the PNG (a seeded sample of rows; all rows go into ice.csv) (default: ${DEFAULT-VALUE}).")
        int iceRows;

        @Override
        public Integer call() {
            if (grid < 2) {
                throw new IllegalArgumentException("--grid must be ≥ 2, got " + grid);
            }
            common.prepareOut("pdp.csv", "ice.csv", "pdp.json", "pdp.png");
            PrintWriter out = spec.commandLine().getOut();
            try (TabularSession s = TabularSession.open(common)) {
                int j = s.schema.index(feature);
                int k = clazz == null ? (s.outputs > 1 ? 1 : 0) : s.parseClass(clazz, "--class");
                Feature f = s.schema.features().get(j);
                PartialDependence.Result r = PartialDependence.compute(s.model, s.schema, s.x, j, k, grid);
                StringBuilder csv = new StringBuilder(csv(f.name(), "label", "partial_dependence"));
                StringBuilder ice = new StringBuilder();
                List<Object> head = new ArrayList<>(List.of("row"));
                out.printf(Locale.ROOT, "partial dependence of output %s on %s (%d rows)%n", s.className(k), f.name(), s.x.length);
                for (int g = 0; g < r.grid().length; g++) {
                    csv.append(csv(r.grid()[g], f.describe(r.grid()[g]), r.average()[g]));
                    head.add(f.describe(r.grid()[g]));
                    out.printf(Locale.ROOT, "  %-14s %.4f%n", f.describe(r.grid()[g]), r.average()[g]);
                }
                ice.append(csv(head.toArray()));
                for (int i = 0; i < r.ice().length; i++) {
                    List<Object> line = new ArrayList<>(List.of(i + 1));
                    for (double v : r.ice()[i]) {
                        line.add(v);
                    }
                    ice.append(csv(line.toArray()));
                }
                int[] pick = subset(r.ice().length, Math.max(0, iceRows), common.seed);
                double[][] curves = new double[pick.length][];
                for (int i = 0; i < pick.length; i++) {
                    curves[i] = r.ice()[pick[i]];
                }
                double[] xs = f.numeric() ? r.grid() : r.grid().clone();
                LineChart.Builder chart = LineChart.builder("Partial dependence on " + f.name() + ", output " + s.className(k))
                        .xLabel(f.name()).yLabel("output " + s.className(k));
                if (!f.numeric()) {
                    chart.xCategories(f.categories());
                }
                if (curves.length > 0) {
                    chart.lines("ICE (" + curves.length + " rows)", xs, curves);
                }
                chart.series("partial dependence", xs, r.average(), new java.awt.Color(0xD5, 0x5E, 0x00));
                Map<String, Object> json = common.provenance(s, "partial-dependence");
                json.put("feature", f.name());
                json.put("class", s.className(k));
                json.put("grid", r.grid());
                json.put("grid_labels", Arrays.stream(r.grid()).mapToObj(f::describe).toList());
                json.put("partial_dependence", r.average());
                common.write("pdp.csv", csv.toString());
                common.write("ice.csv", ice.toString());
                common.write("pdp.json", Json.of(json));
                chart.build().write(common.out.resolve("pdp.png"));
                out.println("wrote " + common.out.resolve("pdp.csv") + ", ice.csv, pdp.json, pdp.png");
            }
            return 0;
        }
    }

    @Command(name = "surrogate", mixinStandardHelpOptions = true,
            description = "Global surrogate: a CART decision tree trained on the model's predictions, with its fidelity "
                    + "(agreement, or R² for a regression) on held-out rows. Prints the rules; writes surrogate.txt and surrogate.json.")
    static final class Surrogate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--max-depth", defaultValue = "3", description = "Maximum tree depth (default: ${DEFAULT-VALUE}).")
        int maxDepth;

        @Option(names = "--min-leaf", defaultValue = "5", description = "Minimum rows per leaf (default: ${DEFAULT-VALUE}).")
        int minLeaf;

        @Option(names = "--held-out", defaultValue = "0.3",
                description = "Share of rows held out to measure fidelity (default: ${DEFAULT-VALUE}).")
        double heldOut;

        @Override
        public Integer call() {
            if (maxDepth < 0 || maxDepth > 20) {
                throw new IllegalArgumentException("--max-depth must be between 0 and 20, got " + maxDepth);
            }
            if (minLeaf < 1) {
                throw new IllegalArgumentException("--min-leaf must be ≥ 1, got " + minLeaf);
            }
            if (!(heldOut > 0 && heldOut < 1)) {
                throw new IllegalArgumentException("--held-out must be between 0 and 1 (exclusive), got " + heldOut);
            }
            common.prepareOut("surrogate.txt", "surrogate.json");
            PrintWriter out = spec.commandLine().getOut();
            try (TabularSession s = TabularSession.open(common)) {
                GlobalSurrogate.Result r = GlobalSurrogate.train(s.model, s.schema, s.x, maxDepth, minLeaf, heldOut,
                        common.seed, s.classNames);
                String head = String.format(Locale.ROOT,
                        "# surrogate decision tree of %s (depth %d, %d leaves)%n# fidelity on %d held-out rows: %.4f (%s); on %d training rows: %.4f%n",
                        common.model.getFileName(), r.tree().depth(), r.tree().leaves(), r.heldOutRows(), r.fidelity(),
                        r.regression() ? "R²" : "agreement with the model", r.trainRows(), r.trainFidelity());
                String text = head + r.tree().rules();
                out.print(text);
                Map<String, Object> json = common.provenance(s, "global-surrogate-tree");
                json.put("max_depth", maxDepth);
                json.put("min_leaf", minLeaf);
                json.put("held_out", heldOut);
                json.put("fidelity", r.fidelity());
                json.put("fidelity_metric", r.regression() ? "r2" : "agreement");
                json.put("train_fidelity", r.trainFidelity());
                json.put("train_rows", r.trainRows());
                json.put("held_out_rows", r.heldOutRows());
                json.put("depth", r.tree().depth());
                json.put("leaves", r.tree().leaves());
                json.put("rules", r.tree().rules());
                common.write("surrogate.txt", text);
                common.write("surrogate.json", Json.of(json));
                out.println("wrote " + common.out.resolve("surrogate.txt") + ", surrogate.json");
            }
            return 0;
        }
    }

    @Command(name = "fairness", mixinStandardHelpOptions = true,
            description = "Group fairness of the model's predictions for a sensitive column: demographic parity difference, "
                    + "equalized-odds difference (fairlearn's definitions), per-group rows, accuracy, selection rate, TPR, FPR. "
                    + "Writes fairness.csv and fairness.json.")
    static final class FairnessCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--sensitive-column", required = true, paramLabel = "COL",
                description = "Column whose values define the groups (it may or may not be a model input).")
        String sensitive;

        @Option(names = "--positive-class", defaultValue = "1", paramLabel = "K",
                description = "The favourable class, by name or index (default: ${DEFAULT-VALUE}).")
        String positive;

        @Override
        public Integer call() {
            common.prepareOut("fairness.csv", "fairness.json");
            PrintWriter out = spec.commandLine().getOut();
            try (TabularSession s = TabularSession.open(common)) {
                int c = s.data.column(sensitive, "--sensitive-column");
                if (s.outputs < 2) {
                    throw new IllegalArgumentException("fairness needs a classifier; " + common.model + " has one output (a regression)");
                }
                int k = s.parseClass(positive, "--positive-class");
                String[] groups = new String[s.x.length];
                for (int i = 0; i < groups.length; i++) {
                    groups[i] = s.data.value(i, c);
                }
                Fairness.Report r = Fairness.of(groups, s.labels(), s.model.predictedClasses(s.x), k);
                out.printf(Locale.ROOT, "fairness for '%s', positive class %s, %d rows, accuracy %.4f%n", sensitive,
                        s.className(k), s.x.length, r.accuracy());
                out.printf(Locale.ROOT, "demographic parity difference %.4f%nequalized odds difference %.4f%n",
                        r.demographicParityDifference(), r.equalizedOddsDifference());
                out.printf(Locale.ROOT, "  %-12s %6s %9s %10s %7s %7s%n", "group", "rows", "accuracy", "selection", "TPR", "FPR");
                StringBuilder csv = new StringBuilder(csv("group", "rows", "accuracy", "selection_rate",
                        "true_positive_rate", "false_positive_rate"));
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Fairness.Group g : r.groups()) {
                    out.printf(Locale.ROOT, "  %-12s %6d %9.4f %10.4f %7.4f %7.4f%n", g.name(), g.count(), g.accuracy(),
                            g.selectionRate(), g.truePositiveRate(), g.falsePositiveRate());
                    csv.append(csv(g.name(), g.count(), g.accuracy(), g.selectionRate(), g.truePositiveRate(),
                            g.falsePositiveRate()));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("group", g.name());
                    m.put("rows", g.count());
                    m.put("accuracy", g.accuracy());
                    m.put("selection_rate", g.selectionRate());
                    m.put("true_positive_rate", g.truePositiveRate());
                    m.put("false_positive_rate", g.falsePositiveRate());
                    rows.add(m);
                }
                Map<String, Object> json = common.provenance(s, "fairness");
                json.put("sensitive_column", sensitive);
                json.put("positive_class", s.className(k));
                json.put("accuracy", r.accuracy());
                json.put("demographic_parity_difference", r.demographicParityDifference());
                json.put("equalized_odds_difference", r.equalizedOddsDifference());
                json.put("groups", rows);
                common.write("fairness.csv", csv.toString());
                common.write("fairness.json", Json.of(json));
                out.println("wrote " + common.out.resolve("fairness.csv") + ", fairness.json");
            }
            return 0;
        }
    }
}
