package dev.netlens.core.kernels;

/**
 * The shape arithmetic of a grouped, strided, dilated, padded 2-D convolution over a batch in
 * NCHW layout, with weights laid out [outChannels, inChannels / groups, kernelHeight, kernelWidth]
 * (the ONNX/PyTorch layout). A 1-D convolution is the case {@code inHeight == kernelHeight == 1}.
 *
 * <p>Values are validated here once; kernels behind it do no checking.
 */
public final class ConvGeometry {
    public final int batch;
    public final int inChannels;
    public final int inHeight;
    public final int inWidth;
    public final int outChannels;
    public final int groups;
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
    public final int outHeight;
    public final int outWidth;

    /**
     * @param pads {top, left, bottom, right}
     */
    public ConvGeometry(int batch, int inChannels, int inHeight, int inWidth, int outChannels, int groups,
                        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                        int dilationHeight, int dilationWidth, int[] pads) {
        this.batch = batch;
        this.inChannels = inChannels;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.outChannels = outChannels;
        this.groups = groups;
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
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("group count " + groups + " must divide both the input channels ("
                    + inChannels + ") and the output channels (" + outChannels + ")");
        }
        if (strideHeight < 1 || strideWidth < 1 || dilationHeight < 1 || dilationWidth < 1) {
            throw new IllegalArgumentException("strides and dilations must be >= 1, got strides " + strideHeight
                    + "," + strideWidth + " dilations " + dilationHeight + "," + dilationWidth);
        }
        for (int p : pads) {
            if (p < 0) {
                throw new IllegalArgumentException("pads must be >= 0, got " + java.util.Arrays.toString(pads));
            }
        }
        this.outHeight = outputExtent(inHeight, kernelHeight, strideHeight, dilationHeight, padTop + padBottom);
        this.outWidth = outputExtent(inWidth, kernelWidth, strideWidth, dilationWidth, padLeft + padRight);
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("convolution of a " + inHeight + "x" + inWidth + " input with a "
                    + kernelHeight + "x" + kernelWidth + " kernel (stride " + strideHeight + "x" + strideWidth
                    + ", dilation " + dilationHeight + "x" + dilationWidth + ", pads " + padTop + "," + padLeft
                    + "," + padBottom + "," + padRight + ") has an empty output");
        }
    }

    /** floor((in + pads − dilation·(k − 1) − 1) / stride) + 1. */
    public static int outputExtent(int in, int kernel, int stride, int dilation, int padSum) {
        return Math.floorDiv(in + padSum - dilation * (kernel - 1) - 1, stride) + 1;
    }

    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    /** Rows of the im2col matrix of one group: (C/groups)·kh·kw. */
    public int colRows() {
        return inChannelsPerGroup() * kernelHeight * kernelWidth;
    }

    /** Output positions per image: outHeight·outWidth. */
    public int outArea() {
        return outHeight * outWidth;
    }

    public int inArea() {
        return inHeight * inWidth;
    }

    public int inputSize() {
        return batch * inChannels * inArea();
    }

    public int outputSize() {
        return batch * outChannels * outArea();
    }

    public int weightSize() {
        return outChannels * colRows();
    }

    /** A 1x1, stride-1, unpadded convolution: the im2col matrix is the input itself. */
    public boolean isPointwise() {
        return kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1
                && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0;
    }

    /** One input and one output channel per group (depthwise): computed directly, not via GEMM. */
    public boolean isDepthwise() {
        return groups > 1 && inChannelsPerGroup() == 1 && outChannelsPerGroup() == 1;
    }

    /** Multiply-adds of the forward pass (for FLOP counts: twice this). */
    public long multiplyAdds() {
        return (long) batch * outChannels * outArea() * colRows();
    }
}
