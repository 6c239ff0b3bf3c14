package dev.netlens.explain.metrics;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Model-parameter randomisation tests of Adebayo, Gilmer, Muelly, Goodfellow, Hardt and Kim, "Sanity
 * Checks for Saliency Maps", NeurIPS 2018. The layers are the convolution and dense nodes that have
 * parameters (weights and biases), from the output backwards. <b>Cascading</b>: step k re-draws the
 * parameters of the top k layers; <b>independent</b>: step k re-draws only layer k. Re-drawn
 * parameters are Gaussian with the mean and standard deviation of the trained tensor (so activation
 * scales stay comparable; BatchNorm statistics are left as trained), from a seed per parameter, so a
 * layer gets the same random values at every cascading step. The explained class stays the one
 * explained on the trained model. Each randomised map is compared with the original by Spearman's
 * rank correlation of the absolute maps (Σ_c |a_c| per pixel) and by SSIM of those maps scaled to
 * [0, 1] ({@link Ssim}); a method whose maps stay similar after the model's weights are destroyed
 * fails the check. The model graph is never modified: each step explains a copy of the graph with
 * replaced parameter values.
 *
 * <pre>{@code
 * SanityCheck.Result r = SanityCheck.builder().mode(SanityCheck.Mode.CASCADING).build()
 *         .run(model, m -> AttributionMethods.create("saliency", m, options), images, classes);
 * r.meanSpearman();   // one value per randomised layer
 * }</pre>
 */
public final class SanityCheck {
    /** Which randomisation. */
    public enum Mode {
        CASCADING, INDEPENDENT
    }

    /**
     * Similarities per step.
     *
     * @param mode the randomisation
     * @param layers the layer randomised at step k (cascading: the top k have been)
     * @param spearman [image][step] rank correlation of the absolute maps with the original
     * @param ssim [image][step] SSIM of the normalised absolute maps with the original
     */
    public record Result(Mode mode, List<String> layers, double[][] spearman, double[][] ssim) {
        /** Mean over images of the rank correlation at each step (NaN values skipped). */
        public double[] meanSpearman() {
            return mean(spearman);
        }

        /** Mean over images of the SSIM at each step. */
        public double[] meanSsim() {
            return mean(ssim);
        }

        private static double[] mean(double[][] v) {
            int steps = v.length == 0 ? 0 : v[0].length;
            double[] m = new double[steps];
            for (int s = 0; s < steps; s++) {
                double sum = 0;
                int n = 0;
                for (double[] row : v) {
                    if (!Double.isNaN(row[s])) {
                        sum += row[s];
                        n++;
                    }
                }
                m[s] = n == 0 ? Double.NaN : sum / n;
            }
            return m;
        }
    }

    private final Mode mode;
    private final long seed;
    private final int maxLayers;

    private SanityCheck(Builder b) {
        this.mode = b.mode;
        this.seed = b.seed;
        this.maxLayers = b.maxLayers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The convolution and dense nodes with parameters, output first. */
    public static List<String> layers(Graph graph) {
        List<String> out = new ArrayList<>();
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            OpCategory c = n.op().category();
            if ((c == OpCategory.CONVOLUTION || c == OpCategory.LINEAR) && !parameters(graph, n).isEmpty()) {
                out.add(n.name());
            }
        }
        return out;
    }

    private static List<String> parameters(Graph graph, Node n) {
        List<String> p = new ArrayList<>();
        for (String in : n.inputs()) {
            if (!in.isEmpty() && graph.isParameter(in)) {
                p.add(in);
            }
        }
        return p;
    }

    /**
     * A copy of {@code model} whose named layers' parameters are re-drawn (see the class comment);
     * the original graph is not changed.
     */
    public static ExplainedModel randomised(ExplainedModel model, Collection<String> layers, long seed) {
        Graph g = model.graph();
        Set<String> redraw = new HashSet<>();
        for (String layer : layers) {
            Node n = g.node(layer);
            redraw.addAll(parameters(g, n));
        }
        Map<String, Tensor> params = new LinkedHashMap<>(g.parameters());
        for (String p : redraw) {
            params.put(p, redraw(params.get(p), seed, p));
        }
        Graph.Builder b = Graph.builder();
        for (String in : g.inputNames()) {
            b.input(in, g.inputShape(in));
        }
        params.forEach(b::parameter);
        for (Node n : g.nodes()) {
            b.node(n.name(), n.op(), n.inputs(), n.outputs());
        }
        b.output(g.outputNames().toArray(String[]::new));
        g.metadata().forEach(b::metadata);
        return ExplainedModel.of(b.build(), model.inputName(), model.outputName());
    }

    static Tensor redraw(Tensor t, long seed, String name) {
        float[] d = t.data();
        double mean = 0;
        for (float v : d) {
            mean += v;
        }
        mean /= d.length;
        double var = 0;
        for (float v : d) {
            var += (v - mean) * (v - mean);
        }
        double std = d.length > 1 ? Math.sqrt(var / d.length) : 0;
        if (std == 0) {
            std = Math.abs(mean) > 0 ? Math.abs(mean) : 0.01;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        float[] out = new float[d.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (mean + std * r.nextGaussian());
        }
        return Tensor.of(out, t.shape());
    }

    /**
     * Runs the check on a batch of images [N, C, H, W] with one class per image; {@code method} makes
     * the attribution method for a (randomised) model.
     */
    public Result run(ExplainedModel model, Function<ExplainedModel, Attribution> method, Tensor images,
                      int[] classes) {
        int n = images.dim(0);
        int h = images.dim(2);
        int w = images.dim(3);
        if (classes.length != n) {
            throw new IllegalArgumentException("give one class per image: " + classes.length + " classes for " + n
                    + " images");
        }
        Target target = Target.classes(classes);
        Tensor original = method.apply(model).explain(images, target).map();
        float[][] ref = new float[n][];
        float[][] refNorm = new float[n][];
        for (int i = 0; i < n; i++) {
            ref[i] = PixelMaps.absPixels(original, i, h, w);
            refNorm[i] = Ssim.normalise(ref[i]);
        }
        List<String> all = layers(model.graph());
        List<String> layers = maxLayers > 0 && all.size() > maxLayers ? all.subList(0, maxLayers) : all;
        double[][] rho = new double[n][layers.size()];
        double[][] ssim = new double[n][layers.size()];
        for (int k = 0; k < layers.size(); k++) {
            List<String> randomise = mode == Mode.CASCADING ? layers.subList(0, k + 1) : List.of(layers.get(k));
            ExplainedModel random = randomised(model, randomise, seed);
            Tensor maps = method.apply(random).explain(images, target).map();
            for (int i = 0; i < n; i++) {
                float[] m = PixelMaps.absPixels(maps, i, h, w);
                rho[i][k] = Statistics.spearman(ref[i], m);
                ssim[i][k] = Ssim.ssim(refNorm[i], Ssim.normalise(m), h, w, 1.0);
            }
        }
        return new Result(mode, List.copyOf(layers), rho, ssim);
    }

    /** Settings with documented defaults. */
    public static final class Builder {
        private Mode mode = Mode.CASCADING;
        private long seed;
        private int maxLayers;

        private Builder() {
        }

        /** Cascading (default) or independent randomisation. */
        public Builder mode(Mode v) {
            if (v == null) {
                throw new IllegalArgumentException("mode must be CASCADING or INDEPENDENT");
            }
            this.mode = v;
            return this;
        }

        /** Seed of the re-drawn parameters (default 0). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** Only the top {@code v} layers (default 0 = all). */
        public Builder maxLayers(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxLayers must be ≥ 0, got " + v);
            }
            this.maxLayers = v;
            return this;
        }

        public SanityCheck build() {
            return new SanityCheck(this);
        }
    }
}
