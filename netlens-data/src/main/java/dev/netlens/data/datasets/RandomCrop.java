package dev.netlens.data.datasets;

import java.util.SplittableRandom;

/** A random window of the zero-padded image; see {@link Transforms#randomCrop}. */
final class RandomCrop implements Transform {
    private final int height;
    private final int width;
    private final int padding;

    RandomCrop(int height, int width, int padding) {
        Transforms.requirePositive(height, "random crop height");
        Transforms.requirePositive(width, "random crop width");
        if (padding < 0) {
            throw new IllegalArgumentException("random crop padding must be >= 0, got " + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        checkFits(image.height(), image.width());
        int top = random.nextInt(image.height() + 2 * padding - height + 1);
        int left = random.nextInt(image.width() + 2 * padding - width + 1);
        return image.window(top - padding, left - padding, height, width);
    }

    private void checkFits(int h, int w) {
        if (h + 2 * padding < height || w + 2 * padding < width) {
            throw new IllegalArgumentException(this + " needs images of at least " + (height - 2 * padding) + "x"
                    + (width - 2 * padding) + " pixels, got " + h + "x" + w + "; resize first or pad more");
        }
    }

    @Override
    public int[] outputShape(int[] input) {
        Transforms.requireShape(input);
        if (input[1] != VARIES && input[2] != VARIES) {
            checkFits(input[1], input[2]);
        }
        return new int[] {input[0], height, width};
    }

    @Override
    public String toString() {
        return "RandomCrop(" + height + "x" + width + ", padding=" + padding + ")";
    }
}
