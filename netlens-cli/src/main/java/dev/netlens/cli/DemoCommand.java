package dev.netlens.cli;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Interventions;
import dev.netlens.core.graph.LayerSummary;
import dev.netlens.core.graph.RuleScope;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.bundled.BundledFashionMnist;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import dev.netlens.explain.render.GridRenderer;
import dev.netlens.explain.render.Heatmap;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The main job on bundled defaults. Today: an engine smoke run on a small residual CNN with random
 * weights — layers, a timed forward pass, an input gradient checked against finite differences,
 * and a tap, an intervention and a backward-rule override at work — then the bundled Fashion-MNIST
 * model on its sample images with an attribution grid PNG. Every check it prints is computed, and
 * a failed check ends with exit code 1.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the main job on bundled defaults (today: an engine smoke run on a small residual CNN, then the "
                + "bundled Fashion-MNIST model on its sample images with an attribution grid PNG).")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the weights and inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "32", description = "Input height and width (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size of the timed forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for the demo's pictures (default: a new netlens-demo-<date>-<time> directory; never overwrites).")
    java.nio.file.Path outDir;

    /** The engine checks' lines, for the report page. */
    private final List<String> checks = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        if (size < 8 || size > 512) {
            throw new IllegalArgumentException("--size must be between 8 and 512, got " + size);
        }
        if (batch < 1 || batch > 256) {
            throw new IllegalArgumentException("--batch must be between 1 and 256, got " + batch);
        }
        PrintWriter out = spec.commandLine().getOut();
        Kernels kernels = Kernels.get();
        out.printf(Locale.ROOT, "netlens engine demo — kernels: %s, threads: %d%n%n", kernels.name(), Parallel.threads());

        Graph net = ResNets.basic(new int[] {16, 32, 64}, new int[] {1, 1, 1}, 3, 10, false, seed);
        SplittableRandom random = new SplittableRandom(seed);
        Tensor one = Tensor.randomNormal(random, 1f, 1, 3, size, size);
        printLayers(out, net, net.run().forward(one));

        Tensor images = Tensor.randomNormal(random, 1f, batch, 3, size, size);
        double[] times = new double[7];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            net.run().forward(images);
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(times);
        out.printf(Locale.ROOT, "%nforward, batch %d of %dx%d: median %.2f ms over %d runs%n", batch, size, size,
                times[times.length / 2], times.length);
        checks.add(String.format(Locale.ROOT, "kernels %s, %d threads; forward of a small residual CNN, batch %d of %dx%d: "
                + "median %.2f ms over %d runs", kernels.name(), Parallel.threads(), batch, size, size,
                times[times.length / 2], times.length));

        boolean ok = true;
        Trace trace = net.run().record().tap("layer2.0.relu2").forward(one);
        Tensor logits = trace.output();
        int target = argmax(logits.data());
        Tensor seedGrad = Tensor.zeros(logits.shape());
        seedGrad.data()[target] = 1f;
        Tensor saliency = trace.gradient("logits", seedGrad, "input");
        double fdError = finiteDifferenceError(net, one, target, saliency, random);
        ok &= report(out, fdError < 2e-2, String.format(Locale.ROOT,
                "input gradient of logit %d vs central differences at 8 pixels: max relative error %.1e", target, fdError));

        Tensor tapped = trace.value("layer2.0.relu2");
        int unit = strongestChannel(tapped);
        Trace ablated = net.run().tap("layer2.0.relu2").intervene("layer2.0.relu2", Interventions.ablateChannels(unit))
                .forward(one);
        double channelMass = channelSum(ablated.value("layer2.0.relu2"), unit);
        double change = ablated.output().data()[target] - logits.data()[target];
        ok &= report(out, channelMass == 0.0, String.format(Locale.ROOT,
                "tap + intervention: ablating unit %d of layer2.0.relu2 (shape %s) zeroes it and moves logit %d by %+.4f",
                unit, Shapes.toString(tapped.shape()), target, change));

        BackwardRule guided = (ctx, g) -> {
            Tensor in = ctx.input(0);
            Tensor r = Tensor.zerosLike(g[0]);
            for (int i = 0; i < r.size(); i++) {
                r.data()[i] = in.data()[i] > 0 ? Math.max(g[0].data()[i], 0f) : 0f;
            }
            return new Tensor[] {r};
        };
        Composite composite = Composite.builder().byCategory(OpCategory.ACTIVATION, guided).build();
        Tensor guidedMap;
        try (RuleScope scope = trace.withRules(composite)) {
            guidedMap = trace.gradient("logits", seedGrad, "input");
        }
        Tensor after = trace.gradient("logits", seedGrad, "input");
        boolean restored = Arrays.equals(after.data(), saliency.data());
        ok &= report(out, restored && !Arrays.equals(guidedMap.data(), saliency.data()), String.format(Locale.ROOT,
                "rule override (guided ReLU) changes the map (cosine to plain gradient %.3f); after the scope the plain"
                        + " gradient is back bit for bit: %s", cosine(guidedMap, saliency), restored));
        out.println();
        out.println(ok ? "engine OK" : "engine check FAILED");
        if (!ok) {
            return 1;
        }
        java.nio.file.Path dir = outputDirectory();
        String bundled = bundledModel(out, dir);
        DemoConcepts.Summary concepts = DemoConcepts.run(out, spec.commandLine().getErr(), dir);
        java.nio.file.Path index = DemoIndex.write(dir, checks, bundled, "fashion-attribution.png", concepts);
        out.println();
        out.println("report: " + index.toAbsolutePath());
        return 0;
    }

    /** The bundled Fashion-MNIST model on its 100 sample images, and an attribution grid for five of them. */
    private String bundledModel(PrintWriter out, java.nio.file.Path dir) {
        Graph model = BundledFashionMnist.model();
        List<BundledFashionMnist.Sample> samples = BundledFashionMnist.samples();
        List<String> names = BundledFashionMnist.classNames();
        float[] pixels = new float[samples.size() * 784];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i).image().data(), 0, pixels, i * 784, 784);
        }
        Tensor logits = model.forward(Tensor.of(pixels, samples.size(), 1, 28, 28)).get("logits");
        int correct = 0;
        for (int i = 0; i < samples.size(); i++) {
            correct += argmaxRow(logits, i) == samples.get(i).label() ? 1 : 0;
        }
        String summary = String.format(Locale.ROOT, "bundled model (resnet8 trained by netlens on Fashion-MNIST, %d parameters): "
                + "%d of %d bundled test images classified correctly", LayerSummary.totalParameters(model), correct,
                samples.size());
        out.printf(Locale.ROOT, "%n%s%n", summary);

        // the first image of each of the first five classes to appear
        int[] picks = new int[5];
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0, k = 0; i < samples.size() && k < picks.length; i++) {
            if (seen.add(samples.get(i).label())) {
                picks[k++] = i;
            }
        }
        float[] chosen = new float[picks.length * 784];
        for (int i = 0; i < picks.length; i++) {
            System.arraycopy(samples.get(picks[i]).image().data(), 0, chosen, i * 784, 784);
        }
        Tensor x = Tensor.of(chosen, picks.length, 1, 28, 28);
        ExplainedModel explained = ExplainedModel.of(model);
        List<String> methods = List.of("saliency", "integrated-gradients", "guided-backprop", "grad-cam", "lrp");
        MethodOptions options = new MethodOptions("layer3.0.relu2", null, null, null, null, null, null, null, null,
                null, null, true, false, false);
        Tensor xLogits = model.forward(x).get("logits");
        Target target = Target.predicted().resolve(xLogits);
        List<List<Tensor>> maps = new java.util.ArrayList<>();
        for (int i = 0; i < picks.length; i++) {
            maps.add(new java.util.ArrayList<>());
        }
        for (String method : methods) {
            Explanation e = AttributionMethods.create(method, explained, options).explain(x, target);
            for (int i = 0; i < picks.length; i++) {
                maps.get(i).add(Heatmap.reduce(e.map(), i));
            }
        }
        List<GridRenderer.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < picks.length; i++) {
            BundledFashionMnist.Sample sample = samples.get(picks[i]);
            String label = "true " + names.get(sample.label()) + ", predicted " + names.get(argmaxRow(xLogits, i));
            rows.add(new GridRenderer.Row(Heatmap.grayscale(x, i), label, maps.get(i)));
        }
        java.nio.file.Path png = dir.resolve("fashion-attribution.png");
        GridRenderer.write(png, methods, rows, Heatmap.Options.defaults());
        out.println("attribution grid (" + String.join(", ", methods) + ") for five bundled images of different classes: "
                + png.toAbsolutePath());
        return summary;
    }

    private java.nio.file.Path outputDirectory() {
        java.nio.file.Path dir = outDir;
        if (dir == null) {
            String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dir = java.nio.file.Path.of("netlens-demo-" + stamp);
        }
        for (String name : new String[] {"index.html", "fashion-attribution.png", "dissection", "concept-scenes"}) {
            if (java.nio.file.Files.exists(dir.resolve(name))) {
                throw new IllegalArgumentException(dir.resolve(name) + " already exists; choose another --out directory");
            }
        }
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    private static int argmaxRow(Tensor scores, int row) {
        int k = scores.dim(1);
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (scores.data()[row * k + j] > scores.data()[row * k + best]) {
                best = j;
            }
        }
        return best;
    }

    private boolean report(PrintWriter out, boolean pass, String text) {
        out.println((pass ? "  ok    " : "  FAIL  ") + text);
        checks.add((pass ? "ok    " : "FAIL  ") + text);
        return pass;
    }

    private static void printLayers(PrintWriter out, Graph net, Trace trace) {
        List<LayerSummary> rows = LayerSummary.of(trace);
        out.printf(Locale.ROOT, "%-22s %-20s %-18s %10s%n", "layer", "op", "output", "params");
        for (LayerSummary r : rows) {
            out.printf(Locale.ROOT, "%-22s %-20s %-18s %10d%n", r.name(), r.op(),
                    Shapes.toString(r.outputShapes().get(0)), r.parameters());
        }
        out.printf(Locale.ROOT, "%d layers, %d parameters%n", rows.size(), LayerSummary.totalParameters(net));
    }

    private static double finiteDifferenceError(Graph net, Tensor x, int target, Tensor grad, SplittableRandom r) {
        double scale = 0;
        for (float v : grad.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        float eps = 1e-2f;
        for (int k = 0; k < 8; k++) {
            int i = r.nextInt(x.size());
            Tensor plus = x.copy();
            plus.data()[i] += eps;
            Tensor minus = x.copy();
            minus.data()[i] -= eps;
            double numeric = (net.run().forward(plus).output().data()[target]
                    - net.run().forward(minus).output().data()[target]) / (2 * eps);
            worst = Math.max(worst, Math.abs(numeric - grad.data()[i]) / scale);
        }
        return worst;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int strongestChannel(Tensor a) {
        int best = 0;
        double bestSum = -1;
        for (int c = 0; c < a.dim(1); c++) {
            double s = channelSum(a, c);
            if (s > bestSum) {
                bestSum = s;
                best = c;
            }
        }
        return best;
    }

    private static double channelSum(Tensor a, int c) {
        int area = Shapes.size(a.shape(), 2, a.rank());
        double s = 0;
        for (int n = 0; n < a.dim(0); n++) {
            for (int i = 0; i < area; i++) {
                s += Math.abs(a.data()[(n * a.dim(1) + c) * area + i]);
            }
        }
        return s;
    }

    private static double cosine(Tensor a, Tensor b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.size(); i++) {
            ab += (double) a.data()[i] * b.data()[i];
            aa += (double) a.data()[i] * a.data()[i];
            bb += (double) b.data()[i] * b.data()[i];
        }
        return ab / Math.sqrt(aa * bb + 1e-30);
    }
}
