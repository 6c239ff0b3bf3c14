package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `netlens tabular …` on a Java-built ONNX classifier: results checked against the known model, exit codes, messages. */
class TabularCommandTest extends CliTestBase {
    @TempDir
    Path dir;
    Path model;
    Path data;

    @BeforeEach
    void fixture() throws Exception {
        TabularFixture.write(dir);
        model = dir.resolve("credit.onnx");
        data = dir.resolve("credit.csv");
    }

    private String[] args(String command, String outName, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("tabular", command, "--model", model.toString(), "--data",
                data.toString(), "--target-column", "approved", "--out", dir.resolve(outName).toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private static double[] column(Path csv, String feature, int valueColumn) throws Exception {
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f[0].equals(feature)) {
                return new double[] {Double.parseDouble(f[valueColumn])};
            }
        }
        throw new AssertionError(feature + " not in " + csv);
    }

    @Test
    void kernelShapOnBothBackendsIsExactAndGivesTheUnusedFeatureZero() throws Exception {
        assertEquals(0, run(args("explain", "shap", "--row", "3", "--method", "kernel-shap", "--class", "approved")), err);
        assertTrue(out.contains("exact"), out);
        Path csv = dir.resolve("shap/explanation.csv");
        assertEquals(0.0, column(csv, "age", 3)[0], 1e-6);
        // Efficiency: Σφ = prediction − expected value, both printed in the JSON.
        String json = Files.readString(dir.resolve("shap/explanation.json"));
        double prediction = number(json, "prediction");
        double expected = number(json, "expected_value");
        double sum = 0;
        for (String f : List.of("age", "income", "region", "gender", "years")) {
            sum += column(csv, f, 3)[0];
        }
        assertEquals(prediction - expected, sum, 1e-5);
        double[] row3 = TabularFixture.rows(3)[2];
        assertEquals(1 / (1 + Math.exp(-TabularFixture.logit(row3))), prediction, 1e-5);
        BufferedImage png = ImageIO.read(dir.resolve("shap/explanation.png").toFile());
        assertTrue(png.getWidth() >= 300);
        assertEquals(0, run(args("explain", "shap-ort", "--row", "3", "--class", "1", "--backend", "onnxruntime")), err);
        for (String f : List.of("income", "region", "gender", "years")) {
            assertEquals(column(csv, f, 3)[0], column(dir.resolve("shap-ort/explanation.csv"), f, 3)[0], 1e-4, f);
        }
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.Ee]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void limeWeightsFollowTheModelsSigns() throws Exception {
        assertEquals(0, run(args("explain", "lime", "--row", "1", "--method", "lime", "--class", "approved", "--samples", "3000")), err);
        Path csv = dir.resolve("lime/explanation.csv");
        double income = column(csv, "income", 3)[0];
        double years = column(csv, "years", 3)[0];
        double age = column(csv, "age", 3)[0];
        assertTrue(income > 0 && years > 0, out);
        assertTrue(Math.abs(age) < 0.1 * income, out);
        assertTrue(out.contains("R²"), out);
    }

    @Test
    void importanceRanksIncomeAboveTheUnusedAge() throws Exception {
        assertEquals(0, run(args("importance", "imp", "--repeats", "3", "--seed", "4")), err);
        Path csv = dir.resolve("imp/importance.csv");
        assertEquals(0.0, column(csv, "age", 1)[0], 0.0);
        assertTrue(column(csv, "income", 1)[0] > 0.05, out);
        assertTrue(Files.exists(dir.resolve("imp/importance.png")));
    }

    @Test
    void pdpOfIncomeRisesAndRegionHasOneValuePerCategory() throws Exception {
        assertEquals(0, run(args("pdp", "pdp", "--feature", "income", "--class", "approved")), err);
        List<String> lines = Files.readAllLines(dir.resolve("pdp/pdp.csv"));
        assertEquals(21, lines.size());
        double first = Double.parseDouble(lines.get(1).split(",")[2]);
        double last = Double.parseDouble(lines.get(20).split(",")[2]);
        assertTrue(last > first + 0.3, lines.toString());
        assertEquals(201, Files.readAllLines(dir.resolve("pdp/ice.csv")).size());
        assertEquals(0, run(args("pdp", "pdp-region", "--feature", "region")), err);
        List<String> region = Files.readAllLines(dir.resolve("pdp-region/pdp.csv"));
        assertEquals(List.of("east", "north", "south"), region.subList(1, 4).stream().map(l -> l.split(",")[1]).toList());
    }

    @Test
    void surrogatePrintsFaithfulRules() throws Exception {
        assertEquals(0, run(args("surrogate", "sur", "--max-depth", "4")), err);
        Matcher m = Pattern.compile("fidelity on (\\d+) held-out rows: ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(60, Integer.parseInt(m.group(1)));
        assertTrue(Double.parseDouble(m.group(2)) >= 0.85, out);
        assertTrue(out.contains("if income <= "), out);
        assertTrue(out.contains("class approved") && out.contains("class rejected"), out);
        assertEquals(Files.readString(dir.resolve("sur/surrogate.txt")), out.substring(0, out.indexOf("wrote ")));
    }

    @Test
    void fairnessMatchesAnIndependentCount() throws Exception {
        assertEquals(0, run(args("fairness", "fair", "--sensitive-column", "gender", "--positive-class", "approved")), err);
        double[][] x = TabularFixture.rows(200);
        int[] n = new int[2];
        int[] sel = new int[2];
        for (double[] r : x) {
            int g = (int) r[3];
            n[g]++;
            sel[g] += TabularFixture.logit(r) > 0 ? 1 : 0;
        }
        double dpd = Math.abs(sel[0] / (double) n[0] - sel[1] / (double) n[1]);
        assertTrue(out.contains(String.format(Locale.ROOT, "demographic parity difference %.4f", dpd)), out);
        assertTrue(out.contains(String.format(Locale.ROOT, "accuracy %.4f", 0.9)), out);
        assertEquals(3, Files.readAllLines(dir.resolve("fair/fairness.csv")).size());
    }

    @Test
    void refusesToOverwriteResultsUnlessAsked() {
        assertEquals(0, run(args("surrogate", "o")), err);
        assertEquals(2, run(args("surrogate", "o")));
        assertTrue(err.contains("surrogate.txt already exists") && err.contains("--overwrite"), err);
        assertEquals(0, run(args("surrogate", "o", "--overwrite")), err);
    }

    @Test
    void badCsvIsExitTwoWithRowAndColumn() throws Exception {
        String csv = Files.readString(data);
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, csv.replaceFirst("\n(\\d+),(\\d+),", "\n$1,lots,"), StandardCharsets.UTF_8);
        data = bad;
        assertEquals(2, run(args("importance", "b1")));
        assertTrue(err.contains("line 2, column 'income'") && err.contains("'lots' is not a number"), err);
        assertEquals(1, err.lines().count(), err);

        data = dir.resolve("credit.csv");
        assertEquals(2, run("tabular", "importance", "--model", model.toString(), "--data", data.toString(),
                "--target-column", "label", "--out", dir.resolve("b2").toString()));
        assertTrue(err.contains("no column named 'label'") && err.contains("[age, income, region, gender, years, approved]"), err);

        assertEquals(2, run(args("fairness", "b3", "--sensitive-column", "sex")));
        assertTrue(err.contains("'sex'") && err.contains("--sensitive-column"), err);

        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        data = empty;
        assertEquals(2, run(args("surrogate", "b4")));
        assertTrue(err.contains("empty.csv") && err.contains("empty"), err);

        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, csv.replaceFirst("\n([^\n]*)\n", "\n$1\n1,2,east\n"));
        data = ragged;
        assertEquals(2, run(args("surrogate", "b5")));
        assertTrue(err.contains("line 3") && err.contains("3 fields"), err);

        Path region = dir.resolve("region.csv");
        Files.writeString(region, csv.replaceFirst(",(east|north|south),", ",west,"));
        data = region;
        assertEquals(2, run(args("surrogate", "b6")));
        assertTrue(err.contains("line 2, column 'region'") && err.contains("[east, north, south]"), err);

        data = dir.resolve("credit.csv");
        assertEquals(2, run(args("explain", "b7", "--row", "201")));
        assertTrue(err.contains("--row must be between 1 and 200"), err);
        assertEquals(2, run(args("pdp", "b8", "--feature", "approved")));
        assertTrue(err.contains("target column"), err);
    }

    @Test
    void helpDocumentsTheOptions() {
        assertEquals(0, run("tabular", "explain", "--help"));
        for (String o : List.of("--model", "--data", "--target-column", "--row", "--method", "--class", "--samples", "--seed",
                "--backend", "--out", "--overwrite", "--background", "--drop", "--numeric")) {
            assertTrue(out.contains(o), o + " in " + out);
        }
        assertEquals(2, run("tabular"));
    }

    @Test
    void committedExampleDataIsWhatTheFixtureWrites() throws Exception {
        Path docs = Path.of("..", "docs", "tabular");
        if (Boolean.getBoolean("netlens.regenerate")) {
            TabularFixture.write(docs);
        }
        assertArrayEquals(Files.readAllBytes(data), Files.readAllBytes(docs.resolve("credit.csv")));
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(docs.resolve("credit.onnx")));
    }
}
