package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.dissect.Dissection;
import dev.netlens.dissect.DissectionReport;
import dev.netlens.dissect.DissectionResult;
import dev.netlens.dissect.LayerDissection;
import dev.netlens.dissect.ResultJson;
import dev.netlens.dissect.TallyCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code netlens dissect}: Network Dissection (Bau et al. 2017) of one or more layers on
 * Broden-format data — per-unit thresholds, IoU with every concept, detectors — written as
 * {@code tally.csv} (one per layer) and {@code result.json}; resumable.
 */
@Command(name = "dissect", mixinStandardHelpOptions = true,
        description = {"Network Dissection: for every unit of the layers, the concept it detects and how well (IoU), on "
                + "Broden-format data (netlens concepts generate, or the published Broden). Writes <out>/tally.csv "
                + "(<out>/tally-<layer>.csv for several layers), <out>/result.json and an HTML report <out>/index.html. Running the same command again after "
                + "an interruption resumes from <out>/state and gives identical results."})
final class DissectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Broden-format data (index.csv, label.csv, …).")
    Path data;

    @Option(names = "--layer", required = true, split = ",", paramLabel = "NAME",
            description = "Layer value names (as netlens inspect shows them), comma-separated.")
    List<String> layers;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--quantile", defaultValue = "0.005", description = "Top activation quantile per unit (default: ${DEFAULT-VALUE}).")
    double quantile;

    @Option(names = "--iou", defaultValue = "0.04", description = "IoU above which a unit is a detector (default: ${DEFAULT-VALUE}).")
    double iou;

    @Option(names = "--categories", split = ",", description = "Concept categories to use (default: all of the data's).")
    List<String> categories;

    @Option(names = "--batch", defaultValue = "16", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--images", defaultValue = "8", description = "Top images shown per unit in the HTML report (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--force", description = "Overwrite tally.csv / result.json from an earlier, finished run in --out.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + " is not a directory");
        }
        Path json = out.resolve("result.json");
        if (Files.exists(json) && !force) {
            throw new IllegalArgumentException(json + " already exists; pass --force to write over it or choose another --out");
        }
        Graph g = model.load();
        for (String layer : layers) {
            g.requireValue(layer, "--layer");
        }
        BrodenDataset probe = BrodenDataset.open(data);
        Dissection.Builder b = Dissection.builder(g, layers.toArray(String[]::new)).quantile(quantile).iouThreshold(iou)
                .batchSize(batch);
        if (categories != null) {
            b.categories(categories.toArray(String[]::new));
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Files.createDirectories(out);
        DissectionResult result = b.build().run(probe, new DissectionProgress(err, "pass "), out.resolve("state"));
        for (LayerDissection layer : result.layers()) {
            Path tally = out.resolve(layers.size() == 1 ? "tally.csv" : "tally-" + layer.layer().replaceAll("[^A-Za-z0-9._-]", "_") + ".csv");
            TallyCsv.write(layer, tally);
            o.printf(Locale.ROOT, "%s: %d units, %d detectors (IoU > %.2f), %d unique concepts; detectors per category %s -> %s%n",
                    layer.layer(), layer.units().size(), layer.detectors().size(), iou, layer.uniqueConcepts(),
                    layer.detectorsPerCategory(), tally);
        }
        ResultJson.write(result, json);
        o.println("result: " + json);
        Path html = new DissectionReport(images).write(out, g, probe, result,
                "Network Dissection of " + model.model.getFileName());
        o.println("report: " + html.toAbsolutePath());
        return 0;
    }
}
