package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ONNX Resize (opset 13–19 semantics) with scales or sizes as attributes, and the older Upsample
 * (see {@link #upsample}).
 *
 * <p>Output extents: with {@code scales}, out = floor(in · scale); with {@code sizes}, out = size
 * and scale = out / in (with {@code keep_aspect_ratio_policy} not_larger / not_smaller one common
 * scale, the smallest / largest of the ratios, and out = round(in · scale)). {@code axes} (opset
 * 18) limits scales/sizes to the listed axes (the others have scale 1); by default they cover
 * every axis. Each output coordinate is mapped to the input by the {@link ResizeCoordinateMode}
 * (default half_pixel), on every axis (so even a scale of 1 moves data under
 * tf_half_pixel_for_nearest with ceil rounding). Lengths in the formulas are the integer extents,
 * as the operator text and PyTorch have it (ONNX's own backend test
 * resize_downsample_scales_linear_align_corners uses the fractional in · scale instead).
 * Then
 * <ul>
 *   <li>{@code nearest} (default): the index is rounded by the {@link ResizeNearestMode}
 *       (default round_prefer_floor) and clamped to the input;</li>
 *   <li>{@code linear}: separable linear interpolation over every resized axis (bilinear over H
 *       and W for NCHW; any rank works), the coordinate clamped to [0, in − 1].</li>
 * </ul>
 * PyTorch {@code interpolate} corresponds to: nearest = asymmetric + floor; nearest-exact =
 * half_pixel + round_prefer_ceil; bilinear with align_corners=False = half_pixel (also for an
 * output extent of 1, where pytorch_half_pixel would read index 0); align_corners=True =
 * align_corners. Cubic interpolation,
 * tf_crop_and_resize and antialiasing are not supported.
 *
 * <p>The VJP is the adjoint of the interpolation (the output gradient scattered back with the same
 * weights); it needs only the input shape. Category {@link OpCategory#RESAMPLE}.
 */
public final class Resize extends ValueOp {
    /** Interpolation modes by ONNX name. */
    public enum Mode {
        NEAREST, LINEAR;

        /** The ONNX attribute value, e.g. "linear". */
        public String onnxName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode with ONNX name {@code name}. */
        public static Mode parse(String name) {
            for (Mode m : values()) {
                if (m.onnxName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("Resize: mode '" + name + "' is not supported; valid: nearest, linear");
        }
    }

    private static final List<String> POLICIES = List.of("stretch", "not_larger", "not_smaller");

    private final String type;
    private final Mode mode;
    private final ResizeCoordinateMode coordinates;
    private final ResizeNearestMode nearest;
    private final float[] scales;
    private final int[] sizes;
    private final int[] axes;
    private final String policy;

    private Resize(String type, Builder b) {
        if ((b.scales == null) == (b.sizes == null)) {
            throw new IllegalArgumentException(type + ": give either scales or sizes (exactly one), got "
                    + (b.scales == null ? "neither" : "both"));
        }
        if (b.scales != null) {
            for (float s : b.scales) {
                if (!(s > 0f) || Float.isInfinite(s)) {
                    throw new IllegalArgumentException(type + ": scales " + Arrays.toString(b.scales)
                            + " must be finite and > 0");
                }
            }
        }
        if (b.sizes != null) {
            for (int s : b.sizes) {
                if (s < 1) {
                    throw new IllegalArgumentException(type + ": sizes " + Arrays.toString(b.sizes) + " must be >= 1");
                }
            }
        }
        int count = b.scales != null ? b.scales.length : b.sizes.length;
        if (b.axes != null && b.axes.length != count) {
            throw new IllegalArgumentException(type + ": axes " + Arrays.toString(b.axes) + " must have one entry per "
                    + (b.scales != null ? "scale" : "size") + " (" + count + ")");
        }
        if (!POLICIES.contains(b.policy)) {
            throw new IllegalArgumentException(type + ": keep_aspect_ratio_policy '" + b.policy
                    + "' is not supported; valid: stretch, not_larger, not_smaller");
        }
        this.type = type;
        this.mode = b.mode;
        this.coordinates = b.coordinates;
        this.nearest = b.nearest;
        this.scales = b.scales;
        this.sizes = b.sizes;
        this.axes = b.axes;
        this.policy = b.policy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * ONNX Upsample (opsets 7–9): {@code mode} "nearest" (asymmetric coordinates, floor) or
     * "linear" ("bilinear" accepted; asymmetric coordinates), one scale >= 1 per input axis.
     */
    public static Resize upsample(String mode, float... scales) {
        Mode m = "bilinear".equals(mode) ? Mode.LINEAR : Mode.parse(mode);
        for (float s : scales) {
            if (!(s >= 1f)) {
                throw new IllegalArgumentException("Upsample: scales " + Arrays.toString(scales)
                        + " must all be >= 1 (use Resize to downsample)");
            }
        }
        Builder b = builder().mode(m).coordinateTransformationMode(ResizeCoordinateMode.ASYMMETRIC)
                .nearestMode(ResizeNearestMode.FLOOR).scales(scales);
        return new Resize("Upsample", b);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public OpCategory category() {
        return OpCategory.RESAMPLE;
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mode", mode.onnxName());
        if (type.equals("Upsample")) {
            a.put("scales", scales.clone());
            return a;
        }
        a.put("coordinate_transformation_mode", coordinates.onnxName());
        if (mode == Mode.NEAREST) {
            a.put("nearest_mode", nearest.onnxName());
        }
        if (scales != null) {
            a.put("scales", scales.clone());
        } else {
            a.put("sizes", sizes.clone());
        }
        if (axes != null) {
            a.put("axes", axes.clone());
        }
        if (!policy.equals("stretch")) {
            a.put("keep_aspect_ratio_policy", policy);
        }
        return a;
    }

    /** The output shape for an input of shape {@code in}. */
    public int[] outputShape(int[] in) {
        int[] out = new int[in.length];
        for (AxisPlan p : plan(in)) {
            out[p.axis] = p.out;
        }
        return out;
    }

    /** One axis: lengths and the inverse scale num/den (input per output). */
    private record AxisPlan(int axis, int in, int out, double num, double den) {
    }

    private AxisPlan[] plan(int[] in) {
        int rank = in.length;
        int count = scales != null ? scales.length : sizes.length;
        int[] ax;
        if (axes == null) {
            if (count != rank) {
                throw new IllegalArgumentException(type + ": " + (scales != null ? "scales " + Arrays.toString(scales)
                        : "sizes " + Arrays.toString(sizes)) + " has " + count + " entries but the input "
                        + Shapes.toString(in) + " has rank " + rank + "; give one per axis (or set axes)");
            }
            ax = new int[rank];
            for (int d = 0; d < rank; d++) {
                ax[d] = d;
            }
        } else {
            ax = Axes.normalizeAll(type, "axes", axes, rank);
        }
        AxisPlan[] plan = new AxisPlan[rank];
        for (int d = 0; d < rank; d++) {
            plan[d] = new AxisPlan(d, in[d], in[d], 1, 1);
        }
        int common = -1;
        if (sizes != null && !policy.equals("stretch")) {
            for (int i = 0; i < ax.length; i++) {
                requireNonEmpty(in, ax[i]);
                // sizes[i]/in[i] vs sizes[c]/in[c] by cross-multiplication.
                if (common < 0) {
                    common = i;
                } else {
                    long lhs = (long) sizes[i] * in[ax[common]];
                    long rhs = (long) sizes[common] * in[ax[i]];
                    if (policy.equals("not_larger") ? lhs < rhs : lhs > rhs) {
                        common = i;
                    }
                }
            }
        }
        for (int i = 0; i < ax.length; i++) {
            int d = ax[i];
            int n = in[d];
            if (scales != null) {
                double s = scales[i];
                long out = (long) Math.floor(n * s);
                if (out < 1 && n > 0) {
                    throw new IllegalArgumentException(type + ": scale " + scales[i] + " on axis " + d + " of the input "
                            + Shapes.toString(in) + " gives an empty output (floor(" + n + " · " + scales[i]
                            + ") = 0); use a scale >= " + (1.0 / n));
                }
                if (out > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(type + ": scale " + scales[i] + " on axis " + d + " is too large");
                }
                plan[d] = new AxisPlan(d, n, (int) out, 1, s);
            } else if (common < 0) {
                if (sizes[i] != n) {
                    requireNonEmpty(in, d);
                }
                plan[d] = new AxisPlan(d, n, sizes[i], n, sizes[i]);
            } else {
                long num = in[ax[common]];
                long den = sizes[common];
                long out = (2 * n * den + num) / (2 * num); // round half up of n · den / num
                plan[d] = new AxisPlan(d, n, (int) Math.max(1, out), num, den);
            }
        }
        return plan;
    }

    private void requireNonEmpty(int[] in, int d) {
        if (in[d] == 0) {
            throw new IllegalArgumentException(type + ": cannot resize the empty axis " + d + " of the input "
                    + Shapes.toString(in));
        }
    }

    private double[] coords(AxisPlan p) {
        double[] c = new double[p.out];
        for (int x = 0; x < p.out; x++) {
            c[x] = coordinates.toInput(x, p.in, p.out, p.num, p.den);
        }
        return c;
    }

    /** Nearest mode: offset tables of the source index along each axis. */
    private int[][] nearestTables(int[] in, AxisPlan[] plan) {
        int[] strides = Shapes.strides(in);
        int[][] t = new int[in.length][];
        for (AxisPlan p : plan) {
            t[p.axis] = new int[p.out];
            double[] c = coords(p);
            for (int x = 0; x < p.out; x++) {
                long i = Math.max(0, Math.min(p.in - 1, nearest.round(c[x])));
                t[p.axis][x] = (int) i * strides[p.axis];
            }
        }
        return t;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs(type, inputs, 1, 1);
        Tensor x = inputs[0];
        int[] in = x.shape();
        AxisPlan[] plan = plan(in);
        int[] outShape = new int[in.length];
        for (AxisPlan p : plan) {
            outShape[p.axis] = p.out;
        }
        if (mode == Mode.NEAREST) {
            Tensor y = Tensor.zeros(outShape);
            OffsetGather.gather(x.data(), nearestTables(in, plan), y.data(), 0f);
            return new Tensor[] {y};
        }
        float[] cur = x.data();
        int[] shape = in.clone();
        for (int d = plan.length - 1; d >= 0; d--) {
            LinearResampler r = step(plan[d]);
            if (r == null) {
                continue;
            }
            int[] next = shape.clone();
            next[d] = r.out;
            float[] dst = new float[Shapes.checkedIntSize(next)];
            r.apply(cur, dst, Shapes.size(shape, 0, d), Shapes.size(shape, d + 1, shape.length));
            cur = dst;
            shape = next;
        }
        return new Tensor[] {Tensor.of(cur == x.data() ? cur.clone() : cur, outShape)};
    }

    /** The linear interpolation along one axis, or null when it is the identity. */
    private LinearResampler step(AxisPlan p) {
        LinearResampler r = new LinearResampler(p.in, coords(p));
        return r.isIdentity() ? null : r;
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        int[] in = ctx.inputShape(0);
        AxisPlan[] plan = plan(in);
        float[] g = gradOutputs[0].data();
        if (mode == Mode.NEAREST) {
            Tensor gx = Tensor.zeros(in);
            OffsetGather.scatterAdd(g, nearestTables(in, plan), gx.data());
            return new Tensor[] {gx};
        }
        // Replay the forward steps' shapes, then apply the adjoints in reverse order.
        LinearResampler[] steps = new LinearResampler[plan.length];
        int[][] before = new int[plan.length][];
        int[] shape = in.clone();
        for (int d = plan.length - 1; d >= 0; d--) {
            steps[d] = step(plan[d]);
            if (steps[d] != null) {
                before[d] = shape.clone();
                shape[d] = steps[d].out;
            }
        }
        float[] cur = g;
        for (int d = 0; d < plan.length; d++) {
            if (steps[d] == null) {
                continue;
            }
            int[] s = before[d];
            float[] dst = new float[Shapes.checkedIntSize(s)];
            steps[d].adjoint(cur, dst, Shapes.size(s, 0, d), Shapes.size(s, d + 1, s.length));
            cur = dst;
        }
        return new Tensor[] {Tensor.of(cur == g ? cur.clone() : cur, in)};
    }

    /** Attributes of a {@link Resize}; unset ones take ONNX defaults. Give either scales or sizes. */
    public static final class Builder {
        private Mode mode = Mode.NEAREST;
        private ResizeCoordinateMode coordinates = ResizeCoordinateMode.HALF_PIXEL;
        private ResizeNearestMode nearest = ResizeNearestMode.ROUND_PREFER_FLOOR;
        private float[] scales;
        private int[] sizes;
        private int[] axes;
        private String policy = "stretch";

        private Builder() {
        }

        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        /** ONNX {@code mode}: "nearest" or "linear". */
        public Builder mode(String v) {
            return mode(Mode.parse(v));
        }

        public Builder coordinateTransformationMode(ResizeCoordinateMode v) {
            coordinates = v;
            return this;
        }

        /** ONNX {@code coordinate_transformation_mode}, e.g. "half_pixel". */
        public Builder coordinateTransformationMode(String v) {
            return coordinateTransformationMode(ResizeCoordinateMode.parse(v));
        }

        public Builder nearestMode(ResizeNearestMode v) {
            nearest = v;
            return this;
        }

        /** ONNX {@code nearest_mode}, e.g. "floor". */
        public Builder nearestMode(String v) {
            return nearestMode(ResizeNearestMode.parse(v));
        }

        /** One scale (output/input) per axis (per entry of {@link #axes} if given). */
        public Builder scales(float... v) {
            scales = v.clone();
            return this;
        }

        /** One output extent per axis (per entry of {@link #axes} if given). */
        public Builder sizes(int... v) {
            sizes = v.clone();
            return this;
        }

        /** The axes that scales/sizes refer to (opset 18; negative counts from the end). */
        public Builder axes(int... v) {
            axes = v.clone();
            return this;
        }

        /** ONNX {@code keep_aspect_ratio_policy} for sizes: "stretch" (default), "not_larger", "not_smaller". */
        public Builder keepAspectRatioPolicy(String v) {
            policy = v;
            return this;
        }

        public Resize build() {
            return new Resize("Resize", this);
        }
    }
}
