package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.Softmax;
import dev.netlens.core.onnx.OnnxExporter;
import dev.netlens.core.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A small tabular classifier and its data, built in Java: a logistic model over
 * age, income, region (east/north/south), gender (f/m), years → classes rejected/approved,
 * exported to ONNX with netlens' exporter and metadata for the encoding. Age has weight 0 (an
 * unused feature) and gender a negative weight (a biased model for the fairness example).
 * {@code docs/tabular/} holds the copy the README's examples use; {@link TabularCommandTest} checks it
 * is what this class writes (regenerate with {@code -Dnetlens.regenerate=true}).
 */
final class TabularFixture {
    static final String HEADER = "age,income,region,gender,years,approved";
    /** Logit of "approved" = W·x + B; "rejected" has logit 0. */
    static final float[] W = {0f, 0.06f, 0.8f, -0.7f, 0.15f};
    static final float B = -3.75f;
    static final String[] REGIONS = {"east", "north", "south"};
    static final String[] GENDERS = {"f", "m"};

    private TabularFixture() {
    }

    static Graph model() {
        Graph.Builder b = Graph.builder().input("x", -1, 5);
        float[] w = new float[10];
        System.arraycopy(W, 0, w, 5, 5);
        b.parameter("fc.weight", Tensor.of(w, 2, 5));
        b.parameter("fc.bias", Tensor.of(new float[] {0f, B}, 2));
        b.add("logits", Gemm.linear(), "x", "fc.weight", "fc.bias");
        b.add("probabilities", Softmax.along(1), "logits");
        b.output("probabilities");
        b.metadata("netlens.classes", "[\"rejected\",\"approved\"]");
        b.metadata("netlens.numeric", "age,income,years");
        b.metadata("netlens.categories.region", "east,north,south");
        b.metadata("netlens.categories.gender", "f,m");
        return b.build();
    }

    /** The model's "approved" logit for an encoded row, computed here independently of any engine. */
    static double logit(double[] x) {
        double z = B;
        for (int j = 0; j < 5; j++) {
            z += W[j] * x[j];
        }
        return z;
    }

    /** Encoded rows [n][5] of the CSV (same seed, same rows). */
    static double[][] rows(int n) {
        SplittableRandom r = new SplittableRandom(2024);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {20 + r.nextInt(50), 20 + r.nextInt(70), r.nextInt(3), r.nextInt(2), r.nextInt(16)};
        }
        return x;
    }

    /** The CSV text: approved = the model's decision with every 10th row's label flipped. */
    static String csv(int n) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        double[][] x = rows(n);
        for (int i = 0; i < n; i++) {
            boolean approved = logit(x[i]) > 0;
            if (i % 10 == 9) {
                approved = !approved;
            }
            sb.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%d,%s%n", (int) x[i][0], (int) x[i][1],
                    REGIONS[(int) x[i][2]], GENDERS[(int) x[i][3]], (int) x[i][4], approved ? "approved" : "rejected"));
        }
        return sb.toString();
    }

    /** Writes credit.onnx and credit.csv (200 rows) into {@code dir}. */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        OnnxExporter.write(model(), dir.resolve("credit.onnx"));
        Files.writeString(dir.resolve("credit.csv"), csv(200), StandardCharsets.UTF_8);
    }
}
