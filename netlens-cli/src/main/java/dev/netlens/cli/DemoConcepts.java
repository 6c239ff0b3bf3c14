package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.data.bundled.BundledConceptModel;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.concepts.ConceptSceneGenerator;
import dev.netlens.dissect.Dissection;
import dev.netlens.dissect.DissectionReport;
import dev.netlens.dissect.DissectionResult;
import dev.netlens.dissect.LayerDissection;
import dev.netlens.dissect.ResultJson;
import dev.netlens.dissect.TallyCsv;
import dev.netlens.dissect.UnitDissection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The demo's dissection step: fresh concept scenes from a seed the bundled concept model never saw,
 * Network Dissection of its last two residual stages, and the HTML report.
 */
final class DemoConcepts {
    static final int SCENES = 1000;
    static final long SEED = 3;

    /** What the step produced, for the demo's index page. */
    record Summary(DissectionResult result, Path report, List<String> lines) {
    }

    private DemoConcepts() {
    }

    static Summary run(PrintWriter out, PrintWriter err, Path dir) {
        Path scenes = dir.resolve("concept-scenes");
        ConceptSceneGenerator.builder().seed(SEED).threads(dev.netlens.core.kernels.Parallel.threads()).build()
                .generate(scenes, SCENES);
        out.printf(Locale.ROOT, "%ngenerated %d concept scenes (seed %d) in %s%n", SCENES, SEED, scenes);
        Graph model = BundledConceptModel.model();
        List<String> layers = BundledConceptModel.dissectionLayers();
        BrodenDataset probe = BrodenDataset.open(scenes);
        DissectionResult result = Dissection.builder(model, layers.toArray(String[]::new)).build()
                .run(probe, new DissectionProgress(err, "dissection pass "), null);
        Path dissection = dir.resolve("dissection");
        Path report = new DissectionReport(8).write(dissection, model, probe, result,
                "Network Dissection of the bundled concept model");
        ResultJson.write(result, dissection.resolve("result.json"));
        List<String> lines = new ArrayList<>();
        for (LayerDissection layer : result.layers()) {
            TallyCsv.write(layer, dissection.resolve("tally-" + layer.layer() + ".csv"));
            String line = String.format(Locale.ROOT, "%s: %d of %d units are detectors, %d unique concepts; per category %s",
                    layer.layer(), layer.detectors().size(), layer.units().size(), layer.uniqueConcepts(),
                    layer.detectorsPerCategory());
            lines.add(line);
            out.println("dissection of " + line);
            List<UnitDissection> top = new ArrayList<>(layer.units());
            top.sort(Comparator.comparingDouble((UnitDissection u) -> u.best() == null ? 0 : -u.best().iou()));
            StringBuilder b = new StringBuilder("  top units:");
            for (UnitDissection u : top.subList(0, Math.min(5, top.size()))) {
                if (u.best() != null) {
                    b.append(String.format(Locale.ROOT, " %d %s (%s, IoU %.2f);", u.unit() + 1, u.best().label(),
                            u.best().category(), u.best().iou()));
                }
            }
            out.println(b);
            lines.add(b.toString().trim());
        }
        out.println("dissection report: " + report.toAbsolutePath());
        return new Summary(result, report, lines);
    }
}
