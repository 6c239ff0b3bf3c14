package dev.netlens.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.tensor.TensorArena;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.PerturbationMethods;
import dev.netlens.explain.blackbox.OnnxRuntimePredictor;
import dev.netlens.explain.blackbox.Predictor;
import dev.netlens.explain.Target;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Arrays;
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
 * {@code netlens bench}: times one operation on a model and prints {@code median_ms=<float>} last.
 *
 * <ul>
 *   <li>{@code forward}: one inference pass (after warm-up runs);</li>
 *   <li>{@code gradient}: forward pass plus the input gradient of the target logit (a saliency map),
 *       with intermediate arrays reused from one repetition to the next ({@link TensorArena}), as
 *       netlens' gradient methods and plain forward passes do;</li>
 *   <li>{@code load}: reading and importing the model file plus its first forward pass, every
 *       repetition from scratch — the first repetition runs in a cold JVM and is printed separately;</li>
 *   <li>any attribution method of the registry ({@code netlens attribute --help} lists them): one
 *       {@code explain} call on the input, configured with the method options ({@code --steps},
 *       {@code --layer}, …) — the method is created once, untimed; the target class is resolved
 *       once on the input (the predicted class unless {@code --target}), untimed.</li>
 * </ul>
 * With {@code --engine onnxruntime}, {@code forward} and {@code load} run in ONNX Runtime (Java) instead
 * ({@code load} = session creation + first run), for side-by-side comparisons in one process, and
 * model-agnostic methods (occlusion, RISE, LIME, …) query ONNX Runtime for their forward passes.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time forward passes, gradients, load + first forward, or an attribution method; prints "
                + "median_ms=<float> last.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    InputOptions input;

    @Option(names = "--method", required = true, paramLabel = "METHOD",
            description = "forward, gradient, load, or an attribution method (see `netlens attribute --help`).")
    String method;

    @Mixin
    MethodOptionsMixin methodOptions;

    @Option(names = "--target", defaultValue = "-1", description = "Target class for gradient and attribution methods "
            + "(default: the top-1 class).")
    int target;

    @Option(names = "--repeat", defaultValue = "10", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--warmup", defaultValue = "auto", paramLabel = "N|auto", description = "Untimed warm-up runs for "
            + "forward, gradient and attribution methods: a count, or auto (the default): at least "
            + BenchWarmup.MIN_RUNS + ", then until " + BenchWarmup.MAX_RUNS + " runs or "
            + (BenchWarmup.MAX_NANOS / 1_000_000_000L) + " s, so that the JVM has compiled the kernels; "
            + "--warmup 3 times a one-shot command's first passes.")
    String warmup;

    @Option(names = "--engine", defaultValue = "netlens", description = "netlens or onnxruntime (default: ${DEFAULT-VALUE}).")
    String engine;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        }
        BenchWarmup warmupPolicy = BenchWarmup.parse(warmup);
        if (!engine.equals("netlens") && !engine.equals("onnxruntime")) {
            throw new IllegalArgumentException("--engine must be netlens or onnxruntime, got '" + engine + "'");
        }
        boolean attribution = !method.equals("forward") && !method.equals("gradient") && !method.equals("load");
        if (attribution && !AttributionMethods.all().containsKey(method)) {
            throw new IllegalArgumentException("--method must be forward, gradient, load or an attribution method, got '"
                    + method + "'; " + MethodOptionsMixin.known());
        }
        if (attribution) {
            if (engine.equals("onnxruntime") && !PerturbationMethods.modelAgnostic().contains(method)) {
                throw new IllegalArgumentException("ONNX Runtime computes no gradients: with --engine onnxruntime the "
                        + "method must be model-agnostic (" + String.join(", ", PerturbationMethods.modelAgnostic())
                        + "); use --engine netlens for " + method);
            }
            MethodOptionsMixin.checkMethods(List.of(method), methodOptions.layer);
            methodOptions.validate();
        }
        if (engine.equals("onnxruntime") && method.equals("gradient")) {
            throw new IllegalArgumentException("ONNX Runtime computes no gradients; use --engine netlens");
        }
        PrintWriter out = spec.commandLine().getOut();
        double[] times = new double[repeat];
        int warmed = 0;
        double cold;
        if (method.equals("load")) {
            if (!input.input.getFileName().toString().endsWith(".npy")) {
                throw new IllegalArgumentException("bench --method load takes a .npy input with the full input shape"
                        + " (reading an image needs the model's preprocessing, which would be timed too)");
            }
            Tensor x = dev.netlens.core.io.Npy.read(input.input);
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                if (engine.equals("onnxruntime")) {
                    ortLoadAndRun(x);
                } else {
                    Graph g = model.load();
                    g.run().forward(x);
                }
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
            cold = times[0];
            out.printf(Locale.ROOT, "first load + forward (cold JVM for netlens, first session for ONNX Runtime): %.1f ms%n",
                    cold);
        } else if (attribution) {
            if (!Files.exists(model.model)) {
                throw new IllegalArgumentException("model file " + model.model + " does not exist");
            }
            Warmup.start();
            ExplainedModel m = ExplainedModel.load(model.model);
            Tensor x = input.load(m.graph());
            try (Predictor ort = engine.equals("onnxruntime") ? OnnxRuntimePredictor.load(model.model) : null) {
                Attribution a = ort == null ? AttributionMethods.create(method, m, methodOptions.build(x))
                        : PerturbationMethods.create(method, ort, methodOptions.build(x));
                Tensor logits = ort == null ? m.forward(x) : ort.predict(x);
                Target t = (target >= 0 ? Target.classes(target) : Target.predicted()).resolve(logits);
                BenchWarmup.Run run = () -> a.explain(x, t);
                warmed = warmupPolicy.run(run);
                time(run, times);
            }
        } else {
            Graph g = model.load();
            Tensor x = input.load(g);
            if (engine.equals("onnxruntime")) {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                try (OrtSession session = env.createSession(model.model.toString(), options())) {
                    BenchWarmup.Run run = () -> ortRun(env, session, g.inputNames().get(0), x);
                    warmed = warmupPolicy.run(run);
                    time(run, times);
                }
            } else {
                BenchWarmup.Run run = method.equals("forward") ? () -> g.run().forward(x) : () -> gradient(g, x);
                warmed = warmupPolicy.run(run);
                time(run, times);
            }
        }
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        out.printf(Locale.ROOT, "%s %s on %s: min %.2f ms, max %.2f ms over %d runs%s%n", engine, method,
                model.model.getFileName(), sorted[0], sorted[sorted.length - 1], repeat, method.equals("load") ? ""
                        : String.format(Locale.ROOT, " after %d warm-up runs%s", warmed, warmupPolicy.auto() ? " (auto)" : ""));
        out.printf(Locale.ROOT, "median_ms=%.3f%n", median);
        return 0;
    }

    /** Times {@code times.length} runs, in ms. */
    private static void time(BenchWarmup.Run run, double[] times) throws Exception {
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            run.run();
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
    }

    /**
     * One saliency pass, in the calling thread's shared {@link TensorArena} as netlens' gradient
     * methods run theirs ({@code Gradients.input}): the pass reuses the last one's arrays.
     */
    private void gradient(Graph g, Tensor x) {
        try (TensorArena.Scope pass = TensorArena.shared().enter()) {
            gradientPass(g, x);
        }
    }

    private void gradientPass(Graph g, Tensor x) {
        Trace t = g.run().record().forward(x);
        String output = g.outputNames().get(0);
        Tensor y = t.output(output);
        Tensor seed = Tensor.zeros(y.shape());
        int classes = y.dim(y.rank() - 1);
        for (int n = 0; n < y.size() / classes; n++) {
            int k = target;
            if (k < 0) {
                k = 0;
                for (int c = 1; c < classes; c++) {
                    if (y.data()[n * classes + c] > y.data()[n * classes + k]) {
                        k = c;
                    }
                }
            }
            if (k >= classes) {
                throw new IllegalArgumentException("--target " + k + " is out of range: the model has " + classes + " classes");
            }
            seed.data()[n * classes + k] = 1f;
        }
        t.gradient(output, seed, g.inputNames().get(0));
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        String threads = System.getProperty("netlens.threads");
        o.setIntraOpNumThreads(threads == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads));
        o.setInterOpNumThreads(1);
        return o;
    }

    private void ortLoadAndRun(Tensor x) throws Exception {
        if (!Files.exists(model.model)) {
            throw new IllegalArgumentException("model file " + model.model + " does not exist");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.model.toString(), options())) {
            ortRun(env, session, session.getInputNames().iterator().next(), x);
        }
    }

    private static void ortRun(OrtEnvironment env, OrtSession session, String name, Tensor x) throws OrtException {
        long[] shape = Arrays.stream(x.shape()).asLongStream().toArray();
        try (ai.onnxruntime.OnnxTensor t = ai.onnxruntime.OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), shape);
             OrtSession.Result r = session.run(Map.of(name, t))) {
            r.get(0);
        }
    }
}
