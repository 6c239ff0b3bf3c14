package dev.netlens.data.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * MNIST-format data (MNIST, Fashion-MNIST, …): one IDX file of images and one of labels per split,
 * gzipped or not, held in memory as bytes (60000 × 28 × 28 bytes is 47 MB) and converted to floats
 * in [0, 1] per example, shape {@code [1, rows, columns]}.
 *
 * <pre>{@code
 * Dataset test = IdxDataset.open(Path.of("/usr/share/datasets/fashion-mnist"), Split.TEST);
 * Example first = test.get(0, RandomStreams.forExample(seed, 0, 0));
 * }</pre>
 *
 * <p>The files are found by name in the directory: {@code train-images-idx3-ubyte} and
 * {@code train-labels-idx1-ubyte} for {@link Split#TRAIN}, {@code t10k-…} for {@link Split#TEST},
 * each optionally ending in {@code .gz} (or spelled {@code train-images.idx3-ubyte}); Debian's
 * {@code dataset-fashion-mnist} package installs them, gzipped, in
 * {@code /usr/share/datasets/fashion-mnist}. Compression is detected from the content.
 *
 * <p>Class names are Fashion-MNIST's ten when the directory path contains "fashion" (any case),
 * otherwise the digits "0" … "9", unless the caller supplies its own. This dataset applies no
 * transforms; add them with {@link #transformed}.
 */
public final class IdxDataset implements Dataset {
    /** Fashion-MNIST's class names, by label. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** MNIST's class names, by label. */
    public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final Path directory;
    private final Split split;
    private final List<String> classNames;
    private final byte[] pixels;
    private final byte[] labels;
    private final int rows;
    private final int columns;

    private IdxDataset(Path directory, Split split, List<String> classNames, byte[] pixels, byte[] labels, int rows,
                       int columns) {
        this.directory = directory;
        this.split = split;
        this.classNames = classNames;
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * Reads a split with the default class names (see the class comment).
     *
     * @throws IllegalArgumentException when the files are missing or invalid; the message names the
     *     file and what was expected
     */
    public static IdxDataset open(Path directory, Split split) {
        return open(directory, split, null);
    }

    /**
     * Reads a split with the given class names (null = the default for the directory).
     *
     * @throws IllegalArgumentException when the files are missing or invalid, or a label is not in
     *     {@code [0, classNames.size())}; the message names the file and what was expected
     */
    public static IdxDataset open(Path directory, Split split, List<String> classNames) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(split, "split");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("IDX dataset directory " + directory + " does not exist or is not a"
                    + " directory");
        }
        List<String> names = classNames != null ? List.copyOf(classNames) : defaultClassNames(directory);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("class names must not be empty");
        }
        Path imageFile = find(directory, split.idxPrefix() + "-images", "idx3-ubyte");
        Path labelFile = find(directory, split.idxPrefix() + "-labels", "idx1-ubyte");
        IdxFile images = IdxFile.read(imageFile, 3);
        IdxFile labels = IdxFile.read(labelFile, 1);
        if (images.dims()[0] != labels.dims()[0]) {
            throw new IllegalArgumentException("IDX files disagree on the number of examples: " + imageFile + " has "
                    + images.dims()[0] + " images but " + labelFile + " has " + labels.dims()[0] + " labels");
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xff;
            if (label >= names.size()) {
                throw new IllegalArgumentException("IDX label file " + labelFile + ": label " + label + " of example "
                        + i + " is out of range [0, " + names.size() + ") for the " + names.size() + " classes "
                        + names);
            }
        }
        return new IdxDataset(directory, split, names, images.data(), labelBytes, images.dims()[1],
                images.dims()[2]);
    }

    /** Fashion-MNIST's names when the path contains "fashion" (any case), else the digits. */
    public static List<String> defaultClassNames(Path directory) {
        String path = directory.toAbsolutePath().toString().toLowerCase(Locale.ROOT);
        return path.contains("fashion") ? FASHION_MNIST_CLASSES : DIGIT_CLASSES;
    }

    /** The file-name candidates for one IDX file, in order of preference. */
    static List<String> candidateNames(String stem, String kind) {
        List<String> names = new ArrayList<>();
        for (String base : List.of(stem + "-" + kind, stem + "." + kind)) {
            names.add(base);
            names.add(base + ".gz");
        }
        return names;
    }

    private static Path find(Path directory, String stem, String kind) {
        List<String> candidates = candidateNames(stem, kind);
        for (String name : candidates) {
            Path p = directory.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("IDX dataset directory " + directory + " has no " + stem
                + " file; looked for " + String.join(", ", candidates));
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int[] imageShape() {
        return new int[] {1, rows, columns};
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)] & 0xff;
    }

    @Override
    public Example get(int index, SplittableRandom random) {
        Objects.checkIndex(index, labels.length);
        int area = rows * columns;
        float[] image = new float[area];
        int offset = index * area;
        for (int p = 0; p < area; p++) {
            image[p] = (pixels[offset + p] & 0xff) / 255f;
        }
        return new Example(image, labels[index] & 0xff);
    }

    /** The directory the files were read from. */
    public Path directory() {
        return directory;
    }

    /** The split that was read. */
    public Split split() {
        return split;
    }

    @Override
    public String toString() {
        return "IdxDataset(" + directory + ", " + split + ", " + size() + " images " + rows + "x" + columns + ")";
    }
}
