package dev.netlens.data.datasets;

import java.util.SplittableRandom;

/** Bilinear resize to a fixed size or to a short side; see {@link Transforms#resize}. */
final class Resize implements Transform {
    private final int height;
    private final int width;
    private final int shortSide;

    Resize(int height, int width, int shortSide) {
        if (shortSide == 0) {
            Transforms.requirePositive(height, "resize height");
            Transforms.requirePositive(width, "resize width");
        } else {
            Transforms.requirePositive(shortSide, "resize short side");
        }
        this.height = height;
        this.width = width;
        this.shortSide = shortSide;
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        int[] size = targetSize(image.height(), image.width());
        return bilinear(image, size[0], size[1]);
    }

    private int[] targetSize(int h, int w) {
        if (shortSide == 0) {
            return new int[] {height, width};
        }
        if (h <= w) {
            return new int[] {shortSide, Math.max(1, (int) ((long) shortSide * w / h))};
        }
        return new int[] {Math.max(1, (int) ((long) shortSide * h / w)), shortSide};
    }

    @Override
    public int[] outputShape(int[] input) {
        Transforms.requireShape(input);
        if (shortSide == 0) {
            return new int[] {input[0], height, width};
        }
        if (input[1] == VARIES || input[2] == VARIES) {
            return new int[] {input[0], VARIES, VARIES};
        }
        int[] size = targetSize(input[1], input[2]);
        return new int[] {input[0], size[0], size[1]};
    }

    /**
     * Samples the source at {@code (dst + 0.5) · in / out − 0.5}, clamped to the image, and
     * interpolates linearly between the two neighbours along each axis.
     */
    static FloatImage bilinear(FloatImage image, int outH, int outW) {
        int c = image.channels();
        int inH = image.height();
        int inW = image.width();
        if (inH == outH && inW == outW) {
            return image;
        }
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] fy = new float[outH];
        axis(inH, outH, y0, y1, fy);
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] fx = new float[outW];
        axis(inW, outW, x0, x1, fx);
        float[] in = image.data();
        float[] out = new float[c * outH * outW];
        for (int k = 0; k < c; k++) {
            int plane = k * inH * inW;
            for (int y = 0; y < outH; y++) {
                int r0 = plane + y0[y] * inW;
                int r1 = plane + y1[y] * inW;
                float wy = fy[y];
                int o = (k * outH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    float top = in[r0 + x0[x]] + fx[x] * (in[r0 + x1[x]] - in[r0 + x0[x]]);
                    float bottom = in[r1 + x0[x]] + fx[x] * (in[r1 + x1[x]] - in[r1 + x0[x]]);
                    out[o + x] = top + wy * (bottom - top);
                }
            }
        }
        return FloatImage.of(out, c, outH, outW);
    }

    private static void axis(int in, int out, int[] lo, int[] hi, float[] frac) {
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max(0.0, (i + 0.5) * scale - 0.5);
            int l = Math.min((int) src, in - 1);
            lo[i] = l;
            hi[i] = Math.min(l + 1, in - 1);
            frac[i] = (float) (src - l);
        }
    }

    @Override
    public String toString() {
        return shortSide == 0 ? "Resize(" + height + "x" + width + ", bilinear)"
                : "Resize(shortSide=" + shortSide + ", bilinear)";
    }
}
