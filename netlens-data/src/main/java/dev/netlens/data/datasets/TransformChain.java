package dev.netlens.data.datasets;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/** Transforms applied in order; random draws happen in that order from the one example stream. */
final class TransformChain implements Transform {
    private final List<Transform> steps;

    private TransformChain(List<Transform> steps) {
        this.steps = steps;
    }

    static TransformChain of(List<Transform> steps) {
        return new TransformChain(List.copyOf(steps));
    }

    List<Transform> steps() {
        return steps;
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        FloatImage current = image;
        for (Transform t : steps) {
            current = t.apply(current, random);
        }
        return current;
    }

    @Override
    public int[] outputShape(int[] input) {
        int[] shape = input.clone();
        for (Transform t : steps) {
            shape = t.outputShape(shape);
        }
        return shape;
    }

    @Override
    public String toString() {
        return steps.isEmpty() ? "Identity" : steps.stream().map(Object::toString)
                .collect(Collectors.joining(", ", "Compose[", "]"));
    }
}
