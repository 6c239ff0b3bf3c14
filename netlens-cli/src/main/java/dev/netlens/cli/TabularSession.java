package dev.netlens.cli;

import dev.netlens.core.onnx.OnnxReader;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.blackbox.OnnxRuntimePredictor;
import dev.netlens.explain.blackbox.Predictor;
import dev.netlens.explain.tabular.CsvData;
import dev.netlens.explain.tabular.TabularModel;
import dev.netlens.explain.tabular.TabularSchema;
import dev.netlens.explain.tabular.TargetEncoding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every {@code netlens tabular} command starts from: the CSV read and encoded by the model's
 * metadata, the target as class indices, and the model as a black box on the chosen backend.
 */
final class TabularSession implements AutoCloseable {
    final Path modelFile;
    final CsvData data;
    final TabularSchema schema;
    final double[][] x;
    final TabularModel model;
    final List<String> classNames;
    final int outputs;
    final String sha256;
    private final Predictor predictor;

    private TabularSession(Path modelFile, CsvData data, TabularSchema schema, double[][] x, Predictor predictor,
                           List<String> classNames, String sha256) {
        this.modelFile = modelFile;
        this.data = data;
        this.schema = schema;
        this.x = x;
        this.predictor = predictor;
        this.sha256 = sha256;
        try {
            this.model = new TabularModel(predictor, schema.size());
            this.outputs = model.outputs(x[0]);
        } catch (RuntimeException e) {
            predictor.close();
            throw e;
        }
        List<String> names = classNames;
        if (names == null || names.size() != outputs) {
            names = new ArrayList<>();
            for (int k = 0; k < outputs; k++) {
                names.add(Integer.toString(k));
            }
        }
        this.classNames = List.copyOf(names);
    }

    static TabularSession open(TabularCommand.Common o) {
        Path m = o.model;
        if (!Files.isRegularFile(m)) {
            throw new IllegalArgumentException("model file " + m + " does not exist or is not a file");
        }
        Map<String, String> metadata = OnnxReader.read(m).metadata();
        CsvData data = CsvData.read(o.data);
        TabularSchema schema = TabularSchema.infer(data, o.target, list(o.drop), list(o.numeric), metadata);
        double[][] x = schema.encode(data);
        List<String> classes = metadata.containsKey("netlens.classes") ? ClassNames.parse(metadata.get("netlens.classes")) : null;
        Predictor p = switch (o.backend.toLowerCase(Locale.ROOT)) {
            case "netlens" -> Predictor.of(ExplainedModel.load(m));
            case "onnxruntime" -> OnnxRuntimePredictor.load(m);
            default -> throw new IllegalArgumentException("--backend must be netlens or onnxruntime, got '" + o.backend + "'");
        };
        return new TabularSession(m, data, schema, x, p, classes, sha(m));
    }

    static List<String> list(String commaList) {
        if (commaList == null || commaList.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaList.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Class indices of the target column, by the model's class names when it has them. */
    int[] labels() {
        return TargetEncoding.classes(data, schema.target(), classNames).labels();
    }

    /** A class given by name or index ({@code option} names the flag in messages). */
    int parseClass(String value, String option) {
        int k = classNames.indexOf(value);
        if (k < 0 && value.matches("\\d{1,6}")) {
            k = Integer.parseInt(value);
        }
        if (k < 0 || k >= outputs) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a class of the model; valid: "
                    + classNames + " or an index 0…" + (outputs - 1));
        }
        return k;
    }

    String className(int k) {
        return classNames.get(k);
    }

    private static String sha(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream d = (DigestInputStream) in;
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(d.getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "";
        }
    }

    @Override
    public void close() {
        predictor.close();
    }
}
