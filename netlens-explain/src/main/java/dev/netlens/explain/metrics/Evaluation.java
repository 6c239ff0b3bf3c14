package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates many attribution methods on many images with many metrics (SPECS §H): for each image
 * the class is chosen (the model's prediction by default, or the true label), each method explains
 * it once, and every requested metric scores that map. Sanity checks (Adebayo et al. 2018) run once
 * per method on the first {@code sanityImages} images together, since they re-explain the images on
 * one randomised model per layer. Progress is reported after every image × method.
 *
 * <pre>{@code
 * EvaluationResult r = Evaluation.builder(model)
 *         .method("saliency", MethodOptions.defaults())
 *         .method("grad-cam", MethodOptions.defaults().withLayer("layer3.0.relu2"))
 *         .metrics(List.of(Metric.DELETION, Metric.INSERTION, Metric.ENERGY))
 *         .build().run(samples, (done, total, status) -> { });
 * new EvaluationReport().write(r, outDir);
 * }</pre>
 *
 * Metrics use their documented defaults (see each class) with this evaluation's {@code seed}.
 */
public final class Evaluation {
    /** How the explained class is chosen. */
    public enum TargetPolicy {
        /** The model's top class at the image (default). */
        PREDICTED,
        /** The sample's true label. */
        LABEL
    }

    /** Progress after each unit of work. */
    @FunctionalInterface
    public interface Listener {
        void progress(long done, long total, String status);
    }

    private final ExplainedModel model;
    private final String modelName;
    private final Map<String, MethodOptions> methods;
    private final List<Metric> metrics;
    private final long seed;
    private final int sanityImages;
    private final TargetPolicy policy;
    private final Integer fixedClass;
    private final int batch;

    private Evaluation(Builder b) {
        this.model = b.model;
        this.modelName = b.modelName;
        this.methods = new LinkedHashMap<>(b.methods);
        this.metrics = List.copyOf(b.metrics);
        this.seed = b.seed;
        this.sanityImages = b.sanityImages;
        this.policy = b.policy;
        this.fixedClass = b.fixedClass;
        this.batch = b.batch;
    }

    public static Builder builder(ExplainedModel model) {
        return new Builder(model);
    }

    /** Runs every method and metric on the samples. */
    public EvaluationResult run(List<EvaluationSample> samples, Listener listener) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no images to evaluate");
        }
        for (Metric m : metrics) {
            if (m.needsMask()) {
                for (EvaluationSample s : samples) {
                    if (s.mask() == null) {
                        throw new IllegalArgumentException("metric " + m + " needs object masks, but image " + s.name()
                                + " has none (give a concept-scenes directory, as written by netlens concepts generate)");
                    }
                }
            }
        }
        if (policy == TargetPolicy.LABEL) {
            for (EvaluationSample s : samples) {
                if (s.label() < 0) {
                    throw new IllegalArgumentException("--target label needs labelled images; image " + s.name()
                            + " has no label");
                }
            }
        }
        Map<String, Attribution> made = new LinkedHashMap<>();
        for (Map.Entry<String, MethodOptions> e : methods.entrySet()) {
            made.put(e.getKey(), AttributionMethods.create(e.getKey(), model, e.getValue().withSeed(seed)));
        }
        ClassScorer scorer = new ClassScorer(model, batch);
        int n = samples.size();
        boolean sanity = metrics.contains(Metric.SANITY);
        int nSanity = sanity ? Math.min(sanityImages, n) : 0;
        long total = (long) n * made.size() + (sanity ? made.size() : 0);
        long done = 0;
        DeletionInsertion deletion = DeletionInsertion.builder(DeletionInsertion.Mode.DELETION).seed(seed).batch(batch).build();
        DeletionInsertion insertion = DeletionInsertion.builder(DeletionInsertion.Mode.INSERTION).seed(seed).batch(batch).build();
        PixelFlipping flipping = PixelFlipping.builder().seed(seed).batch(batch).build();
        FaithfulnessCorrelation faithfulness = FaithfulnessCorrelation.builder().seed(seed).batch(batch).build();
        Infidelity infidelity = Infidelity.builder().seed(seed).batch(batch).build();
        MaxSensitivity sensitivity = MaxSensitivity.builder().seed(seed).build();
        PointingGame pointing = PointingGame.exact();

        Map<String, Map<Metric, double[]>> values = new LinkedHashMap<>();
        Map<String, Map<Metric, double[][]>> curveSums = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String m : made.keySet()) {
            Map<Metric, double[]> v = new EnumMap<>(Metric.class);
            for (Metric k : metrics) {
                double[] a = new double[n];
                java.util.Arrays.fill(a, Double.NaN);
                v.put(k, a);
            }
            values.put(m, v);
            curveSums.put(m, new EnumMap<>(Metric.class));
            seconds.put(m, 0.0);
        }
        Map<Metric, double[]> fractions = new EnumMap<>(Metric.class);
        Map<String, double[]> regionChance = new LinkedHashMap<>();
        int[] classes = new int[n];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EvaluationSample s = samples.get(i);
            names.add(s.name());
            Tensor x = PixelMaps.single(s.image());
            int cls = fixedClass != null ? fixedClass : policy == TargetPolicy.LABEL ? s.label() : scorer.predict(x);
            classes[i] = cls;
            for (Map.Entry<String, Attribution> e : made.entrySet()) {
                String name = e.getKey();
                long t0 = System.nanoTime();
                dev.netlens.explain.Explanation explanation = e.getValue().explain(x, Target.classes(cls));
                Tensor map = explanation.map();
                Tensor segments = explanation.extras().get("segments");
                seconds.merge(name, (System.nanoTime() - t0) / 1e9 / n, Double::sum);
                Map<Metric, double[]> v = values.get(name);
                for (Metric k : metrics) {
                    double value;
                    switch (k) {
                        case DELETION, INSERTION, AOPC -> {
                            Curve c;
                            if (k == Metric.AOPC) {
                                PixelFlipping.Result r = flipping.evaluate(scorer, x, map, cls);
                                c = r.curve();
                                value = r.aopc();
                            } else {
                                c = (k == Metric.DELETION ? deletion : insertion).evaluate(scorer, x, map, cls);
                                value = c.auc();
                            }
                            addCurve(curveSums.get(name), fractions, k, c);
                        }
                        case FAITHFULNESS -> value = faithfulness.evaluate(scorer, x, map, cls);
                        case INFIDELITY -> value = infidelity.evaluate(scorer, x, map, cls);
                        case SENSITIVITY -> value = sensitivity.evaluate(e.getValue(), x, map, cls);
                        case POINTING -> value = pointing.hit(map, s.mask()) ? 1 : 0;
                        case ENERGY -> value = PointingGame.energy(map, s.mask());
                        case REGION -> {
                            value = (segments != null ? PointingGame.regionHit(map, segments, s.mask())
                                    : pointing.hit(map, s.mask())) ? 1 : 0;
                            regionChance.computeIfAbsent(name, unused -> new double[n])[i] = segments != null
                                    ? PointingGame.regionChance(segments, s.mask()) : s.mask().fraction();
                        }
                        default -> value = Double.NaN;
                    }
                    v.get(k)[i] = value;
                }
                done++;
                listener.progress(done, total, s.name() + " " + name);
            }
        }
        Map<String, List<SanityCheck.Result>> sanityResults = new LinkedHashMap<>();
        if (sanity) {
            Tensor batchImages = stack(samples.subList(0, nSanity));
            int[] sanityClasses = java.util.Arrays.copyOf(classes, nSanity);
            for (Map.Entry<String, MethodOptions> e : methods.entrySet()) {
                String name = e.getKey();
                MethodOptions o = e.getValue().withSeed(seed);
                List<SanityCheck.Result> rs = new ArrayList<>();
                for (SanityCheck.Mode mode : SanityCheck.Mode.values()) {
                    rs.add(SanityCheck.builder().mode(mode).seed(seed).build()
                            .run(model, m -> AttributionMethods.create(name, m, o), batchImages, sanityClasses));
                }
                sanityResults.put(name, rs);
                double[][] rho = rs.get(0).spearman();
                for (int i = 0; i < nSanity; i++) {
                    values.get(name).get(Metric.SANITY)[i] = meanOf(rho[i]);
                }
                done++;
                listener.progress(done, total, "sanity " + name);
            }
        }
        Map<String, Map<Metric, Curve>> curves = new LinkedHashMap<>();
        curveSums.forEach((m, sums) -> {
            Map<Metric, Curve> c = new EnumMap<>(Metric.class);
            sums.forEach((k, s) -> {
                double[] mean = new double[s[0].length];
                for (int j = 0; j < mean.length; j++) {
                    mean[j] = s[0][j] / s[1][0];
                }
                c.put(k, Curve.of(fractions.get(k), mean));
            });
            curves.put(m, c);
        });
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", seed);
        settings.put("target", fixedClass != null ? "class " + fixedClass : policy.name().toLowerCase(java.util.Locale.ROOT));
        settings.put("sanity_images", nSanity);
        settings.put("model_sha256", model.sha256());
        if (metrics.contains(Metric.POINTING) || metrics.contains(Metric.ENERGY)) {
            // What a random point (pointing game) or a uniform map (energy) scores: the mean mask area.
            double area = 0;
            for (EvaluationSample s : samples) {
                area += s.mask().fraction();
            }
            settings.put("chance_mask_area_fraction", area / n);
        }
        if (!regionChance.isEmpty()) {
            Map<String, Double> chance = new LinkedHashMap<>();
            regionChance.forEach((m, v) -> chance.put(m, java.util.Arrays.stream(v).average().orElse(Double.NaN)));
            settings.put("chance_region_pointing_game", chance);
        }
        Map<String, String> options = new LinkedHashMap<>();
        methods.forEach((m, o) -> options.put(m, o.layer() == null ? "" : "layer=" + o.layer()));
        settings.put("method_options", options);
        return new EvaluationResult(modelName, names, classes, new ArrayList<>(made.keySet()), metrics, values, curves,
                sanityResults, seconds, settings);
    }

    /** Accumulates a curve: sums[0] = Σ scores, sums[1][0] = count; curves of other lengths are left out of the mean. */
    private static void addCurve(Map<Metric, double[][]> sums, Map<Metric, double[]> fractions, Metric k, Curve c) {
        double[][] s = sums.get(k);
        if (s == null) {
            s = new double[][] {new double[c.scores().length], {0}};
            sums.put(k, s);
            fractions.putIfAbsent(k, c.fractions());
        }
        if (s[0].length != c.scores().length) {
            return;
        }
        for (int j = 0; j < s[0].length; j++) {
            s[0][j] += c.scores()[j];
        }
        s[1][0]++;
    }

    /** Mean of the non-NaN values (NaN when none). */
    static double meanOf(double[] v) {
        double sum = 0;
        int n = 0;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                sum += d;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static Tensor stack(List<EvaluationSample> samples) {
        int[] shape = samples.get(0).image().shape();
        int per = samples.get(0).image().size();
        float[] data = new float[samples.size() * per];
        for (int i = 0; i < samples.size(); i++) {
            Tensor img = samples.get(i).image();
            if (img.size() != per) {
                throw new IllegalArgumentException("sanity checks need images of one size; " + samples.get(i).name()
                        + " differs");
            }
            System.arraycopy(img.data(), 0, data, i * per, per);
        }
        return Tensor.of(data, samples.size(), shape[0], shape[1], shape[2]);
    }

    /** Settings with documented defaults. */
    public static final class Builder {
        private final ExplainedModel model;
        private String modelName = "model";
        private final Map<String, MethodOptions> methods = new LinkedHashMap<>();
        private final Set<Metric> metrics = new LinkedHashSet<>();
        private long seed;
        private int sanityImages = 4;
        private TargetPolicy policy = TargetPolicy.PREDICTED;
        private Integer fixedClass;
        private int batch = 32;

        private Builder(ExplainedModel model) {
            if (model == null) {
                throw new IllegalArgumentException("model must not be null");
            }
            this.model = model;
        }

        /** A name for the model in reports (default "model"). */
        public Builder modelName(String v) {
            this.modelName = v;
            return this;
        }

        /** Adds a registry method with its options. */
        public Builder method(String name, MethodOptions options) {
            if (!AttributionMethods.all().containsKey(name)) {
                throw new IllegalArgumentException("unknown method '" + name + "'; methods: "
                        + AttributionMethods.all().keySet());
            }
            methods.put(name, options);
            return this;
        }

        /** The metrics to run (in this order). */
        public Builder metrics(List<Metric> v) {
            metrics.addAll(v);
            return this;
        }

        /** Seed of methods and metrics (default 0). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** Images the sanity checks use (default 4; the first ones). */
        public Builder sanityImages(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("sanity images must be ≥ 1, got " + v);
            }
            this.sanityImages = v;
            return this;
        }

        /** How the explained class is chosen (default: the prediction). */
        public Builder target(TargetPolicy v) {
            this.policy = v;
            this.fixedClass = null;
            return this;
        }

        /** Explain this class on every image. */
        public Builder targetClass(int cls) {
            if (cls < 0) {
                throw new IllegalArgumentException("class must be ≥ 0, got " + cls);
            }
            this.fixedClass = cls;
            return this;
        }

        /** Images per forward pass of the metrics (default 32). */
        public Builder batch(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("batch must be ≥ 1, got " + v);
            }
            this.batch = v;
            return this;
        }

        public Evaluation build() {
            if (methods.isEmpty()) {
                throw new IllegalArgumentException("give at least one method");
            }
            if (metrics.isEmpty()) {
                throw new IllegalArgumentException("give at least one metric");
            }
            return new Evaluation(this);
        }
    }
}
