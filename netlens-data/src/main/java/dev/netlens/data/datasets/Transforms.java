package dev.netlens.data.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * Factories for the standard image transforms. All are immutable; their semantics follow
 * torchvision's so that training recipes carry over:
 *
 * <pre>{@code
 * Transform train = Transforms.compose(
 *         Transforms.randomCrop(28, 28, 4),          // RandomCrop(28, padding=4)
 *         Transforms.randomHorizontalFlip(),          // RandomHorizontalFlip(p=0.5)
 *         Transforms.normalize(new float[] {0.2860f}, new float[] {0.3530f}));
 * }</pre>
 */
public final class Transforms {
    private Transforms() {
    }

    /** The transform that returns its input. */
    public static Transform identity() {
        return TransformChain.of(List.of());
    }

    /** The transforms applied in order (nested chains are flattened). */
    public static Transform compose(Transform... steps) {
        List<Transform> flat = new ArrayList<>();
        for (Transform t : steps) {
            if (t == null) {
                throw new IllegalArgumentException("compose: transform must not be null");
            }
            if (t instanceof TransformChain chain) {
                flat.addAll(chain.steps());
            } else {
                flat.add(t);
            }
        }
        return flat.size() == 1 ? flat.get(0) : TransformChain.of(flat);
    }

    /**
     * Bilinear resize to exactly {@code height × width}, sampling at pixel centres (like
     * torchvision/PyTorch {@code align_corners=False}, no antialiasing).
     */
    public static Transform resize(int height, int width) {
        return new Resize(height, width, 0);
    }

    /**
     * Bilinear resize so that the shorter side becomes {@code size}, keeping the aspect ratio (the
     * longer side is {@code floor(size × long / short)}, as torchvision's {@code Resize(int)}).
     */
    public static Transform resizeShortSide(int size) {
        return new Resize(0, 0, size);
    }

    /**
     * The centred {@code height × width} window; offsets are {@code floor((H − height) / 2)} and
     * {@code floor((W − width) / 2)}; an image smaller than the window is zero-padded around.
     */
    public static Transform centreCrop(int height, int width) {
        return new CentreCrop(height, width);
    }

    /**
     * A uniformly random {@code height × width} window of the image zero-padded by {@code padding}
     * pixels on every side (torchvision {@code RandomCrop(size, padding)}): the offset into the
     * padded image is uniform in {@code [0, H + 2·padding − height]} (inclusive), drawn for rows
     * first, then columns.
     */
    public static Transform randomCrop(int height, int width, int padding) {
        return new RandomCrop(height, width, padding);
    }

    /** Mirrors left–right with probability 0.5. */
    public static Transform randomHorizontalFlip() {
        return new RandomHorizontalFlip(0.5);
    }

    /** Mirrors left–right with probability {@code p} (one {@code nextDouble() < p} draw per image). */
    public static Transform randomHorizontalFlip(double p) {
        return new RandomHorizontalFlip(p);
    }

    /**
     * Per-channel {@code (v − mean[c]) / std[c]}; one value applies to every channel.
     *
     * @throws IllegalArgumentException when the arrays are empty, of different lengths, or a std is
     *     not positive
     */
    public static Transform normalize(float[] mean, float[] std) {
        return new Normalize(mean, std);
    }

    static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    static void requireShape(int[] shape) {
        if (shape == null || shape.length != 3) {
            throw new IllegalArgumentException("image shape must be [C, H, W], got "
                    + java.util.Arrays.toString(shape));
        }
    }
}
