package dev.netlens.cli;

import dev.netlens.data.concepts.ConceptClassificationDataset;
import dev.netlens.data.concepts.ConceptTask;
import dev.netlens.data.datasets.Dataset;
import dev.netlens.data.datasets.IdxDataset;
import dev.netlens.data.datasets.ImageFolderDataset;
import dev.netlens.data.datasets.Split;
import dev.netlens.data.datasets.Transform;
import dev.netlens.data.datasets.Transforms;
import dev.netlens.data.images.ImagePreprocessing.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A {@code --dataset} value: {@code idx:DIR} (MNIST / Fashion-MNIST files), {@code folder:DIR} (one
 * subfolder per class) or {@code concepts:DIR} (Broden-format concept data classified by a task).
 */
record DatasetSpec(String kind, Path directory) {

    static DatasetSpec parse(String value) {
        int colon = value.indexOf(':');
        String kind = colon < 0 ? "" : value.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!kind.equals("idx") && !kind.equals("folder") && !kind.equals("concepts") || colon == value.length() - 1) {
            throw new IllegalArgumentException("--dataset must be idx:DIR (MNIST/Fashion-MNIST IDX files), folder:DIR "
                    + "(one subfolder of images per class) or concepts:DIR (Broden-format concept data, with --task), got '"
                    + value + "'");
        }
        Path dir = Path.of(value.substring(colon + 1));
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("dataset directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dataset path " + dir + " is not a directory (--dataset " + kind + ":DIR)");
        }
        return new DatasetSpec(kind, dir);
    }

    boolean isIdx() {
        return kind.equals("idx");
    }

    /**
     * Opens the data: IDX files of the given split, or the image folder resized to {@code size}
     * ({@code H,W}; needed for folders) in {@code channels}.
     */
    Dataset open(Split split, int[] size, Channels channels) {
        return open(split, size, channels, ConceptTask.OBJECT);
    }

    /**
     * As {@link #open(Split, int[], Channels)}; concept data is classified by {@code task} (train / val
     * splits; a null split = all images).
     */
    Dataset open(Split split, int[] size, Channels channels, ConceptTask task) {
        if (kind.equals("concepts")) {
            Dataset d = ConceptClassificationDataset.open(directory, task,
                    split == null ? null : split == Split.TRAIN ? "train" : "val");
            if (size != null && (size[0] != d.imageShape()[1] || size[1] != d.imageShape()[2])) {
                d = d.transformed(Transforms.resize(size[0], size[1]));
            }
            return d;
        }
        if (isIdx()) {
            if (split == null) {
                throw new IllegalArgumentException("IDX datasets have a train and a test split; --split all is for concept data");
            }
            Dataset d = IdxDataset.open(directory, split);
            if (size != null && (size[0] != d.imageShape()[1] || size[1] != d.imageShape()[2])) {
                d = d.transformed(Transforms.resize(size[0], size[1]));
            }
            return d;
        }
        if (size == null) {
            throw new IllegalArgumentException("folder datasets need --size H,W (the images are resized to it)");
        }
        Transform resize = Transforms.compose(Transforms.resizeShortSide(Math.min(size[0], size[1])),
                Transforms.centreCrop(size[0], size[1]));
        return ImageFolderDataset.open(directory, channels, resize);
    }

    @Override
    public String toString() {
        return kind + ":" + directory;
    }
}
