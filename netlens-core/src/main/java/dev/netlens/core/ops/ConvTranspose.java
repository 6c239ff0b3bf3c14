package dev.netlens.core.ops;

import dev.netlens.core.kernels.ConvGeometry;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX ConvTranspose in one or two spatial dimensions: X [N, C, (H,) W], W [C, M/group, (kh,) kw],
 * optional B [M]; strides, dilations, pads, output_padding, output_shape, auto_pad, groups.
 *
 * <p>The output extent is stride·(in − 1) + output_padding + dilation·(k − 1) + 1 − pad_begin −
 * pad_end, or the given output_shape with the pads derived as the ONNX specification says. A
 * transposed convolution is the data gradient of the convolution that maps its output back to its
 * input, so it runs on the same kernels: forward = {@code convBackwardData}, input gradient =
 * {@code convForward}, weight gradient = {@code convBackwardFilter} with the roles of input and
 * output gradient exchanged.
 */
public final class ConvTranspose implements Op {
    private final int[] kernelShape;
    private final int[] strides;
    private final int[] dilations;
    private final int[] pads;
    private final int[] outputPadding;
    private final int[] outputShape;
    private final AutoPad autoPad;
    private final int group;

    private ConvTranspose(Builder b) {
        this.kernelShape = b.kernelShape;
        this.strides = b.strides;
        this.dilations = b.dilations;
        this.pads = b.pads;
        this.outputPadding = b.outputPadding;
        this.outputShape = b.outputShape;
        this.autoPad = b.autoPad;
        this.group = b.group;
        if (group < 1) {
            throw new IllegalArgumentException("ConvTranspose group must be >= 1, got " + group);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return "ConvTranspose";
    }

    @Override
    public OpCategory category() {
        return OpCategory.CONVOLUTION;
    }

    @Override
    public boolean retainsInput(int index) {
        return index < 2;
    }

    /** The geometry of the equivalent forward convolution (its input is this op's output). */
    ConvGeometry geometry(int[] xShape, int[] wShape) {
        int spatial = xShape.length - 2;
        if (spatial != 1 && spatial != 2) {
            throw new IllegalArgumentException("ConvTranspose supports 1-D and 2-D inputs [N, C, (H,) W], got shape "
                    + Shapes.toString(xShape));
        }
        if (wShape.length != xShape.length) {
            throw new IllegalArgumentException("ConvTranspose weight must have rank " + xShape.length + ", got "
                    + Shapes.toString(wShape));
        }
        if (wShape[0] != xShape[1]) {
            throw new IllegalArgumentException("ConvTranspose input has " + xShape[1] + " channels but the weight "
                    + Shapes.toString(wShape) + " expects " + wShape[0] + " (weight layout [C, M/group, k…])");
        }
        if (xShape[1] % group != 0) {
            throw new IllegalArgumentException("ConvTranspose group " + group + " does not divide the "
                    + xShape[1] + " input channels");
        }
        int[] k = Arrays.copyOfRange(wShape, 2, wShape.length);
        if (kernelShape != null && !Arrays.equals(kernelShape, k)) {
            throw new IllegalArgumentException("ConvTranspose kernel_shape " + Arrays.toString(kernelShape)
                    + " disagrees with the weight shape " + Shapes.toString(wShape));
        }
        int[] s = Conv.expand(strides, spatial, 1, "strides");
        int[] d = Conv.expand(dilations, spatial, 1, "dilations");
        int[] op = Conv.expand(outputPadding, spatial, 0, "output_padding").clone();
        int[] in = Arrays.copyOfRange(xShape, 2, xShape.length);
        int[] begin = new int[spatial];
        int[] end = new int[spatial];
        int[] out = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            int full = s[i] * (in[i] - 1) + op[i] + (k[i] - 1) * d[i] + 1;
            Integer target = null;
            if (outputShape != null) {
                int[] os = outputShape;
                if (os.length != spatial && os.length != spatial + 2) {
                    throw new IllegalArgumentException("ConvTranspose output_shape must have " + spatial
                            + " (spatial) entries, got " + Arrays.toString(os));
                }
                target = os[os.length - spatial + i];
            } else if (autoPad == AutoPad.SAME_UPPER || autoPad == AutoPad.SAME_LOWER) {
                target = in[i] * s[i];
            }
            if (target != null) {
                int total = full - target;
                if (total < 0) {
                    // A requested extent beyond what the kernel reaches: extra zero rows at the end, as
                    // additional output padding (what ONNX Runtime does).
                    op[i] += -total;
                    full = target;
                    total = 0;
                }
                if (autoPad == AutoPad.SAME_UPPER) {
                    begin[i] = total / 2;
                    end[i] = total - total / 2;
                } else {
                    begin[i] = total - total / 2;
                    end[i] = total / 2;
                }
            } else if (autoPad == AutoPad.VALID || pads == null) {
                begin[i] = 0;
                end[i] = 0;
            } else {
                if (pads.length != 2 * spatial) {
                    throw new IllegalArgumentException("ConvTranspose pads must have " + (2 * spatial)
                            + " entries, got " + Arrays.toString(pads));
                }
                begin[i] = pads[i];
                end[i] = pads[i + spatial];
            }
            out[i] = full - begin[i] - end[i];
            if (out[i] < 1) {
                throw new IllegalArgumentException("ConvTranspose output would be empty along spatial axis " + i);
            }
            if (op[i] >= Math.max(s[i], d[i])) {
                throw new IllegalArgumentException("ConvTranspose output_padding " + op[i]
                        + " must be smaller than the stride or the dilation (" + Math.max(s[i], d[i]) + ")");
            }
        }
        int m = wShape[1] * group;
        ConvGeometry g;
        if (spatial == 1) {
            g = new ConvGeometry(xShape[0], m, 1, out[0], xShape[1], group, 1, k[0], 1, s[0], 1, d[0],
                    new int[] {0, begin[0], 0, end[0]});
        } else {
            g = new ConvGeometry(xShape[0], m, out[0], out[1], xShape[1], group, k[0], k[1], s[0], s[1], d[0], d[1],
                    new int[] {begin[0], begin[1], end[0], end[1]});
        }
        if (g.outHeight != (spatial == 1 ? 1 : in[0]) || g.outWidth != in[spatial - 1]) {
            throw new IllegalArgumentException("ConvTranspose geometry is inconsistent: output_padding "
                    + Arrays.toString(op) + " with strides " + Arrays.toString(s) + " cannot be inverted");
        }
        return g;
    }

    private static int[] outShape(ConvGeometry g, int rank) {
        return rank == 3 ? new int[] {g.batch, g.inChannels, g.inWidth}
                : new int[] {g.batch, g.inChannels, g.inHeight, g.inWidth};
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("ConvTranspose", inputs, 2, 3);
        Tensor x = inputs[0];
        Tensor w = inputs[1];
        Tensor b = OpSupport.optional(inputs, 2);
        ConvGeometry g = geometry(x.shape(), w.shape());
        if (b != null && !b.hasShape(g.inChannels)) {
            throw new IllegalArgumentException("ConvTranspose bias must have shape [" + g.inChannels + "], got "
                    + Shapes.toString(b.shape()));
        }
        Tensor y = Tensor.zeros(outShape(g, x.rank()));
        ctx.kernels().convBackwardData(g, x.data(), w.data(), y.data());
        if (b != null) {
            float[] yd = y.data();
            float[] bd = b.data();
            int area = g.inArea();
            for (int plane = 0; plane < g.batch * g.inChannels; plane++) {
                float v = bd[plane % g.inChannels];
                for (int i = plane * area, e = i + area; i < e; i++) {
                    yd[i] += v;
                }
            }
        }
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        int[] xShape = ctx.inputShape(0);
        int[] wShape = ctx.inputShape(1);
        ConvGeometry g = geometry(xShape, wShape);
        float[] gy = gradOutputs[0].data();
        Tensor[] out = new Tensor[ctx.inputCount()];
        if (ctx.needsGradient(0)) {
            out[0] = Tensor.zeros(xShape);
            ctx.kernels().convForward(g, gy, ctx.input(1).data(), null, out[0].data());
        }
        if (ctx.needsGradient(1)) {
            out[1] = Tensor.zeros(wShape);
            ctx.kernels().convBackwardFilter(g, gy, ctx.input(0).data(), out[1].data(), null);
        }
        if (out.length > 2 && ctx.needsGradient(2)) {
            Tensor db = Tensor.zeros(g.inChannels);
            int area = g.inArea();
            for (int plane = 0; plane < g.batch * g.inChannels; plane++) {
                float s = 0f;
                for (int i = plane * area, e = i + area; i < e; i++) {
                    s += gy[i];
                }
                db.data()[plane % g.inChannels] += s;
            }
            out[2] = db;
        }
        return out;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        putIfSet(a, "kernel_shape", kernelShape);
        putIfSet(a, "strides", strides);
        putIfSet(a, "dilations", dilations);
        putIfSet(a, "pads", pads);
        putIfSet(a, "output_padding", outputPadding);
        putIfSet(a, "output_shape", outputShape);
        if (autoPad != AutoPad.NOTSET) {
            a.put("auto_pad", autoPad.name());
        }
        a.put("group", group);
        return a;
    }

    private static void putIfSet(Map<String, Object> a, String key, int[] v) {
        if (v != null) {
            a.put(key, v.clone());
        }
    }

    @Override
    public String toString() {
        return OpText.of(type(), attributes());
    }

    /** Attributes of a {@link ConvTranspose}; unset ones take ONNX defaults. */
    public static final class Builder {
        private int[] kernelShape;
        private int[] strides;
        private int[] dilations;
        private int[] pads;
        private int[] outputPadding;
        private int[] outputShape;
        private AutoPad autoPad = AutoPad.NOTSET;
        private int group = 1;

        private Builder() {
        }

        public Builder kernelShape(int... v) {
            kernelShape = v.clone();
            return this;
        }

        public Builder strides(int... v) {
            strides = v.clone();
            return this;
        }

        public Builder dilations(int... v) {
            dilations = v.clone();
            return this;
        }

        /** ONNX order: all beginnings, then all ends. */
        public Builder pads(int... v) {
            pads = v.clone();
            return this;
        }

        public Builder outputPadding(int... v) {
            outputPadding = v.clone();
            return this;
        }

        /** Spatial output extents (or the full N, C, … shape, whose trailing entries are used). */
        public Builder outputShape(int... v) {
            outputShape = v.clone();
            return this;
        }

        public Builder autoPad(AutoPad v) {
            autoPad = v;
            return this;
        }

        public Builder group(int v) {
            group = v;
            return this;
        }

        public ConvTranspose build() {
            return new ConvTranspose(this);
        }
    }

    @Override
    public int[][] outputShapes(int[][] in, int outputCount) {
        ConvGeometry g = geometry(in[0], in[1]);
        if (in.length > 2 && in[2] != null && (in[2].length != 1 || in[2][0] != g.inChannels)) {
            throw new IllegalArgumentException("ConvTranspose bias must have shape [" + g.inChannels + "], got "
                    + Shapes.toString(in[2]));
        }
        return new int[][] {outShape(g, in[0].length)};
    }
}
