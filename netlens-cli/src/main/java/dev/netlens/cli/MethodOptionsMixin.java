package dev.netlens.cli;

import dev.netlens.core.io.Npy;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.MethodOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options of the attribution methods (DESIGN §5), shared by {@code netlens attribute} and
 * {@code netlens bench}, turned into {@link MethodOptions}. Unset options mean "the method's default".
 */
final class MethodOptionsMixin {
    @Option(names = "--layer", paramLabel = "NAME", description = "Layer (value name, see `netlens inspect`) for CAM and "
            + "layer methods, e.g. the last convolutional block's output.")
    String layer;

    @Option(names = "--steps", paramLabel = "N", description = "Integration steps (integrated gradients; default 50).")
    Integer steps;

    @Option(names = "--integration", paramLabel = "RULE", description = "Integration rule for integrated gradients: "
            + "gausslegendre (default), riemann_left, riemann_right, riemann_middle, riemann_trapezoid.")
    String integration;

    @Option(names = "--baseline", paramLabel = "zeros|B.npy", description = "Baseline: zeros (default) or a tensor "
            + "with the input's shape (the batch axis may be left out).")
    String baseline;

    @Option(names = "--composite", paramLabel = "NAME", description = "LRP composite, e.g. epsilon-plus-flat, "
            + "epsilon-plus, epsilon-gamma-box.")
    String composite;

    @Option(names = "--samples", paramLabel = "N", description = "Samples (SmoothGrad, RISE, LIME, Kernel SHAP, …).")
    Integer samples;

    @Option(names = "--sigma", paramLabel = "S", description = "Noise level (SmoothGrad: a fraction of the input range).")
    Float sigma;

    @Option(names = "--window", paramLabel = "C,H,W", description = "Occlusion window.")
    String window;

    @Option(names = "--stride", paramLabel = "C,H,W", description = "Occlusion stride.")
    String stride;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (sampling methods).")
    Long seed;

    @Option(names = {"--batch", "--internal-batch"}, paramLabel = "N",
            description = "Inputs per forward/backward pass inside a method (perturbation methods: perturbed copies per "
                    + "forward pass, default 32).")
    Integer internalBatch;

    @Option(names = "--segments", paramLabel = "N", description = "LIME, Kernel SHAP, Shapley sampling: about this many "
            + "SLIC superpixels (default 50).")
    Integer segments;

    @Option(names = "--feature-mask", paramLabel = "M.npy", description = "Feature ablation, LIME, Kernel SHAP, Shapley "
            + "sampling: group ids [1 or N, 1 (or C for feature ablation), H, W]; elements with one id are perturbed together.")
    Path featureMask;

    @Option(names = "--upsample", description = "CAM methods: resize the map to the input size (default: the layer's resolution).")
    boolean upsample;

    @Option(names = "--no-relu", description = "CAM methods: keep the map's sign (no final ReLU).")
    boolean noRelu;

    @Option(names = "--relu-only", description = "Guided backprop / deconvnet: override only Relu nodes (Captum's behaviour).")
    boolean reluOnly;

    /** Checks everything that needs no input tensor; throws IllegalArgumentException with one message. */
    void validate() {
        positive(steps, "--steps");
        positive(samples, "--samples");
        positive(internalBatch, "--batch");
        positive(segments, "--segments");
        if (featureMask != null && !Files.isRegularFile(featureMask)) {
            throw new IllegalArgumentException("feature mask file " + featureMask + " does not exist");
        }
        if (sigma != null && !(sigma >= 0 && Float.isFinite(sigma))) {
            throw new IllegalArgumentException("--sigma must be a number >= 0, got " + sigma);
        }
        triple(window, "--window");
        triple(stride, "--stride");
        if (integration != null && !List.of("gausslegendre", "riemann_left", "riemann_right", "riemann_middle",
                "riemann_trapezoid").contains(integration.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--integration must be gausslegendre, riemann_left, riemann_right, "
                    + "riemann_middle or riemann_trapezoid, got '" + integration + "'");
        }
        if (baseline != null && !baseline.equals("zeros")) {
            Path p = Path.of(baseline);
            if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                throw new IllegalArgumentException("--baseline must be zeros or a .npy file, got '" + baseline + "'");
            }
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("baseline file " + baseline + " does not exist");
            }
        }
    }

    /** Checks that each method exists and has the options it needs. */
    static void checkMethods(List<String> names, String layer) {
        var all = AttributionMethods.all();
        for (String name : names) {
            AttributionMethods.Entry e = all.get(name);
            if (e == null) {
                throw new IllegalArgumentException("unknown method '" + name + "'; " + known());
            }
            if (e.needsLayer() && layer == null) {
                throw new IllegalArgumentException("method " + name + " needs --layer NAME (a value name shown by "
                        + "netlens inspect, e.g. the last convolutional block's output)");
            }
        }
    }

    /** "methods: a, b, c" or a note that none is registered. */
    static String known() {
        var names = AttributionMethods.all().keySet();
        return names.isEmpty() ? "no attribution methods are registered in this build"
                : "methods: " + String.join(", ", names);
    }

    /** The method options for an input batch (the baseline is read and matched to its shape). */
    MethodOptions build(Tensor input) {
        validate();
        Tensor base = null;
        if (baseline != null && !baseline.equals("zeros")) {
            base = Npy.read(Path.of(baseline));
            int[] xs = input.shape();
            if (base.rank() == xs.length - 1) {
                int[] s = new int[xs.length];
                s[0] = 1;
                System.arraycopy(base.shape(), 0, s, 1, base.rank());
                base = base.reshape(s);
            }
            if (base.rank() == xs.length && base.dim(0) == 1 && xs[0] > 1
                    && Arrays.equals(Arrays.copyOfRange(base.shape(), 1, base.rank()), Arrays.copyOfRange(xs, 1, xs.length))) {
                Tensor rep = Tensor.zeros(xs);
                for (int n = 0; n < xs[0]; n++) {
                    System.arraycopy(base.data(), 0, rep.data(), n * base.size(), base.size());
                }
                base = rep;
            }
            if (!Arrays.equals(base.shape(), xs)) {
                throw new IllegalArgumentException("baseline " + baseline + " has shape " + Arrays.toString(base.shape())
                        + " but the input has shape " + Arrays.toString(xs));
            }
        }
        return new MethodOptions(layer, steps, integration == null ? null : integration.toLowerCase(Locale.ROOT), base,
                composite, samples, sigma, triple(window, "--window"), triple(stride, "--stride"), seed, internalBatch,
                upsample, noRelu, reluOnly, featureMask == null ? null : mask(input), segments);
    }

    /** The feature mask, checked against the input's batch and spatial size. */
    private Tensor mask(Tensor input) {
        Tensor m = Npy.read(featureMask);
        int[] xs = input.shape();
        if (m.rank() == 2 && xs.length == 4) {
            m = m.reshape(1, 1, m.dim(0), m.dim(1));
        }
        if (m.rank() != 4 || xs.length != 4 || (m.dim(0) != 1 && m.dim(0) != xs[0])
                || (m.dim(1) != 1 && m.dim(1) != xs[1]) || m.dim(2) != xs[2] || m.dim(3) != xs[3]) {
            throw new IllegalArgumentException("feature mask " + featureMask + " has shape " + Arrays.toString(m.shape())
                    + "; for the input " + Arrays.toString(xs) + " it must be [H, W] = [" + (xs.length == 4 ? xs[2] + ", "
                    + xs[3] : "?") + "] or [1 or N, 1 or C, H, W]");
        }
        return m;
    }

    private static void positive(Integer v, String name) {
        if (v != null && v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /** "C,H,W" → three positive integers (null stays null). */
    static int[] triple(String text, String name) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(name + " must be C,H,W (three positive integers), got '" + text + "'");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be C,H,W (three positive integers), got '" + text + "'");
            }
            if (v[i] < 1) {
                throw new IllegalArgumentException(name + " must be C,H,W (three positive integers), got '" + text + "'");
            }
        }
        return v;
    }
}
