package dev.netlens.data.datasets;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/** A dataset with one more transform applied; see {@link Dataset#transformed}. */
final class TransformedDataset implements Dataset {
    private final Dataset base;
    private final Transform transform;
    private final int[] shape;

    TransformedDataset(Dataset base, Transform transform) {
        this.base = Objects.requireNonNull(base, "base");
        this.transform = Objects.requireNonNull(transform, "transform");
        this.shape = transform.outputShape(base.imageShape());
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int[] imageShape() {
        return shape.clone();
    }

    @Override
    public int label(int index) {
        return base.label(index);
    }

    @Override
    public Example get(int index, SplittableRandom random) {
        Example raw = base.get(index, random);
        int[] in = base.imageShape();
        FloatImage out = transform.apply(FloatImage.of(raw.image(), in[0], in[1], in[2]), random);
        return new Example(out.data(), raw.label());
    }

    @Override
    public String toString() {
        return base + " | " + transform;
    }
}
