package dev.netlens.core.ops;

import dev.netlens.core.kernels.PoolGeometry;
import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX AveragePool over one or two spatial dimensions: X [N, C, (H,) W] → Y [N, C, (oh,) ow] with
 * kernel_shape (required), strides, pads (ONNX order: all beginnings, then all ends), dilations
 * (ONNX-19), ceil_mode, auto_pad (which, when set, takes precedence over pads) and
 * count_include_pad.
 *
 * <p>Divisor: with count_include_pad = 0 (default) the number of window taps on real elements;
 * with 1 the taps inside the padded extent [−pad_begin, in + pad_end) — but not taps beyond it that
 * ceil mode may add (PyTorch's and ONNX Runtime's rule). A window without any counted tap yields 0.
 * Output extents follow {@link PoolGeometry} (ceil mode drops a last window starting in the end
 * padding).
 *
 * <p>The VJP spreads each output gradient evenly over its window; it reads only shapes, so neither
 * input nor output is retained.
 */
public final class AveragePool implements Op {
    private final PoolWindow window;
    private final boolean countIncludePad;

    private AveragePool(Builder b) {
        this.window = new PoolWindow("AveragePool", b.spec);
        this.countIncludePad = b.countIncludePad;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** 2-D average pooling with a square {@code kernel}, the same {@code stride} on both axes and no padding. */
    public static AveragePool of(int kernel, int stride) {
        return builder().kernelShape(kernel, kernel).strides(stride, stride).build();
    }

    @Override
    public String type() {
        return "AveragePool";
    }

    @Override
    public OpCategory category() {
        return OpCategory.POOLING;
    }

    /** The backward pass reads only the input shape. */
    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** The pooling geometry for an input of this shape (validated). */
    public PoolGeometry geometry(int[] xShape) {
        return window.geometry("AveragePool", xShape);
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("AveragePool", inputs, 1, 1);
        Tensor x = inputs[0];
        PoolGeometry g = geometry(x.shape());
        Tensor y = Tensor.zeros(PoolWindow.outputShape(x.shape(), g));
        ctx.kernels().avgPoolForward(g, countIncludePad, x.data(), y.data());
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        Tensor[] out = new Tensor[ctx.inputCount()];
        if (!ctx.needsGradient(0)) {
            return out;
        }
        int[] xShape = ctx.inputShape(0);
        out[0] = Tensor.zeros(xShape);
        ctx.kernels().avgPoolBackward(geometry(xShape), countIncludePad, gradOutputs[0].data(), out[0].data());
        return out;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        window.describe(a);
        a.put("count_include_pad", countIncludePad ? 1 : 0);
        return a;
    }

    @Override
    public String toString() {
        return OpText.of(type(), attributes());
    }

    /** Attributes of an {@link AveragePool}; unset ones take ONNX defaults (kernel_shape is required). */
    public static final class Builder {
        private final PoolWindow.Spec spec = new PoolWindow.Spec();
        private boolean countIncludePad;

        private Builder() {
        }

        /** Required: 1 entry for [N, C, W] inputs, 2 for [N, C, H, W]. */
        public Builder kernelShape(int... v) {
            spec.kernelShape = v.clone();
            return this;
        }

        /** Default 1 along each axis. */
        public Builder strides(int... v) {
            spec.strides = v.clone();
            return this;
        }

        /** ONNX order: all beginnings, then all ends ({top, left, bottom, right} in 2-D). Default 0. */
        public Builder pads(int... v) {
            spec.pads = v.clone();
            return this;
        }

        /** Default 1 along each axis (ONNX-19). */
        public Builder dilations(int... v) {
            spec.dilations = v.clone();
            return this;
        }

        /** Output extents rounded up instead of down (default false). */
        public Builder ceilMode(boolean v) {
            spec.ceilMode = v;
            return this;
        }

        /** Default NOTSET (explicit pads); any other mode overrides pads. */
        public Builder autoPad(AutoPad v) {
            spec.autoPad = v;
            return this;
        }

        /** Whether padded positions count in the divisor (default false). */
        public Builder countIncludePad(boolean v) {
            countIncludePad = v;
            return this;
        }

        public AveragePool build() {
            return new AveragePool(this);
        }
    }

    @Override
    public int[][] outputShapes(int[][] in, int outputCount) {
        return ShapeProbe.same(PoolWindow.outputShape(in[0], geometry(in[0])), outputCount);
    }
}
