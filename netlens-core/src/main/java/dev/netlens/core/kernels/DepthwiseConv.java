package dev.netlens.core.kernels;

/**
 * Direct depthwise convolution (one input and one output channel per group), where a GEMM per
 * channel would be a degenerate 1×k matrix product. Parallel over (image, channel) planes; each
 * output element is summed in a fixed order.
 */
final class DepthwiseConv {
    private DepthwiseConv() {
    }

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        final int planes = g.batch * g.inChannels;
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        final int kArea = g.kernelHeight * g.kernelWidth;
        Parallel.range(planes, 4, (from, to) -> {
            for (int p = from; p < to; p++) {
                int c = p % g.inChannels;
                int xOff = p * inArea;
                int yOff = p * outArea;
                int wOff = c * kArea;
                float b = bias == null ? 0f : bias[c];
                for (int oy = 0; oy < g.outHeight; oy++) {
                    for (int ox = 0; ox < g.outWidth; ox++) {
                        float acc = 0f;
                        for (int ki = 0; ki < g.kernelHeight; ki++) {
                            int iy = oy * g.strideHeight - g.padTop + ki * g.dilationHeight;
                            if (iy < 0 || iy >= g.inHeight) {
                                continue;
                            }
                            int rowOff = xOff + iy * g.inWidth;
                            for (int kj = 0; kj < g.kernelWidth; kj++) {
                                int ix = ox * g.strideWidth - g.padLeft + kj * g.dilationWidth;
                                if (ix >= 0 && ix < g.inWidth) {
                                    acc += x[rowOff + ix] * w[wOff + ki * g.kernelWidth + kj];
                                }
                            }
                        }
                        y[yOff + oy * g.outWidth + ox] = acc + b;
                    }
                }
            }
        });
    }

    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        final int planes = g.batch * g.inChannels;
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        final int kArea = g.kernelHeight * g.kernelWidth;
        Parallel.range(planes, 4, (from, to) -> {
            for (int p = from; p < to; p++) {
                int c = p % g.inChannels;
                int xOff = p * inArea;
                int yOff = p * outArea;
                int wOff = c * kArea;
                java.util.Arrays.fill(dx, xOff, xOff + inArea, 0f);
                for (int oy = 0; oy < g.outHeight; oy++) {
                    for (int ox = 0; ox < g.outWidth; ox++) {
                        float d = dy[yOff + oy * g.outWidth + ox];
                        for (int ki = 0; ki < g.kernelHeight; ki++) {
                            int iy = oy * g.strideHeight - g.padTop + ki * g.dilationHeight;
                            if (iy < 0 || iy >= g.inHeight) {
                                continue;
                            }
                            int rowOff = xOff + iy * g.inWidth;
                            for (int kj = 0; kj < g.kernelWidth; kj++) {
                                int ix = ox * g.strideWidth - g.padLeft + kj * g.dilationWidth;
                                if (ix >= 0 && ix < g.inWidth) {
                                    dx[rowOff + ix] += d * w[wOff + ki * g.kernelWidth + kj];
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    static void backwardFilter(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        final int kArea = g.kernelHeight * g.kernelWidth;
        // Parallel over channels; each channel sums over the batch in order.
        Parallel.range(g.inChannels, 4, (from, to) -> {
            for (int c = from; c < to; c++) {
                int wOff = c * kArea;
                java.util.Arrays.fill(dw, wOff, wOff + kArea, 0f);
                float db = 0f;
                for (int n = 0; n < g.batch; n++) {
                    int p = n * g.inChannels + c;
                    int xOff = p * inArea;
                    int yOff = p * outArea;
                    for (int oy = 0; oy < g.outHeight; oy++) {
                        for (int ox = 0; ox < g.outWidth; ox++) {
                            float d = dy[yOff + oy * g.outWidth + ox];
                            db += d;
                            for (int ki = 0; ki < g.kernelHeight; ki++) {
                                int iy = oy * g.strideHeight - g.padTop + ki * g.dilationHeight;
                                if (iy < 0 || iy >= g.inHeight) {
                                    continue;
                                }
                                int rowOff = xOff + iy * g.inWidth;
                                for (int kj = 0; kj < g.kernelWidth; kj++) {
                                    int ix = ox * g.strideWidth - g.padLeft + kj * g.dilationWidth;
                                    if (ix >= 0 && ix < g.inWidth) {
                                        dw[wOff + ki * g.kernelWidth + kj] += d * x[rowOff + ix];
                                    }
                                }
                            }
                        }
                    }
                }
                if (dbias != null) {
                    dbias[c] = db;
                }
            }
        });
    }
}
