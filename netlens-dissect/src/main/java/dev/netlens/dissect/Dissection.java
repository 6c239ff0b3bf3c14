package dev.netlens.dissect;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.images.ImagePreprocessing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Network Dissection (Bau, Zhou, Khosla, Oliva, Torralba, CVPR 2017) of one or more layers of a
 * model on a Broden-format dataset, with NetDissect-Lite's conventions.
 *
 * <p>Two streaming passes over the probe images, each a batched forward pass that taps the layers:
 * <ol>
 *   <li>per unit k, a {@link QuantileSketch} of its activations over all positions of all images,
 *       whose (1 − q) quantile is the threshold T_k; and the {@link TopImages} by max activation;</li>
 *   <li>per image and unit, the activation map upsampled bilinearly to the segmentation size
 *       ({@code align_corners=False}), the mask up(A_k) &gt; T_k, and its {@link IouTally} against
 *       every concept.</li>
 * </ol>
 * Memory is constant in the number of images. With a state folder, everything accumulated is saved
 * after every batch; running again with the same folder resumes after the last saved batch and
 * gives bit-identical results (all statistics are integer counts or order-independent extremes).
 *
 * <pre>{@code
 * DissectionResult r = Dissection.builder(model, "layer3", "layer4")
 *         .quantile(0.005).iouThreshold(0.04).batchSize(32).build()
 *         .run(BrodenDataset.open(dir), p -> bar.stepTo(p.imagesDone()), Path.of("out/state"));
 * }</pre>
 *
 * <p>Input preprocessing comes from the model's {@code netlens.input_size}, {@code netlens.mean},
 * {@code netlens.std} and {@code netlens.channels} metadata (see {@link ImagePreprocessing}); images
 * are resized to the input size without cropping. Instances are immutable.
 */
public final class Dissection {
    private final Graph graph;
    private final List<String> layers;
    private final double quantile;
    private final double iouThreshold;
    private final int batchSize;
    private final int topK;
    private final List<String> categories;
    private final ImagePreprocessing preprocessing;
    private final boolean cacheActivations;
    private final long saveIntervalNanos;

    private Dissection(Builder b) {
        graph = b.graph;
        layers = List.copyOf(b.layers);
        quantile = b.quantile;
        iouThreshold = b.iouThreshold;
        batchSize = b.batchSize;
        topK = b.topK;
        categories = List.copyOf(b.categories);
        preprocessing = b.preprocessing != null ? b.preprocessing : ProbeImages.fromGraph(graph);
        cacheActivations = b.cacheActivations;
        saveIntervalNanos = b.saveIntervalNanos;
    }

    /**
     * A dissection of {@code layers} (value names, as {@code netlens inspect} lists them) of {@code graph}.
     *
     * @throws IllegalArgumentException when no layer is given or a layer is not a value of the graph
     */
    public static Builder builder(Graph graph, String... layers) {
        return new Builder(graph, layers);
    }

    /** Progress of a run, reported after each batch of each pass. */
    public record Progress(int pass, int passes, int batch, int batches, int imagesDone, int images) {
        /** "thresholds" for pass 1, "IoU" for pass 2. */
        public String passName() {
            return pass == 1 ? "thresholds" : "IoU";
        }

        /** Fraction of the whole run done, in [0, 1]. */
        public double fraction() {
            return ((pass - 1) * (double) batches + batch) / ((double) passes * batches);
        }
    }

    /**
     * Receives progress (e.g. to drive a progress bar). Called after the batch's statistics were
     * saved, so a listener may stop the run by throwing; the next run with the same state folder
     * resumes after that batch.
     */
    @FunctionalInterface
    public interface Listener {
        /** A listener that ignores everything. */
        Listener NONE = p -> { };

        void batchDone(Progress progress);
    }

    /**
     * Dissects the layers on all images of {@code data}.
     *
     * @param listener progress callbacks (use {@link Listener#NONE} for none)
     * @param stateDir folder for resumable state (created); null = keep nothing on disk
     * @throws IllegalArgumentException when a layer is not [N, C, H, W] or [N, C], the data is empty,
     *     or {@code stateDir} holds the state of a different run
     */
    public DissectionResult run(BrodenDataset data, Listener listener, Path stateDir) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(listener, "listener");
        if (data.size() == 0) {
            throw new IllegalArgumentException("the probe dataset " + data.directory() + " has no images");
        }
        ConceptIndex index = ConceptIndex.of(data, categories);
        ProbeImages probe = new ProbeImages(preprocessing);
        String fingerprint = fingerprint(data, index);
        int images = data.size();
        int batches = (images + batchSize - 1) / batchSize;
        DissectionState state = stateDir == null ? null : DissectionState.load(stateDir, fingerprint);
        UpsamplerCache upsamplers = new UpsamplerCache();
        Path tempCache = null;
        ActivationCache cache = null;
        if (cacheActivations) {
            Path cacheDir = stateDir;
            if (cacheDir == null) {
                try {
                    tempCache = Files.createTempDirectory("netlens-dissection");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot create a temporary activation cache", e);
                }
                cacheDir = tempCache;
            }
            cache = new ActivationCache(cacheDir, layers.size(), images);
        }
        try {
            long lastSave = System.nanoTime();
            while (state == null || state.pass <= 2) {
                int pass = state == null ? 1 : state.pass;
                int b = state == null ? 0 : state.nextBatch;
                float[][] thresholds = pass == 2 ? thresholds(state) : null;
                for (; b < batches; b++) {
                    int from = b * batchSize;
                    int to = Math.min(images, from + batchSize);
                    Map<String, Tensor> acts = pass == 2 && state != null && cache != null ? cached(cache, state, from, to) : null;
                    if (acts == null) {
                        acts = forward(probe.batch(data, from, to));
                    }
                    if (state == null) {
                        state = newState(fingerprint, acts, index);
                    }
                    if (pass == 1) {
                        accumulateThresholds(state, acts, from);
                        if (cache != null) {
                            for (int l = 0; l < layers.size(); l++) {
                                cache.write(l, from, acts.get(layers.get(l)));
                            }
                        }
                    } else {
                        accumulateIou(state, acts, thresholds, data, from, to, index, upsamplers);
                    }
                    state.nextBatch = b + 1;
                    if (b + 1 == batches) {
                        state.pass = pass + 1;
                        state.nextBatch = 0;
                    }
                    if (stateDir != null && (b + 1 == batches || System.nanoTime() - lastSave >= saveIntervalNanos)) {
                        state.save(stateDir);
                        lastSave = System.nanoTime();
                    }
                    listener.batchDone(new Progress(pass, 2, b + 1, batches, to, images));
                }
                if (state.pass == pass) { // no batch left in this pass (resumed at its end)
                    state.pass = pass + 1;
                    state.nextBatch = 0;
                }
            }
        } finally {
            if (tempCache != null) {
                cache.delete();
                try {
                    Files.deleteIfExists(tempCache);
                } catch (java.io.IOException ignored) {
                    // best effort
                }
            }
        }
        if (cache != null && tempCache == null) {
            cache.delete(); // the finished state no longer needs it
        }
        return result(state, index, data);
    }

    /** Pass-1 activations of images [from, to) from the cache, or null when it cannot supply them. */
    private Map<String, Tensor> cached(ActivationCache cache, DissectionState state, int from, int to) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            int[] shape = cache.shape(l);
            if (shape == null) {
                return null;
            }
            Tensor a = cache.read(l, shape, from, to);
            if (a == null) {
                return null;
            }
            out.put(layers.get(l), a);
        }
        return out;
    }

    private Map<String, Tensor> forward(Tensor input) {
        Trace t = graph.run().outputs(layers.toArray(String[]::new)).forward(input);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String layer : layers) {
            Tensor a = t.output(layer);
            if (a.rank() == 2) {
                a = a.reshape(a.dim(0), a.dim(1), 1, 1);
            }
            if (a.rank() != 4) {
                throw new IllegalArgumentException("layer '" + layer + "' has shape " + Shapes.toString(a.shape())
                        + "; dissection needs [N, C, H, W] (or [N, C]) activations");
            }
            out.put(layer, a);
        }
        return out;
    }

    private DissectionState newState(String fingerprint, Map<String, Tensor> acts, ConceptIndex index) {
        int n = layers.size();
        QuantileSketch[][] sketches = new QuantileSketch[n][];
        TopImages[] top = new TopImages[n];
        IouTally[] tallies = new IouTally[n];
        for (int l = 0; l < n; l++) {
            int units = acts.get(layers.get(l)).dim(1);
            sketches[l] = new QuantileSketch[units];
            for (int k = 0; k < units; k++) {
                sketches[l][k] = new QuantileSketch();
            }
            top[l] = new TopImages(units, topK);
            tallies[l] = new IouTally(units, index.size(), index.categories().size());
        }
        return new DissectionState(fingerprint, sketches, top, tallies);
    }

    private void accumulateThresholds(DissectionState state, Map<String, Tensor> acts, int firstImage) {
        for (int l = 0; l < layers.size(); l++) {
            Tensor a = acts.get(layers.get(l));
            int n = a.dim(0);
            int units = a.dim(1);
            int plane = a.dim(2) * a.dim(3);
            float[] v = a.data();
            QuantileSketch[] sketches = state.sketches[l];
            TopImages top = state.top[l];
            // each unit has its own sketch and top list and sees its values in image order, so the
            // units are spread over the threads without changing any result
            dev.netlens.core.kernels.Parallel.range(units, 4, (fromUnit, toUnit) -> {
                for (int k = fromUnit; k < toUnit; k++) {
                    for (int i = 0; i < n; i++) {
                        int off = (i * units + k) * plane;
                        sketches[k].add(v, off, plane);
                        top.offer(k, firstImage + i, max(v, off, plane));
                    }
                }
            });
        }
    }

    private float[][] thresholds(DissectionState state) {
        float[][] t = new float[layers.size()][];
        for (int l = 0; l < t.length; l++) {
            t[l] = new float[state.sketches[l].length];
            for (int k = 0; k < t[l].length; k++) {
                t[l][k] = state.sketches[l][k].quantile(1 - quantile);
            }
        }
        return t;
    }

    private void accumulateIou(DissectionState state, Map<String, Tensor> acts, float[][] thresholds,
                               BrodenDataset data, int from, int to, ConceptIndex index, UpsamplerCache upsamplers) {
        // segmentations are decoded in parallel (each image on its own), then tallied in image order
        ImageConcepts[] decoded = new ImageConcepts[to - from];
        dev.netlens.core.kernels.Parallel.range(to - from, 1, (a, z) -> {
            for (int j = a; j < z; j++) {
                decoded[j] = ImageConcepts.of(data.segmentation(from + j), index);
            }
        });
        for (int i = from; i < to; i++) {
            ImageConcepts concepts = decoded[i - from];
            for (int l = 0; l < layers.size(); l++) {
                Tensor a = acts.get(layers.get(l));
                tallyImage(state.tallies[l], a, i - from, thresholds[l], concepts, upsamplers);
            }
        }
    }

    /** Adds image {@code n} of batch activations {@code a} to {@code tally}. */
    static void tallyImage(IouTally tally, Tensor a, int n, float[] thresholds, ImageConcepts concepts,
                           UpsamplerCache upsamplers) {
        int units = a.dim(1);
        int h = a.dim(2);
        int w = a.dim(3);
        int plane = h * w;
        BilinearUpsampler up = upsamplers.get(h, w, concepts.height, concepts.width);
        int area = concepts.height * concepts.width;
        float[] v = a.data();
        tally.addImage(concepts);
        // units are independent (each writes its own row of the tally; sums of integers), so they
        // are spread over the threads without changing any count
        dev.netlens.core.kernels.Parallel.range(units, 4, (fromUnit, toUnit) -> {
            double[] rows = new double[up.rowScratch()];
            boolean[] mask = new boolean[area];
            int[] on = new int[area];
            for (int k = fromUnit; k < toUnit; k++) {
                int off = (n * units + k) * plane;
                float t = thresholds[k];
                if (max(v, off, plane) <= t) {
                    continue; // bilinear values never exceed the map's maximum
                }
                int count = up.threshold(v, off, t, mask, on, rows);
                tally.addMask(k, on, count, concepts);
            }
        });
    }

    private static float max(float[] v, int off, int len) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            m = Math.max(m, v[i]);
        }
        return m;
    }

    private DissectionResult result(DissectionState state, ConceptIndex index, BrodenDataset data) {
        List<LayerDissection> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            out.add(LayerDissection.of(layers.get(l), index, state.sketches[l], quantile, state.tallies[l],
                    state.top[l], iouThreshold));
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("method", "network-dissection (Bau et al. 2017; NetDissect-Lite conventions)");
        provenance.put("layers", String.join(",", layers));
        provenance.put("quantile", Double.toString(quantile));
        provenance.put("iou_threshold", Double.toString(iouThreshold));
        provenance.put("batch_size", Integer.toString(batchSize));
        provenance.put("top_k", Integer.toString(topK));
        provenance.put("categories", String.join(",", index.categories()));
        provenance.put("dataset", data.directory().toString());
        provenance.put("images", Integer.toString(data.size()));
        provenance.put("input", preprocessing.height() + "x" + preprocessing.width() + " "
                + preprocessing.channels() + " mean=" + Arrays.toString(preprocessing.mean())
                + " std=" + Arrays.toString(preprocessing.std()));
        provenance.put("model_sha256", modelHash());
        String version = Dissection.class.getPackage().getImplementationVersion();
        provenance.put("netlens_version", version == null ? "dev" : version);
        return new DissectionResult(out, provenance);
    }

    private String fingerprint(BrodenDataset data, ConceptIndex index) {
        String text = String.join("|", layers) + "|q=" + quantile + "|b=" + batchSize + "|k=" + topK + "|"
                + index.describe() + "|" + data.directory().toAbsolutePath().normalize() + "|n=" + data.size()
                + "|" + preprocessing.height() + "x" + preprocessing.width() + preprocessing.channels()
                + Arrays.toString(preprocessing.mean()) + Arrays.toString(preprocessing.std()) + "|" + modelHash();
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private String modelHash() {
        MessageDigest md = digest();
        Map<String, Tensor> params = new TreeMap<>(graph.parameters());
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            md.update(Arrays.toString(e.getValue().shape()).getBytes(StandardCharsets.UTF_8));
            float[] d = e.getValue().data();
            ByteBuffer buf = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < d.length; i += 4096) {
                buf.clear();
                int end = Math.min(d.length, i + 4096);
                for (int j = i; j < end; j++) {
                    buf.putFloat(d[j]);
                }
                md.update(buf.array(), 0, 4 * (end - i));
            }
        }
        md.update(graph.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Reusable upsamplers and buffers for one run. */
    static final class UpsamplerCache {
        private BilinearUpsampler last;
        private final Map<String, BilinearUpsampler> all = new LinkedHashMap<>();

        BilinearUpsampler get(int h, int w, int sh, int sw) {
            if (last != null && last.matches(h, w, sh, sw)) {
                return last;
            }
            last = all.computeIfAbsent(h + "x" + w + ">" + sh + "x" + sw, key -> new BilinearUpsampler(h, w, sh, sw));
            return last;
        }
    }

    /** Options of a {@link Dissection}; every setter validates its argument. */
    public static final class Builder {
        private final Graph graph;
        private final List<String> layers;
        private double quantile = 0.005;
        private double iouThreshold = 0.04;
        private int batchSize = 16;
        private int topK = 10;
        private List<String> categories = List.of();
        private ImagePreprocessing preprocessing;
        private boolean cacheActivations = true;
        private long saveIntervalNanos = 10_000_000_000L;

        private Builder(Graph graph, String... layers) {
            this.graph = Objects.requireNonNull(graph, "graph");
            if (layers.length == 0) {
                throw new IllegalArgumentException("name at least one layer to dissect");
            }
            for (String l : layers) {
                graph.requireValue(l, "dissected layer");
            }
            if (Arrays.stream(layers).distinct().count() != layers.length) {
                throw new IllegalArgumentException("layers must be distinct, got " + Arrays.toString(layers));
            }
            this.layers = List.of(layers);
        }

        /** q: the threshold is each unit's (1 − q) quantile (default 0.005, NetDissect's). */
        public Builder quantile(double q) {
            if (!(q > 0 && q < 1)) {
                throw new IllegalArgumentException("quantile q must be in (0, 1) (default 0.005), got " + q);
            }
            this.quantile = q;
            return this;
        }

        /** A unit detects its best concept when the IoU exceeds this (default 0.04). */
        public Builder iouThreshold(double iou) {
            if (!(iou >= 0 && iou < 1)) {
                throw new IllegalArgumentException("IoU threshold must be in [0, 1) (default 0.04), got " + iou);
            }
            this.iouThreshold = iou;
            return this;
        }

        /** Images per forward pass (default 16). */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batch size must be >= 1 (default 16), got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Top images kept per unit (default 10). */
        public Builder topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("top-k must be >= 1 (default 10), got " + k);
            }
            this.topK = k;
            return this;
        }

        /** Only score concepts of these categories (default: all; checked against the data at run time). */
        public Builder categories(String... names) {
            this.categories = List.of(names);
            return this;
        }

        /** Overrides the preprocessing from the model's metadata. */
        public Builder preprocessing(ImagePreprocessing p) {
            this.preprocessing = Objects.requireNonNull(p, "preprocessing");
            return this;
        }

        /**
         * Whether pass 1 keeps the layers' activations on disk (in the state folder, else a temporary
         * folder) for pass 2 to read instead of running the model again (default true). Costs
         * 4 bytes per activation value of the probe set until the run ends.
         */
        public Builder cacheActivations(boolean cache) {
            this.cacheActivations = cache;
            return this;
        }

        /**
         * Minimum time between state saves (default 10 s; 0 = after every batch). The state is also
         * saved at the end of each pass; an interrupted run resumes from the last save with identical
         * results.
         */
        public Builder saveInterval(java.time.Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("save interval must be >= 0, got " + interval);
            }
            this.saveIntervalNanos = interval.toNanos();
            return this;
        }

        public Dissection build() {
            return new Dissection(this);
        }
    }
}
