package dev.netlens.core.kernels;

/**
 * The shape arithmetic of 2-D pooling over a batch in NCHW layout (1-D pooling is the case
 * {@code inHeight == kernelHeight == 1}). Output extents follow ONNX/PyTorch: floor or ceil of
 * (in + pads − dilation·(k − 1) − 1) / stride + 1, where in ceil mode a last window that would
 * start in the right/bottom padding is dropped (PyTorch's rule, which ONNX Runtime follows).
 */
public final class PoolGeometry {
    public final int batch;
    public final int channels;
    public final int inHeight;
    public final int inWidth;
    public final int kernelHeight;
    public final int kernelWidth;
    public final int strideHeight;
    public final int strideWidth;
    public final int dilationHeight;
    public final int dilationWidth;
    public final int padTop;
    public final int padLeft;
    public final int padBottom;
    public final int padRight;
    public final boolean ceilMode;
    public final int outHeight;
    public final int outWidth;

    /**
     * @param pads {top, left, bottom, right}
     */
    public PoolGeometry(int batch, int channels, int inHeight, int inWidth, int kernelHeight, int kernelWidth,
                        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int[] pads,
                        boolean ceilMode) {
        this.batch = batch;
        this.channels = channels;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.strideHeight = strideHeight;
        this.strideWidth = strideWidth;
        this.dilationHeight = dilationHeight;
        this.dilationWidth = dilationWidth;
        this.padTop = pads[0];
        this.padLeft = pads[1];
        this.padBottom = pads[2];
        this.padRight = pads[3];
        this.ceilMode = ceilMode;
        if (kernelHeight < 1 || kernelWidth < 1 || strideHeight < 1 || strideWidth < 1
                || dilationHeight < 1 || dilationWidth < 1) {
            throw new IllegalArgumentException("pool kernel, strides and dilations must be >= 1");
        }
        for (int p : pads) {
            if (p < 0) {
                throw new IllegalArgumentException("pads must be >= 0, got " + java.util.Arrays.toString(pads));
            }
        }
        this.outHeight = outputExtent(inHeight, kernelHeight, strideHeight, dilationHeight, padTop, padBottom, ceilMode);
        this.outWidth = outputExtent(inWidth, kernelWidth, strideWidth, dilationWidth, padLeft, padRight, ceilMode);
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("pooling a " + inHeight + "x" + inWidth + " input with a "
                    + kernelHeight + "x" + kernelWidth + " window has an empty output");
        }
    }

    /** Output extent along one axis, floor or ceil mode. */
    public static int outputExtent(int in, int kernel, int stride, int dilation, int padBegin, int padEnd,
                                   boolean ceil) {
        int span = in + padBegin + padEnd - dilation * (kernel - 1) - 1;
        int out = ceil ? Math.floorDiv(span + stride - 1, stride) + 1 : Math.floorDiv(span, stride) + 1;
        if (ceil && (out - 1) * stride >= in + padBegin) {
            out--;
        }
        return out;
    }

    public int inArea() {
        return inHeight * inWidth;
    }

    public int outArea() {
        return outHeight * outWidth;
    }

    public int inputSize() {
        return batch * channels * inArea();
    }

    public int outputSize() {
        return batch * channels * outArea();
    }
}
