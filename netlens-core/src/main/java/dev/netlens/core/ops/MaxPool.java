package dev.netlens.core.ops;

import dev.netlens.core.kernels.PoolGeometry;
import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX MaxPool over one or two spatial dimensions: X [N, C, (H,) W] → Y [N, C, (oh,) ow] with
 * kernel_shape (required), strides, pads (ONNX order: all beginnings, then all ends), dilations,
 * ceil_mode, auto_pad (which, when set, takes precedence over pads) and storage_order.
 *
 * <p>Padding never wins a window (it acts as −∞); the first maximum in window order wins ties.
 * Output extents follow {@link PoolGeometry}: in ceil mode a last window that would start in the
 * end padding is dropped (PyTorch's rule, which ONNX Runtime follows). A window lying entirely in
 * the padding yields {@code -Float.MAX_VALUE} and index −1.
 *
 * <p>The optional second output, Indices, holds for each output element the flat index of its
 * maximum within the whole input tensor, ONNX's convention: {@code ((n·C + c)·H + h)·W + w} for
 * storage_order 0, {@code (n·C + c)·H·W + w·H + h} for storage_order 1. The graph is float-only, so
 * the indices are stored as float values; they are exact for inputs of up to 2^24 elements.
 * Indices are computed only when the node declares the second output.
 *
 * <p>The VJP scatters the output gradient to the saved argmax; it retains neither the input nor
 * the output, only the argmax ({@link ForwardContext#save}) and the shapes. Indices are piecewise
 * constant, so their gradient is ignored.
 */
public final class MaxPool implements Op {
    private final PoolWindow window;
    private final int storageOrder;

    private MaxPool(Builder b) {
        this.window = new PoolWindow("MaxPool", b.spec);
        if (b.storageOrder != 0 && b.storageOrder != 1) {
            throw new IllegalArgumentException("MaxPool storage_order must be 0 (row major) or 1 (column major), got "
                    + b.storageOrder);
        }
        this.storageOrder = b.storageOrder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** 2-D max pooling with a square {@code kernel}, the same {@code stride} on both axes and no padding. */
    public static MaxPool of(int kernel, int stride) {
        return builder().kernelShape(kernel, kernel).strides(stride, stride).build();
    }

    @Override
    public String type() {
        return "MaxPool";
    }

    @Override
    public OpCategory category() {
        return OpCategory.POOLING;
    }

    /** The backward pass reads only the saved argmax and the input shape. */
    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    /** The pooling geometry for an input of this shape (validated). */
    public PoolGeometry geometry(int[] xShape) {
        return window.geometry("MaxPool", xShape);
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("MaxPool", inputs, 1, 1);
        Tensor x = inputs[0];
        PoolGeometry g = geometry(x.shape());
        int[] outShape = PoolWindow.outputShape(x.shape(), g);
        Tensor y = Tensor.uninitialized(outShape);
        boolean wantIndices = ctx.outputCount() > 1;
        int[] argmax = ctx.recording() || wantIndices ? new int[g.outputSize()] : null;
        ctx.kernels().maxPoolForward(g, x.data(), y.data(), argmax);
        ctx.save(argmax);
        if (!wantIndices) {
            return new Tensor[] {y};
        }
        return new Tensor[] {y, MaxPoolIndices.asFloats(g, argmax, storageOrder, outShape)};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        Tensor[] out = new Tensor[ctx.inputCount()];
        if (!ctx.needsGradient(0)) {
            return out;
        }
        int[] xShape = ctx.inputShape(0);
        out[0] = MaxPoolIndices.scatter(ctx, "MaxPool", geometry(xShape), xShape, gradOutputs[0]);
        return out;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        window.describe(a);
        a.put("storage_order", storageOrder);
        return a;
    }

    @Override
    public String toString() {
        return OpText.of(type(), attributes());
    }

    /** Attributes of a {@link MaxPool}; unset ones take ONNX defaults (kernel_shape is required). */
    public static final class Builder {
        private final PoolWindow.Spec spec = new PoolWindow.Spec();
        private int storageOrder;

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

        /** Default 1 along each axis. */
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

        /** Layout of the Indices output: 0 row major (default), 1 column major. */
        public Builder storageOrder(int v) {
            storageOrder = v;
            return this;
        }

        public MaxPool build() {
            return new MaxPool(this);
        }
    }

    @Override
    public int[][] outputShapes(int[][] in, int outputCount) {
        int[] out = PoolWindow.outputShape(in[0], geometry(in[0]));
        return ShapeProbe.same(out, outputCount);
    }
}
