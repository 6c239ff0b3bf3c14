package dev.netlens.data.datasets;

import java.util.SplittableRandom;

/** The centred window of a fixed size; see {@link Transforms#centreCrop}. */
final class CentreCrop implements Transform {
    private final int height;
    private final int width;

    CentreCrop(int height, int width) {
        Transforms.requirePositive(height, "centre crop height");
        Transforms.requirePositive(width, "centre crop width");
        this.height = height;
        this.width = width;
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        if (image.height() == height && image.width() == width) {
            return image;
        }
        return image.window(Math.floorDiv(image.height() - height, 2), Math.floorDiv(image.width() - width, 2),
                height, width);
    }

    @Override
    public int[] outputShape(int[] input) {
        Transforms.requireShape(input);
        return new int[] {input[0], height, width};
    }

    @Override
    public String toString() {
        return "CentreCrop(" + height + "x" + width + ")";
    }
}
