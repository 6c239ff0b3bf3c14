package dev.netlens.data.datasets;

import java.util.SplittableRandom;

/** Left–right mirror with a probability; see {@link Transforms#randomHorizontalFlip(double)}. */
final class RandomHorizontalFlip implements Transform {
    private final double probability;

    RandomHorizontalFlip(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        if (!(random.nextDouble() < probability)) {
            return image;
        }
        return mirror(image);
    }

    static FloatImage mirror(FloatImage image) {
        int w = image.width();
        float[] in = image.data();
        float[] out = new float[in.length];
        for (int row = 0; row < image.channels() * image.height(); row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                out[base + x] = in[base + w - 1 - x];
            }
        }
        return FloatImage.of(out, image.channels(), image.height(), w);
    }

    @Override
    public int[] outputShape(int[] input) {
        Transforms.requireShape(input);
        return input.clone();
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + probability + ")";
    }
}
