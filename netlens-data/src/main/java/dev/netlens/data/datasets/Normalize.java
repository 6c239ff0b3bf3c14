package dev.netlens.data.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Per-channel {@code (v − mean) / std}; see {@link Transforms#normalize}. */
final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    Normalize(float[] mean, float[] std) {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalize needs mean and std of the same non-zero length, got mean="
                    + Arrays.toString(mean) + " std=" + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("normalize std values must be positive and finite, got "
                        + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        int c = image.channels();
        checkChannels(c);
        int area = image.height() * image.width();
        float[] in = image.data();
        float[] out = new float[in.length];
        for (int k = 0; k < c; k++) {
            float m = mean[mean.length == 1 ? 0 : k];
            float s = std[std.length == 1 ? 0 : k];
            for (int i = k * area, end = i + area; i < end; i++) {
                out[i] = (in[i] - m) / s;
            }
        }
        return FloatImage.of(out, c, image.height(), image.width());
    }

    private void checkChannels(int c) {
        if (mean.length != 1 && mean.length != c) {
            throw new IllegalArgumentException(this + " has " + mean.length + " values but the images have " + c
                    + " channels; give 1 or " + c + " values");
        }
    }

    @Override
    public int[] outputShape(int[] input) {
        Transforms.requireShape(input);
        checkChannels(input[0]);
        return input.clone();
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
