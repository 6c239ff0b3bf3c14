package dev.netlens.core.ops;

import dev.netlens.core.kernels.ConvGeometry;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Conv in one or two spatial dimensions: inputs X [N, C, (H,) W], W [M, C/group, (kh,) kw],
 * optional B [M]; strides, dilations, symmetric or asymmetric pads (or auto_pad), groups including
 * depthwise. Computed by {@link dev.netlens.core.kernels.Kernels#convForward}; the VJP uses the
 * kernels' data and filter gradients.
 */
public final class Conv implements Op {
    private final int[] kernelShape;
    private final int[] strides;
    private final int[] dilations;
    private final int[] pads;
    private final AutoPad autoPad;
    private final int group;

    private Conv(Builder b) {
        this.kernelShape = b.kernelShape;
        this.strides = b.strides;
        this.dilations = b.dilations;
        this.pads = b.pads;
        this.autoPad = b.autoPad;
        this.group = b.group;
        if (group < 1) {
            throw new IllegalArgumentException("Conv group must be >= 1, got " + group);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A 2-D convolution with the given stride and symmetric padding, groups 1. */
    public static Conv of(int stride, int pad) {
        return builder().strides(stride, stride).pads(pad, pad, pad, pad).build();
    }

    @Override
    public String type() {
        return "Conv";
    }

    @Override
    public OpCategory category() {
        return OpCategory.CONVOLUTION;
    }

    @Override
    public boolean retainsInput(int index) {
        return index < 2;
    }

    public int group() {
        return group;
    }

    /** The kernel geometry for these inputs (validated; 1-D convolutions map to height 1). */
    public ConvGeometry geometry(int[] xShape, int[] wShape) {
        int spatial = xShape.length - 2;
        if (spatial != 1 && spatial != 2) {
            throw new IllegalArgumentException("Conv supports 1-D and 2-D inputs [N, C, (H,) W], got shape "
                    + Shapes.toString(xShape));
        }
        if (wShape.length != xShape.length) {
            throw new IllegalArgumentException("Conv weight must have rank " + xShape.length + " for input "
                    + Shapes.toString(xShape) + ", got " + Shapes.toString(wShape));
        }
        if (xShape[1] != wShape[1] * group) {
            throw new IllegalArgumentException("Conv input has " + xShape[1] + " channels but the weight "
                    + Shapes.toString(wShape) + " with group " + group + " expects " + (wShape[1] * group));
        }
        if (kernelShape != null && !Arrays.equals(kernelShape, Arrays.copyOfRange(wShape, 2, wShape.length))) {
            throw new IllegalArgumentException("Conv kernel_shape " + Arrays.toString(kernelShape)
                    + " disagrees with the weight shape " + Shapes.toString(wShape));
        }
        int[] s = expand(strides, spatial, 1, "strides");
        int[] d = expand(dilations, spatial, 1, "dilations");
        int[] p = pads == null ? new int[2 * spatial] : pads;
        if (p.length != 2 * spatial) {
            throw new IllegalArgumentException("Conv pads must have " + (2 * spatial) + " entries, got "
                    + Arrays.toString(p));
        }
        int[] in = Arrays.copyOfRange(xShape, 2, xShape.length);
        int[] k = Arrays.copyOfRange(wShape, 2, wShape.length);
        int[] begin = new int[spatial];
        int[] end = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            int[] be = autoPad.pads(in[i], k[i], s[i], d[i], p[i], p[i + spatial]);
            begin[i] = be[0];
            end[i] = be[1];
        }
        if (spatial == 1) {
            return new ConvGeometry(xShape[0], xShape[1], 1, in[0], wShape[0], group, 1, k[0], 1, s[0], 1, d[0],
                    new int[] {0, begin[0], 0, end[0]});
        }
        return new ConvGeometry(xShape[0], xShape[1], in[0], in[1], wShape[0], group, k[0], k[1], s[0], s[1],
                d[0], d[1], new int[] {begin[0], begin[1], end[0], end[1]});
    }

    static int[] expand(int[] values, int spatial, int dflt, String what) {
        if (values == null) {
            int[] v = new int[spatial];
            Arrays.fill(v, dflt);
            return v;
        }
        if (values.length != spatial) {
            throw new IllegalArgumentException(what + " must have " + spatial + " entries, got " + Arrays.toString(values));
        }
        return values;
    }

    private static int[] outShape(ConvGeometry g, int rank) {
        return rank == 3 ? new int[] {g.batch, g.outChannels, g.outWidth}
                : new int[] {g.batch, g.outChannels, g.outHeight, g.outWidth};
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("Conv", inputs, 2, 3);
        Tensor x = inputs[0];
        Tensor w = inputs[1];
        Tensor b = OpSupport.optional(inputs, 2);
        ConvGeometry g = geometry(x.shape(), w.shape());
        if (b != null && !b.hasShape(g.outChannels)) {
            throw new IllegalArgumentException("Conv bias must have shape [" + g.outChannels + "], got "
                    + Shapes.toString(b.shape()));
        }
        Tensor y = Tensor.uninitialized(outShape(g, x.rank()));
        ctx.kernels().convForward(g, x.data(), w.data(), b == null ? null : b.data(), y.data());
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        int[] xShape = ctx.inputShape(0);
        int[] wShape = ctx.inputShape(1);
        ConvGeometry g = geometry(xShape, wShape);
        float[] dy = gradOutputs[0].data();
        Tensor[] out = new Tensor[ctx.inputCount()];
        if (ctx.needsGradient(0)) {
            out[0] = Tensor.uninitialized(xShape);
            // a residual connection's sum made while writing dX (see Kernels.convBackwardDataAdding)
            Tensor pending = ctx.takePendingGradient(0);
            if (pending != null) {
                ctx.kernels().convBackwardDataAdding(g, dy, ctx.input(1).data(), pending.data(), out[0].data());
            } else {
                ctx.kernels().convBackwardData(g, dy, ctx.input(1).data(), out[0].data());
            }
        }
        boolean wantW = ctx.needsGradient(1);
        boolean wantB = ctx.inputCount() > 2 && ctx.needsGradient(2);
        if (wantW) {
            out[1] = Tensor.zeros(wShape);
            if (wantB) {
                out[2] = Tensor.zeros(g.outChannels);
            }
            ctx.kernels().convBackwardFilter(g, ctx.input(0).data(), dy, out[1].data(), wantB ? out[2].data() : null);
        } else if (wantB) {
            out[2] = Tensor.zeros(g.outChannels);
            float[] db = out[2].data();
            int p = g.outArea();
            for (int n = 0; n < g.batch; n++) {
                for (int m = 0; m < g.outChannels; m++) {
                    int off = (n * g.outChannels + m) * p;
                    float s = 0f;
                    for (int i = 0; i < p; i++) {
                        s += dy[off + i];
                    }
                    db[m] += s;
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        if (kernelShape != null) {
            a.put("kernel_shape", kernelShape.clone());
        }
        if (strides != null) {
            a.put("strides", strides.clone());
        }
        if (dilations != null) {
            a.put("dilations", dilations.clone());
        }
        if (pads != null) {
            a.put("pads", pads.clone());
        }
        if (autoPad != AutoPad.NOTSET) {
            a.put("auto_pad", autoPad.name());
        }
        a.put("group", group);
        return a;
    }

    @Override
    public String toString() {
        return OpText.of(type(), attributes());
    }

    /** Attributes of a {@link Conv}; unset ones take ONNX defaults. */
    public static final class Builder {
        private int[] kernelShape;
        private int[] strides;
        private int[] dilations;
        private int[] pads;
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

        /** ONNX order: all beginnings, then all ends ({top, left, bottom, right} in 2-D). */
        public Builder pads(int... v) {
            pads = v.clone();
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

        public Conv build() {
            return new Conv(this);
        }
    }

    @Override
    public int[][] outputShapes(int[][] in, int outputCount) {
        ConvGeometry g = geometry(in[0], in[1]);
        if (in.length > 2 && in[2] != null && (in[2].length != 1 || in[2][0] != g.outChannels)) {
            throw new IllegalArgumentException("Conv bias must have shape [" + g.outChannels + "], got "
                    + Shapes.toString(in[2]));
        }
        return new int[][] {outShape(g, in[0].length)};
    }
}
