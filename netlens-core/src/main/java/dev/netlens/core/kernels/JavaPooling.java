package dev.netlens.core.kernels;

import java.util.Arrays;

/**
 * Max and average pooling loops, parallel over (image, channel) planes. Every plane is processed
 * independently, so results do not depend on the thread count.
 */
final class JavaPooling {
    /** What a window lying entirely in the padding yields (ONNX Runtime's lowest float). */
    static final float EMPTY_WINDOW = -Float.MAX_VALUE;

    private JavaPooling() {
    }

    /** First kernel tap whose position start + k·dilation is ≥ 0. */
    static int firstTap(int start, int dilation, int kernel) {
        return start >= 0 ? 0 : Math.min(kernel, (-start + dilation - 1) / dilation);
    }

    /** One past the last kernel tap whose position start + k·dilation is < extent. */
    static int endTap(int start, int dilation, int kernel, int extent) {
        if (start >= extent) {
            return 0;
        }
        return Math.min(kernel, (extent - 1 - start) / dilation + 1);
    }

    static void maxForward(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        final int ow = g.outWidth;
        final int[] kjLo = new int[ow];
        final int[] kjHi = new int[ow];
        for (int ox = 0; ox < ow; ox++) {
            int ix0 = ox * g.strideWidth - g.padLeft;
            kjLo[ox] = firstTap(ix0, g.dilationWidth, g.kernelWidth);
            kjHi[ox] = Math.max(kjLo[ox], endTap(ix0, g.dilationWidth, g.kernelWidth, g.inWidth));
        }
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * inArea;
                int yOff = plane * outArea;
                for (int oy = 0; oy < g.outHeight; oy++) {
                    int iy0 = oy * g.strideHeight - g.padTop;
                    int kiLo = firstTap(iy0, g.dilationHeight, g.kernelHeight);
                    int kiHi = endTap(iy0, g.dilationHeight, g.kernelHeight, g.inHeight);
                    for (int ox = 0; ox < ow; ox++) {
                        int ix0 = ox * g.strideWidth - g.padLeft;
                        float best = EMPTY_WINDOW;
                        int bestIndex = -1;
                        for (int ki = kiLo; ki < kiHi; ki++) {
                            int row = xOff + (iy0 + ki * g.dilationHeight) * g.inWidth + ix0;
                            for (int kj = kjLo[ox], end = kjHi[ox]; kj < end; kj++) {
                                int idx = row + kj * g.dilationWidth;
                                float v = x[idx];
                                if (bestIndex < 0 || v > best || (v != v && best == best)) {
                                    best = v;
                                    bestIndex = idx;
                                }
                            }
                        }
                        y[yOff + oy * ow + ox] = best;
                        if (argmax != null) {
                            argmax[yOff + oy * ow + ox] = bestIndex;
                        }
                    }
                }
            }
        });
    }

    static void maxBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx) {
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        // A winner always lies in its own plane, so planes are independent.
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                Arrays.fill(dx, plane * inArea, (plane + 1) * inArea, 0f);
                for (int o = plane * outArea, end = o + outArea; o < end; o++) {
                    int idx = argmax[o];
                    if (idx >= 0) {
                        dx[idx] += dy[o];
                    }
                }
            }
        });
    }

    /** Number of window taps along one axis that land in [low, high). */
    private static int taps(int start, int kernel, int dilation, int low, int high) {
        int n = 0;
        for (int k = 0, i = start; k < kernel; k++, i += dilation) {
            if (i >= low && i < high) {
                n++;
            }
        }
        return n;
    }

    private static float divisor(PoolGeometry g, boolean countIncludePad, int iy0, int ix0) {
        int rows = countIncludePad
                ? taps(iy0, g.kernelHeight, g.dilationHeight, -g.padTop, g.inHeight + g.padBottom)
                : taps(iy0, g.kernelHeight, g.dilationHeight, 0, g.inHeight);
        int cols = countIncludePad
                ? taps(ix0, g.kernelWidth, g.dilationWidth, -g.padLeft, g.inWidth + g.padRight)
                : taps(ix0, g.kernelWidth, g.dilationWidth, 0, g.inWidth);
        return rows * cols;
    }

    static void avgForward(PoolGeometry g, boolean countIncludePad, float[] x, float[] y) {
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * inArea;
                int yOff = plane * outArea;
                for (int oy = 0; oy < g.outHeight; oy++) {
                    int iy0 = oy * g.strideHeight - g.padTop;
                    for (int ox = 0; ox < g.outWidth; ox++) {
                        int ix0 = ox * g.strideWidth - g.padLeft;
                        float sum = 0f;
                        for (int ki = 0; ki < g.kernelHeight; ki++) {
                            int iy = iy0 + ki * g.dilationHeight;
                            if (iy < 0 || iy >= g.inHeight) {
                                continue;
                            }
                            for (int kj = 0; kj < g.kernelWidth; kj++) {
                                int ix = ix0 + kj * g.dilationWidth;
                                if (ix >= 0 && ix < g.inWidth) {
                                    sum += x[xOff + iy * g.inWidth + ix];
                                }
                            }
                        }
                        float d = divisor(g, countIncludePad, iy0, ix0);
                        y[yOff + oy * g.outWidth + ox] = d == 0 ? 0f : sum / d;
                    }
                }
            }
        });
    }

    static void avgBackward(PoolGeometry g, boolean countIncludePad, float[] dy, float[] dx) {
        final int inArea = g.inArea();
        final int outArea = g.outArea();
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * inArea;
                int yOff = plane * outArea;
                Arrays.fill(dx, xOff, xOff + inArea, 0f);
                for (int oy = 0; oy < g.outHeight; oy++) {
                    int iy0 = oy * g.strideHeight - g.padTop;
                    for (int ox = 0; ox < g.outWidth; ox++) {
                        int ix0 = ox * g.strideWidth - g.padLeft;
                        float d = divisor(g, countIncludePad, iy0, ix0);
                        if (d == 0) {
                            continue;
                        }
                        float share = dy[yOff + oy * g.outWidth + ox] / d;
                        for (int ki = 0; ki < g.kernelHeight; ki++) {
                            int iy = iy0 + ki * g.dilationHeight;
                            if (iy < 0 || iy >= g.inHeight) {
                                continue;
                            }
                            for (int kj = 0; kj < g.kernelWidth; kj++) {
                                int ix = ix0 + kj * g.dilationWidth;
                                if (ix >= 0 && ix < g.inWidth) {
                                    dx[xOff + iy * g.inWidth + ix] += share;
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
