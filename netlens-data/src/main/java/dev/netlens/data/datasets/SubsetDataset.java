package dev.netlens.data.datasets;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/** The examples of a dataset at chosen indices; see {@link Dataset#subset}. */
final class SubsetDataset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    SubsetDataset(Dataset base, int[] indices) {
        this.base = Objects.requireNonNull(base, "base");
        this.indices = indices.clone();
        for (int i : this.indices) {
            if (i < 0 || i >= base.size()) {
                throw new IllegalArgumentException("subset index " + i + " is out of range for a dataset of "
                        + base.size() + " examples");
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int[] imageShape() {
        return base.imageShape();
    }

    @Override
    public int label(int index) {
        return base.label(indices[Objects.checkIndex(index, indices.length)]);
    }

    @Override
    public Example get(int index, SplittableRandom random) {
        return base.get(indices[Objects.checkIndex(index, indices.length)], random);
    }

    @Override
    public String toString() {
        return "Subset(" + indices.length + " of " + base + ")";
    }
}
