package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.io.Npy;
import dev.netlens.core.onnx.OnnxImporter;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.bundled.BundledConceptModel;
import dev.netlens.data.concepts.SceneAnnotations;
import dev.netlens.data.images.ImagePreprocessing;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.metrics.Evaluation;
import dev.netlens.explain.metrics.EvaluationReport;
import dev.netlens.explain.metrics.EvaluationResult;
import dev.netlens.explain.metrics.EvaluationSample;
import dev.netlens.explain.metrics.Metric;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netlens evaluate}: scores attribution methods with the metrics of SPECS §H on many images
 * and writes CSV, JSON, PNG charts and an HTML report.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate explanations: run attribution methods on many images and score their maps with "
                + "deletion/insertion AUC, pixel flipping (AOPC), faithfulness correlation, infidelity, "
                + "max-sensitivity, sanity checks (parameter randomisation) and the (energy) pointing game. Writes "
                + "<out>/summary.csv, results.csv, curves.csv, sanity.csv, result.json, PNG charts and index.html.",
            "Without --model: the bundled concept model (resnet8, 48x48 concept scenes), with --layer "
                + "layer3.0.relu2 for CAM methods."})
final class EvaluateCommand implements Callable<Integer> {
    static final String DEFAULT_METHODS = "saliency,integrated-gradients,guided-backprop,grad-cam,lrp";
    static final String BUNDLED_LAYER = "layer3.0.relu2";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M.onnx", description = "The ONNX model (default: the bundled concept model).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR|X.npy", description = "A concept-scenes directory (netlens "
            + "concepts generate; object masks come from it), a folder of images, or a .npy batch [N, C, H, W]. "
            + "Folders and .npy have no masks: the pointing games need concept scenes.")
    Path data;

    @Option(names = "--methods", split = ",", paramLabel = "M", description = "Attribution methods, comma-separated "
            + "(names as netlens attribute --method; default: " + DEFAULT_METHODS + ").")
    List<String> methods;

    @Option(names = "--metrics", split = ",", paramLabel = "K", description = "Metrics, comma-separated: deletion, "
            + "insertion, aopc (= pixel-flipping), faithfulness-correlation, infidelity, max-sensitivity, sanity, "
            + "pointing-game, energy-pointing-game, or all (default: deletion,insertion and, with concept scenes, "
            + "pointing-game,energy-pointing-game).")
    List<String> metrics;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--images", defaultValue = "100", paramLabel = "N", description = "Images to use, the first N (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the sampling methods and the metrics (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--target", defaultValue = "predicted", paramLabel = "predicted|label|K", description = "Class to "
            + "explain: the model's prediction (default), the true label (concept scenes), or class index K.")
    String target;

    @Option(names = "--layer", paramLabel = "NAME", description = "Layer for CAM and layer methods (default for the bundled model: " + BUNDLED_LAYER + ").")
    String layer;

    @Option(names = "--samples", paramLabel = "N", description = "Samples of sampling methods (SmoothGrad, RISE, …; default: each method's).")
    Integer samples;

    @Option(names = "--steps", paramLabel = "N", description = "Integration steps (integrated gradients; default 50).")
    Integer steps;

    @Option(names = "--sanity-images", defaultValue = "4", paramLabel = "N", description = "Images the sanity checks use (default: ${DEFAULT-VALUE}).")
    int sanityImages;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "Perturbed images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--split", paramLabel = "NAME", description = "Concept scenes: only this split (train or val; default: all).")
    String split;

    @Option(names = "--force", description = "Write over the result files of an earlier run in --out.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (images < 1) {
            throw new IllegalArgumentException("--images must be ≥ 1, got " + images);
        }
        if (sanityImages < 1 || batch < 1) {
            throw new IllegalArgumentException("--sanity-images and --batch must be ≥ 1");
        }
        if (!Files.exists(data)) {
            throw new IllegalArgumentException("--data " + data + " does not exist");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a directory");
        }
        Path json = out.resolve("result.json");
        if (Files.exists(json) && !force) {
            throw new IllegalArgumentException(json + " already exists; pass --force to write over it or choose another --out");
        }
        Warmup.start();
        Graph graph;
        String modelName;
        ExplainedModel em;
        if (model == null) {
            graph = BundledConceptModel.model();
            em = ExplainedModel.of(graph);
            modelName = "bundled concept model (resnet8)";
            if (layer == null) {
                layer = BUNDLED_LAYER;
            }
        } else {
            if (!Files.isRegularFile(model)) {
                throw new IllegalArgumentException("model file " + model + " does not exist");
            }
            em = ExplainedModel.load(model);
            graph = em.graph();
            modelName = model.getFileName().toString();
        }
        if (layer != null) {
            graph.requireValue(layer, "--layer");
        }
        List<String> methodNames = methods == null ? List.of(DEFAULT_METHODS.split(",")) : methods;
        for (String m : methodNames) {
            if (!AttributionMethods.all().containsKey(m)) {
                throw new IllegalArgumentException("unknown method '" + m + "'; methods: " + AttributionMethods.all().keySet());
            }
        }
        boolean scenes = Files.isDirectory(data) && SceneAnnotations.present(data);
        Set<Metric> metricSet = new LinkedHashSet<>();
        if (metrics == null) {
            metricSet.add(Metric.DELETION);
            metricSet.add(Metric.INSERTION);
            if (scenes) {
                metricSet.add(Metric.POINTING);
                metricSet.add(Metric.ENERGY);
            }
        } else {
            for (String m : metrics) {
                metricSet.addAll(Metric.parse(m));
            }
        }
        if (!scenes) {
            for (Metric m : metricSet) {
                if (m.needsMask()) {
                    throw new IllegalArgumentException("metric " + m + " needs object masks: give --data a concept-scenes "
                            + "directory (netlens concepts generate), not " + data);
                }
            }
        }
        ImagePreprocessing pre = preprocessing(graph);
        List<EvaluationSample> samplesList = load(pre, classNames(graph), scenes);
        Evaluation.Builder b = Evaluation.builder(em).modelName(modelName).metrics(new ArrayList<>(metricSet)).seed(seed)
                .sanityImages(sanityImages).batch(batch);
        MethodOptions options = MethodOptions.defaults().withLayer(layer).withSamples(samples).withSteps(steps);
        for (String m : methodNames) {
            b.method(m, options);
        }
        switch (target.toLowerCase(Locale.ROOT)) {
            case "predicted" -> b.target(Evaluation.TargetPolicy.PREDICTED);
            case "label" -> b.target(Evaluation.TargetPolicy.LABEL);
            default -> {
                try {
                    b.targetClass(Integer.parseInt(target));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--target must be predicted, label or a class index, got '" + target + "'");
                }
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar[] holder = {null};
        EvaluationResult r = b.build().run(samplesList, (done, total, status) -> {
            if (holder[0] == null) {
                holder[0] = new ProgressBar(err, "evaluate", total, 0);
            }
            holder[0].update(done, status);
        });
        Path index = new EvaluationReport().write(r, out);
        o.printf(Locale.ROOT, "%d images, %d methods, metrics %s%n", r.images().size(), r.methods().size(), r.metrics());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-28s", "method"));
        for (Metric k : r.metrics()) {
            header.append(String.format(Locale.ROOT, " %22s", k.id() + (k.higherIsBetter() ? " (+)" : " (-)")));
        }
        o.println(header.append("   s/image"));
        for (String m : r.methods()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", m));
            for (Metric k : r.metrics()) {
                EvaluationResult.Summary s = r.summary(m, k);
                line.append(String.format(Locale.ROOT, " %22s", Double.isNaN(s.mean()) ? "-"
                        : String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), Double.isNaN(s.stderr()) ? 0 : s.stderr())));
            }
            o.println(line.append(String.format(Locale.ROOT, "   %.3f", r.seconds().get(m))));
        }
        if (r.settings().get("chance_mask_area_fraction") instanceof Double chance) {
            o.printf(Locale.ROOT, "pointing-game chance level (mean object mask area): %.4f%n", chance);
        }
        if (r.settings().get("chance_region_pointing_game") instanceof Map<?, ?> chance) {
            chance.forEach((m, v) -> o.printf(Locale.ROOT, "region-pointing-game chance level for %s (share of its regions "
                    + "touching the object): %.4f%n", m, (Double) v));
        }
        o.println("report: " + index.toAbsolutePath());
        return 0;
    }

    private static List<String> classNames(Graph g) {
        return g.metadata().containsKey("netlens.classes") ? ClassNames.parse(g.metadata().get("netlens.classes")) : null;
    }

    private ImagePreprocessing preprocessing(Graph graph) {
        int[] declared = graph.inputShape(graph.inputNames().get(0));
        int[] fallback = declared.length == 4 && declared[2] > 0 && declared[3] > 0
                ? new int[] {declared[2], declared[3]} : null;
        return ImagePreprocessing.fromMetadata(graph.metadata(), null, null, null, null, fallback);
    }

    private List<EvaluationSample> load(ImagePreprocessing pre, List<String> classNames, boolean scenes) throws IOException {
        List<EvaluationSample> out = new ArrayList<>();
        if (scenes) {
            for (EvaluationSample s : EvaluationSample.conceptScenes(data, split, images, pre.height(), pre.width(),
                    classNames)) {
                out.add(new EvaluationSample(s.name(), normalise(pre, s.image()), s.mask(), s.label()));
            }
        } else if (Files.isDirectory(data)) {
            List<Path> files;
            try (Stream<Path> st = Files.list(data)) {
                files = st.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
                        .sorted().limit(images).toList();
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException(data + " has no PNG/JPEG images and no objects.csv (not concept scenes)");
            }
            for (Path f : files) {
                Tensor x = pre.load(f);
                out.add(new EvaluationSample(f.getFileName().toString(), x.reshape(Arrays.copyOfRange(x.shape(), 1, 4)),
                        null, -1));
            }
        } else if (data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            Tensor x = Npy.read(data);
            if (x.rank() == 3) {
                x = x.reshape(1, x.dim(0), x.dim(1), x.dim(2));
            }
            if (x.rank() != 4) {
                throw new IllegalArgumentException(data + " has shape " + Arrays.toString(x.shape())
                        + "; evaluate takes images [N, C, H, W] or [C, H, W]");
            }
            int per = x.size() / x.dim(0);
            for (int i = 0; i < Math.min(images, x.dim(0)); i++) {
                out.add(new EvaluationSample(data.getFileName() + "[" + i + "]",
                        Tensor.of(Arrays.copyOfRange(x.data(), i * per, (i + 1) * per), x.dim(1), x.dim(2), x.dim(3)),
                        null, -1));
            }
        } else {
            throw new IllegalArgumentException("--data must be a concept-scenes directory, an image folder or a .npy file, got "
                    + data);
        }
        return out;
    }

    /** Applies the model's mean/std normalisation (none for the bundled model). */
    private static Tensor normalise(ImagePreprocessing pre, Tensor x) {
        if (!pre.normalises()) {
            return x;
        }
        float[] d = x.data().clone();
        int c = x.dim(0);
        int area = x.dim(1) * x.dim(2);
        for (int ch = 0; ch < c; ch++) {
            float m = pre.mean() == null ? 0 : pre.mean()[pre.mean().length == 1 ? 0 : ch];
            float s = pre.std() == null ? 1 : pre.std()[pre.std().length == 1 ? 0 : ch];
            for (int i = 0; i < area; i++) {
                d[ch * area + i] = (d[ch * area + i] - m) / s;
            }
        }
        return Tensor.of(d, x.shape());
    }
}
