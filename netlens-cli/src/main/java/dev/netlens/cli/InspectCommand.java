package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.LayerSummary;
import dev.netlens.core.graph.ShapeInference;
import dev.netlens.core.tensor.Shapes;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code netlens inspect}: the layers of a model — node, op, output value and shape, parameters. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List a model's layers: node name, op, output value name and shape, parameter count; then totals.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--batch", defaultValue = "1", description = "Batch size used for dynamic batch axes in the shapes shown (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--size", paramLabel = "H,W", description = "Spatial size for dynamic spatial axes (default: netlens.input_size metadata, else 224,224).")
    String size;

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        Graph g = model.load();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, int[]> inputs = ShapeInference.declaredInputs(g, batch);
        int[] hw = size != null ? dev.netlens.data.images.ImagePreprocessing.parseInts(size, "--size")
                : g.metadata().containsKey("netlens.input_size")
                ? dev.netlens.data.images.ImagePreprocessing.parseInts(g.metadata().get("netlens.input_size"), "netlens.input_size")
                : new int[] {224, 224};
        for (String in : g.inputNames()) {
            int[] declared = g.inputShape(in);
            int[] s = inputs.get(in);
            for (int d = 1; d < declared.length; d++) {
                if (declared[d] < 0) {
                    s[d] = d >= declared.length - 2 && hw.length == 2 ? hw[d - (declared.length - 2)] : 1;
                }
            }
        }
        Map<String, int[]> shapes = ShapeInference.infer(g, inputs);
        List<LayerSummary> rows = LayerSummary.of(g, shapes);
        int nameWidth = Math.min(48, Math.max(6, rows.stream().mapToInt(r -> r.name().length()).max().orElse(6)));
        int valueWidth = Math.min(48, Math.max(6, rows.stream().mapToInt(r -> r.outputs().get(0).length()).max().orElse(6)));
        String fmt = "%-" + nameWidth + "s  %-20s  %-" + valueWidth + "s  %-20s  %12s%n";
        out.printf(Locale.ROOT, fmt, "node", "op", "output", "shape", "params");
        for (LayerSummary r : rows) {
            for (int o = 0; o < r.outputs().size(); o++) {
                out.printf(Locale.ROOT, fmt, o == 0 ? clip(r.name(), nameWidth) : "", o == 0 ? r.op() : "",
                        clip(r.outputs().get(o), valueWidth), Shapes.toString(r.outputShapes().get(o)),
                        o == 0 ? String.valueOf(r.parameters()) : "");
            }
        }
        long params = LayerSummary.totalParameters(g);
        out.printf(Locale.ROOT, "%n%d nodes, %d parameters (%.1f MB as float32)%n", rows.size(), params, params * 4 / 1e6);
        for (String in : g.inputNames()) {
            out.printf(Locale.ROOT, "input  %s %s%n", in, Shapes.toString(g.inputShape(in)));
        }
        for (String o : g.outputNames()) {
            out.printf(Locale.ROOT, "output %s %s%n", o, Shapes.toString(shapes.get(o)));
        }
        g.metadata().forEach((k, v) -> out.printf(Locale.ROOT, "meta   %s = %s%n", k, v.length() > 120 ? v.substring(0, 117) + "…" : v));
        return 0;
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : "…" + s.substring(s.length() - width + 1);
    }
}
