package dev.netlens.core.ops;

import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX LRN, local response normalisation across channels (AlexNet): for X [N, C, D1, …] (rank
 * ≥ 2) and every channel c,
 * <pre>
 *   square_sum[c] = Σ x[j]²  over j in [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉] ∩ [0, C)
 *   y[c] = x[c] / (bias + alpha/size · square_sum[c])^beta
 * </pre>
 * Attributes: size (required, ≥ 1), alpha = 1e-4, beta = 0.75, bias = 1.0. For odd sizes the
 * window is centred, as in PyTorch's {@code local_response_norm}; for even sizes ONNX puts the
 * extra channel after c whereas PyTorch puts it before.
 *
 * <p>Full VJP, with d[c] = bias + alpha/size · square_sum[c]:
 * {@code dx[j] = g[j]·d[j]^−beta − (2·alpha·beta/size)·x[j]·Σ_{c: j ∈ window(c)} g[c]·x[c]·d[c]^(−beta−1)}.
 * The backward pass retains only the input and recomputes d (cheaper than keeping it).
 */
public final class Lrn implements Op {
    private static final int GRAIN_ELEMENTS = 1 << 14;

    private final int size;
    private final float alpha;
    private final float beta;
    private final float bias;

    private Lrn(Builder b) {
        if (b.size == null) {
            throw new IllegalArgumentException("LRN needs the size attribute (number of channels to sum over, >= 1), "
                    + "e.g. Lrn.of(5)");
        }
        if (b.size < 1) {
            throw new IllegalArgumentException("LRN size must be >= 1, got " + b.size);
        }
        if (!Float.isFinite(b.alpha) || !Float.isFinite(b.beta) || !Float.isFinite(b.bias)) {
            throw new IllegalArgumentException("LRN alpha, beta and bias must be finite, got alpha=" + b.alpha
                    + ", beta=" + b.beta + ", bias=" + b.bias);
        }
        this.size = b.size;
        this.alpha = b.alpha;
        this.beta = b.beta;
        this.bias = b.bias;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** LRN over {@code size} channels with ONNX defaults alpha = 1e-4, beta = 0.75, bias = 1. */
    public static Lrn of(int size) {
        return builder().size(size).build();
    }

    @Override
    public String type() {
        return "LRN";
    }

    @Override
    public OpCategory category() {
        return OpCategory.NORMALIZATION;
    }

    /** The backward pass reads the input (and recomputes the denominators from it). */
    @Override
    public boolean retainsInput(int index) {
        return true;
    }

    private int before() {
        return (size - 1) / 2;
    }

    private int after() {
        return size / 2;
    }

    private static void validate(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("LRN needs an input [N, C, …] of rank >= 2, got shape "
                    + Shapes.toString(shape));
        }
    }

    /** d^−beta, with a fast path for the common beta = 0.75. */
    private double powNegBeta(double d) {
        if (beta == 0.75f) {
            double s = Math.sqrt(d);
            return 1.0 / (s * Math.sqrt(s));
        }
        return Math.pow(d, -beta);
    }

    /**
     * For plane (n, c) of an input with {@code channels} channels and {@code area} positions per
     * plane, writes d[c] = bias + alpha/size · square_sum[c] into {@code dst}.
     */
    private void denominators(float[] x, int n, int c, int channels, int area, double[] dst) {
        Arrays.fill(dst, 0, area, 0.0);
        int lo = Math.max(0, c - before());
        int hi = Math.min(channels - 1, c + after());
        for (int j = lo; j <= hi; j++) {
            int off = (n * channels + j) * area;
            for (int p = 0; p < area; p++) {
                double v = x[off + p];
                dst[p] += v * v;
            }
        }
        double scale = (double) alpha / size;
        for (int p = 0; p < area; p++) {
            dst[p] = bias + scale * dst[p];
        }
    }

    private static int grain(int area) {
        return Math.max(1, GRAIN_ELEMENTS / Math.max(1, area));
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("LRN", inputs, 1, 1);
        Tensor x = inputs[0];
        int[] shape = x.shape();
        validate(shape);
        int channels = shape[1];
        int area = Shapes.size(shape, 2, shape.length);
        float[] xd = x.data();
        Tensor y = Tensor.zerosLike(x);
        float[] yd = y.data();
        Parallel.range(shape[0] * channels, grain(area), (from, to) -> {
            double[] d = new double[area];
            for (int plane = from; plane < to; plane++) {
                int n = plane / channels;
                int c = plane - n * channels;
                denominators(xd, n, c, channels, area, d);
                int off = plane * area;
                for (int p = 0; p < area; p++) {
                    yd[off + p] = (float) (xd[off + p] * powNegBeta(d[p]));
                }
            }
        });
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        Tensor[] out = new Tensor[ctx.inputCount()];
        if (!ctx.needsGradient(0)) {
            return out;
        }
        Tensor x = ctx.input(0);
        int[] shape = x.shape();
        int channels = shape[1];
        int area = Shapes.size(shape, 2, shape.length);
        int planes = shape[0] * channels;
        float[] xd = x.data();
        float[] gd = gradOutputs[0].data();
        Tensor gx = Tensor.zerosLike(x);
        float[] gxd = gx.data();
        // Pass 1: the direct term g·d^−beta, and t[c] = g[c]·x[c]·d[c]^(−beta−1) for the cross term.
        float[] t = new float[xd.length];
        Parallel.range(planes, grain(area), (from, to) -> {
            double[] d = new double[area];
            for (int plane = from; plane < to; plane++) {
                int n = plane / channels;
                int c = plane - n * channels;
                denominators(xd, n, c, channels, area, d);
                int off = plane * area;
                for (int p = 0; p < area; p++) {
                    double inv = powNegBeta(d[p]);
                    gxd[off + p] = (float) (gd[off + p] * inv);
                    t[off + p] = (float) (gd[off + p] * (double) xd[off + p] * inv / d[p]);
                }
            }
        });
        // Pass 2: channel j appears in the windows of c in [j − after, j + before].
        double coef = 2.0 * alpha * beta / size;
        Parallel.range(planes, grain(area), (from, to) -> {
            double[] acc = new double[area];
            for (int plane = from; plane < to; plane++) {
                int n = plane / channels;
                int j = plane - n * channels;
                Arrays.fill(acc, 0.0);
                int lo = Math.max(0, j - after());
                int hi = Math.min(channels - 1, j + before());
                for (int c = lo; c <= hi; c++) {
                    int off = (n * channels + c) * area;
                    for (int p = 0; p < area; p++) {
                        acc[p] += t[off + p];
                    }
                }
                int off = plane * area;
                for (int p = 0; p < area; p++) {
                    gxd[off + p] = (float) (gxd[off + p] - coef * xd[off + p] * acc[p]);
                }
            }
        });
        out[0] = gx;
        return out;
    }

    public int size() {
        return size;
    }

    public float alpha() {
        return alpha;
    }

    public float beta() {
        return beta;
    }

    public float bias() {
        return bias;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("size", size);
        a.put("alpha", alpha);
        a.put("beta", beta);
        a.put("bias", bias);
        return a;
    }

    @Override
    public String toString() {
        return OpText.of(type(), attributes());
    }

    /** Attributes of an {@link Lrn}; size is required, the others default to ONNX's values. */
    public static final class Builder {
        private Integer size;
        private float alpha = 1e-4f;
        private float beta = 0.75f;
        private float bias = 1.0f;

        private Builder() {
        }

        /** Required: number of channels summed over (>= 1). */
        public Builder size(int v) {
            size = v;
            return this;
        }

        /** Default 1e-4. */
        public Builder alpha(float v) {
            alpha = v;
            return this;
        }

        /** Default 0.75. */
        public Builder beta(float v) {
            beta = v;
            return this;
        }

        /** Default 1.0. */
        public Builder bias(float v) {
            bias = v;
            return this;
        }

        public Lrn build() {
            return new Lrn(this);
        }
    }
}
