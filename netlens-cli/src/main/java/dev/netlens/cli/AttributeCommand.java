package dev.netlens.cli;

import dev.netlens.core.io.Npy;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.images.ImagePreprocessing;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.PerturbationMethods;
import dev.netlens.explain.blackbox.CountingPredictor;
import dev.netlens.explain.blackbox.OnnxRuntimePredictor;
import dev.netlens.explain.perturbation.CountsEvaluations;
import dev.netlens.explain.blackbox.Predictor;
import dev.netlens.explain.Target;
import dev.netlens.explain.render.Colormap;
import dev.netlens.explain.render.GridRenderer;
import dev.netlens.explain.render.Heatmap;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code netlens attribute}: explains a model's output with a registered attribution method and
 * writes the raw map (.npy) or a heatmap over the input (.png), plus {@code <output>.json} with the
 * explanation's provenance. {@code --grid} compares several methods in one PNG.
 */
@Command(name = "attribute", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explain a model's output for an input with an attribution method; write the map (.npy) or a "
                + "heatmap over the input (.png), and <output>.json with the provenance (method, parameters, target, "
                + "model SHA-256, version).",
            "PNG: signed maps in blue-white-red centred at 0, non-negative maps in a sequential colormap, clipped at "
                + "the --clip percentile of |value|, over the image the model saw (grayscale), with a colour bar."})
final class AttributeCommand implements Callable<Integer> {
    CommandSpec spec;

    /** Injected by picocli; adds the list of registered methods to the help. */
    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        spec.usageMessage().footer(methodsHelp());
    }

    @Mixin
    ModelOptions model;

    @Mixin
    InputOptions input;

    @Option(names = "--method", paramLabel = "METHOD", description = "Attribution method (listed below).")
    String method;

    @Option(names = "--grid", paramLabel = "METHOD", split = ",",
            description = "Compare these methods side by side in one PNG (rows: batch items; columns: the input, then "
                    + "one per method) instead of --method; --output must end in .png.")
    List<String> grid;

    @Option(names = "--target", paramLabel = "K", description = "Class to explain (one class for the whole batch; "
            + "default: each item's predicted class).")
    Integer target;

    @Mixin
    MethodOptionsMixin methodOptions;

    @Option(names = "--output", required = true, paramLabel = "A.npy|A.png",
            description = "Where to write: .npy the raw map (CAM methods: [N,1,h,w]), .png a heatmap overlay with a "
                    + "colour bar; <output>.json (e.g. A.png.json) gets the provenance.")
    Path output;

    @Option(names = "--backend", paramLabel = "ENGINE", defaultValue = "netlens",
            description = "Engine for the forward passes: netlens (default) or onnxruntime (ONNX Runtime, forward only: "
                    + "model-agnostic methods — occlusion, feature-ablation, rise, lime, kernel-shap, shapley-sampling).")
    String backend;

    @Option(names = "--force", description = "Overwrite --output and <output>.json if they exist.")
    boolean force;

    @Option(names = "--clip", paramLabel = "PERCENTILE", defaultValue = "99",
            description = "PNG: clip the colours at this percentile of |value| (default: ${DEFAULT-VALUE}; 100 = no "
                    + "clipping).")
    double clip;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.6",
            description = "PNG: heatmap opacity over the image, 0..1 (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--sign", paramLabel = "MODE", defaultValue = "auto",
            description = "PNG: auto (signed if any value < 0), signed, positive or absolute (default: ${DEFAULT-VALUE}).")
    String sign;

    @Option(names = "--colormap", paramLabel = "NAME", defaultValue = "viridis",
            description = "PNG: sequential colormap for non-negative maps, viridis or inferno (default: ${DEFAULT-VALUE}).")
    String colormap;

    /** The "Methods:" help section: one entry per registered method, wrapped at 79 columns. */
    static String methodsHelp() {
        Map<String, AttributionMethods.Entry> all = AttributionMethods.all();
        StringBuilder b = new StringBuilder("\nMethods (--method, --grid):\n");
        if (all.isEmpty()) {
            b.append("  (none registered in this build)\n");
        }
        int width = Math.min(24, all.keySet().stream().mapToInt(String::length).max().orElse(0));
        String indent = " ".repeat(width + 4);
        for (AttributionMethods.Entry e : all.values()) {
            String text = e.description() + (e.needsLayer() ? " (needs --layer)" : "");
            StringBuilder line = new StringBuilder("  ").append(e.name());
            line.append(" ".repeat(Math.max(2, width + 4 - line.length())));
            boolean first = true;
            for (String word : text.split(" ")) {
                if (!first && line.length() + word.length() > 79) {
                    b.append(line.toString().stripTrailing()).append('\n');
                    line = new StringBuilder(indent);
                }
                line.append(word).append(' ');
                first = false;
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        // picocli format: % escaped, %n for line breaks.
        return b.toString().replace("%", "%%").replace("\n", "%n");
    }

    @Override
    public Integer call() throws Exception {
        List<String> methods = checkUsage();
        Heatmap.Options display = displayOptions();
        Path json = json(output);
        methodOptions.validate();

        try (OnnxRuntimePredictor blackBox = blackBox(methods)) {
            ExplainedModel m = null;
            if (blackBox == null) {
                m = loadModel();
            } else {
                try {
                    m = loadModel();
                } catch (IllegalArgumentException e) {
                    // A black box the engine cannot import (e.g. an operator netlens lacks): ONNX Runtime alone runs it.
                    spec.commandLine().getErr().println("netlens: note: the netlens engine cannot import " + model.model
                            + " (" + e.getMessage().lines().findFirst().orElse("") + "); ONNX Runtime runs it, and "
                            + "preprocessing comes from its metadata");
                }
            }
            Map<String, String> metadata = m != null ? m.graph().metadata() : blackBox.metadata();
            int[] declared = m != null ? m.graph().inputShape(m.inputName()) : blackBox.declaredInputShape();
            if (methodOptions.layer != null) {
                if (m == null) {
                    throw new IllegalArgumentException("--layer needs a model the netlens engine can import");
                }
                m.graph().requireValue(methodOptions.layer, "--layer");
            }
            Tensor x = input.load(declared, metadata);
            MethodOptions options = methodOptions.build(x);
            return explainAll(methods, m, metadata, declared, x, options, blackBox, display, json);
        }
    }

    /** ONNX Runtime for --backend onnxruntime (only model-agnostic methods), else null. */
    private OnnxRuntimePredictor blackBox(List<String> methods) {
        if (backend.equals("netlens")) {
            return null;
        }
        if (!backend.equals("onnxruntime")) {
            throw new IllegalArgumentException("--backend must be netlens or onnxruntime, got '" + backend + "'");
        }
        for (String name : methods) {
            if (!PerturbationMethods.modelAgnostic().contains(name)) {
                throw new IllegalArgumentException("method " + name + " needs the netlens engine (gradients or layers); "
                        + "--backend onnxruntime runs only " + String.join(", ", PerturbationMethods.modelAgnostic()));
            }
        }
        return OnnxRuntimePredictor.load(model.model);
    }

    private Integer explainAll(List<String> methods, ExplainedModel m, Map<String, String> metadata, int[] declared,
                               Tensor x, MethodOptions options, Predictor blackBox, Heatmap.Options display, Path json)
            throws java.io.IOException {
        Tensor logits = blackBox == null ? m.forward(x) : blackBox.predictInChunks(x, 32);
        Target requested = target == null ? Target.predicted() : Target.classes(target);
        Target resolved = requested.resolve(logits);
        int n = x.dim(0);
        int[] classes = new int[n];
        Target.ClassTarget ct = (Target.ClassTarget) resolved;
        for (int i = 0; i < n; i++) {
            classes[i] = ct.classOf(logits, i);
        }

        PrintWriter out = spec.commandLine().getOut();
        List<Explanation> explanations = new ArrayList<>();
        for (String name : methods) {
            ProgressBar[] bar = {null};
            long[] total = {0};
            Attribution a;
            if (PerturbationMethods.modelAgnostic().contains(name)) {
                // Forward passes go through a counter that drives a progress bar with ETA.
                Predictor counting = new CountingPredictor(blackBox != null ? blackBox : Predictor.of(m), done -> {
                    if (bar[0] != null) {
                        bar[0].update(Math.min(done, total[0] - 1), "inputs");
                    }
                });
                a = PerturbationMethods.create(name, counting, options);
                total[0] = ((CountsEvaluations) a).evaluations(x);
                bar[0] = new ProgressBar(spec.commandLine().getErr(), name, total[0], 0);
            } else {
                a = AttributionMethods.create(name, m, options);
            }
            long t0 = System.nanoTime();
            Explanation e = a.explain(x, resolved);
            if (bar[0] != null) {
                bar[0].update(total[0], "inputs");
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (e.map().rank() < 1 || e.map().dim(0) != n) {
                throw new IllegalStateException("method " + name + " returned a map of shape "
                        + Shapes.toString(e.map().shape()) + " for a batch of " + n);
            }
            explanations.add(e);
            out.printf(Locale.ROOT, "%s: %s, map %s (%.1f ms)%n", name, e.target(), Shapes.toString(e.map().shape()), ms);
        }

        List<String> labels = labels(metadata, logits, classes, target == null);
        String lower = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (grid != null || lower.endsWith(".png")) {
            List<BufferedImage> bases = bases(declared, metadata, x);
            if (grid == null && n == 1) {
                Explanation e = explanations.get(0);
                Heatmap.write(output, Heatmap.overlay(bases.get(0), Heatmap.reduce(e.map(), 0),
                        display.withCaption(e.method() + " · " + labels.get(0))));
            } else {
                List<GridRenderer.Row> rows = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    List<Tensor> maps = new ArrayList<>();
                    for (Explanation e : explanations) {
                        maps.add(Heatmap.reduce(e.map(), i));
                    }
                    rows.add(new GridRenderer.Row(bases.get(i), labels.get(i), maps));
                }
                GridRenderer.write(output, methods, rows, display);
            }
        } else {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Npy.write(output, explanations.get(0).map());
        }
        Files.writeString(json, provenance(explanations, grid != null), StandardCharsets.UTF_8);
        out.println("wrote " + output + " and " + json);
        return 0;
    }

    /** Checks the options that need no model; returns the methods to run. */
    private List<String> checkUsage() {
        if (method == null && grid == null) {
            throw new IllegalArgumentException("give --method METHOD (or --grid METHOD,METHOD,…); " + MethodOptionsMixin.known());
        }
        if (method != null && grid != null) {
            throw new IllegalArgumentException("give either --method or --grid, not both");
        }
        List<String> methods = grid != null ? grid.stream().map(String::trim).toList() : List.of(method);
        if (methods.isEmpty() || methods.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("--grid needs comma-separated method names, got '" + String.join(",", methods)
                    + "'");
        }
        if (methods.stream().distinct().count() != methods.size()) {
            throw new IllegalArgumentException("--grid names a method twice: " + String.join(",", methods));
        }
        String lower = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (grid != null && !lower.endsWith(".png")) {
            throw new IllegalArgumentException("--grid writes a PNG: --output must end in .png, got " + output);
        }
        if (!lower.endsWith(".png") && !lower.endsWith(".npy")) {
            throw new IllegalArgumentException("--output must end in .npy (raw map) or .png (heatmap), got " + output);
        }
        for (Path p : List.of(output, json(output))) {
            if (Files.exists(p) && !force) {
                throw new IllegalArgumentException("output " + p + " exists; pass --force to overwrite it");
            }
            if (Files.isDirectory(p)) {
                throw new IllegalArgumentException("output " + p + " is a directory");
            }
        }
        MethodOptionsMixin.checkMethods(methods, methodOptions.layer);
        if (target != null && target < 0) {
            throw new IllegalArgumentException("--target must be a class index >= 0, got " + target);
        }
        return methods;
    }

    private Heatmap.Options displayOptions() {
        if (!(clip > 0 && clip <= 100)) {
            throw new IllegalArgumentException("--clip must be a percentile in (0, 100], got " + clip);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("--alpha must be between 0 and 1, got " + alpha);
        }
        Heatmap.Sign s = switch (sign.toLowerCase(Locale.ROOT)) {
            case "auto" -> Heatmap.Sign.AUTO;
            case "signed", "all" -> Heatmap.Sign.SIGNED;
            case "positive" -> Heatmap.Sign.POSITIVE;
            case "absolute", "absolute_value" -> Heatmap.Sign.ABSOLUTE;
            default -> throw new IllegalArgumentException("--sign must be auto, signed, positive or absolute, got '"
                    + sign + "'");
        };
        Colormap cmap = Colormap.named(colormap);
        if (cmap.diverging()) {
            throw new IllegalArgumentException("--colormap must be a sequential map (viridis or inferno), got '"
                    + colormap + "'");
        }
        return Heatmap.Options.defaults().withSign(s).withClipPercentile(clip).withAlpha(alpha).withSequential(cmap);
    }

    /** {@code <output>.json}: the output's file name with ".json" appended. */
    static Path json(Path output) {
        return output.resolveSibling(output.getFileName().toString() + ".json");
    }

    private ExplainedModel loadModel() {
        Warmup.start();
        if (!Files.exists(model.model)) {
            throw new IllegalArgumentException("model file " + model.model + " does not exist");
        }
        if (Files.isDirectory(model.model)) {
            throw new IllegalArgumentException("model path " + model.model + " is a directory; give the .onnx file");
        }
        ExplainedModel m = ExplainedModel.load(model.model);
        // --mean/--std describe the input normalisation: LRP's zB bounds follow them as they follow the metadata.
        if (input.mean != null) {
            m = m.withMetadata("netlens.mean", input.mean);
        }
        if (input.std != null) {
            m = m.withMetadata("netlens.std", input.std);
        }
        return m;
    }

    /** What the model saw, per batch item: the resized and cropped image, or a grayscale rendering of the tensor. */
    private List<BufferedImage> bases(int[] declared, Map<String, String> metadata, Tensor x) {
        List<BufferedImage> out = new ArrayList<>();
        String name = input.input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".npy")) {
            ImagePreprocessing pre = input.preprocessing(declared, metadata);
            BufferedImage crop = pre.resizeAndCrop(ImagePreprocessing.read(input.input));
            for (int i = 0; i < x.dim(0); i++) {
                out.add(crop);
            }
            return out;
        }
        if (x.rank() != 4) {
            throw new IllegalArgumentException("a PNG needs an image input [N, C, H, W]; the input has shape "
                    + Shapes.toString(x.shape()) + " (write .npy instead)");
        }
        for (int i = 0; i < x.dim(0); i++) {
            out.add(Heatmap.grayscale(x, i));
        }
        return out;
    }

    private static List<String> labels(Map<String, String> metadata, Tensor logits, int[] classes, boolean predicted) {
        int k = logits.size() / logits.dim(0);
        List<String> names = ClassNames.of(metadata, k);
        List<String> out = new ArrayList<>();
        for (int c : classes) {
            out.add("class " + c + (names == null ? "" : " (" + names.get(c) + ")") + (predicted ? ", predicted" : ""));
        }
        return out;
    }

    private static String provenance(List<Explanation> explanations, boolean grid) {
        if (!grid) {
            return explanations.get(0).provenanceJson();
        }
        StringBuilder b = new StringBuilder("{\n  \"grid\": [\n");
        for (int i = 0; i < explanations.size(); i++) {
            String one = explanations.get(i).provenanceJson().strip().replace("\n", "\n    ");
            b.append("    ").append(one).append(i + 1 < explanations.size() ? ",\n" : "\n");
        }
        return b.append("  ]\n}\n").toString();
    }
}
