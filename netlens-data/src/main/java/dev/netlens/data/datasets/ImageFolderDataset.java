package dev.netlens.data.datasets;

import dev.netlens.data.images.ImagePreprocessing;
import dev.netlens.data.images.ImagePreprocessing.Channels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Images in one subfolder per class — {@code root/<class>/…/<image>.png} — the layout of
 * torchvision's {@code ImageFolder}. Class names are the subfolder names in sorted order (hidden
 * folders, starting with '.', are skipped); a class folder's images (extensions {@code .png},
 * {@code .jpg}, {@code .jpeg}, any case; other files are ignored) may sit in nested folders and are
 * taken in sorted path order.
 *
 * <p>Only the file list is read when opening; each image is decoded with ImageIO when its example
 * is read, converted to the channel order asked for (floats in [0, 1]) and passed through the
 * transform, which must produce one fixed size (images in a folder usually differ in size), e.g.
 *
 * <pre>{@code
 * Dataset train = ImageFolderDataset.open(root, Channels.RGB,
 *         Transforms.compose(Transforms.resizeShortSide(32), Transforms.centreCrop(32, 32)));
 * }</pre>
 */
public final class ImageFolderDataset implements Dataset {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private final Path root;
    private final Channels channels;
    private final Transform transform;
    private final List<String> classNames;
    private final Path[] files;
    private final int[] labels;
    private final int[] shape;

    private ImageFolderDataset(Path root, Channels channels, Transform transform, List<String> classNames,
                               Path[] files, int[] labels, int[] shape) {
        this.root = root;
        this.channels = channels;
        this.transform = transform;
        this.classNames = classNames;
        this.files = files;
        this.labels = labels;
        this.shape = shape;
    }

    /**
     * Lists the images under {@code root}.
     *
     * @param channels the channel order of the examples (RGB, BGR or L)
     * @param transform applied to each decoded image; must end in a fixed size (a
     *     {@link Transforms#resize} or a crop)
     * @throws IllegalArgumentException when the root is missing or not a directory, has no class
     *     subfolders, holds image files directly, a class folder has no images, or the transform
     *     does not produce a fixed size
     */
    public static ImageFolderDataset open(Path root, Channels channels, Transform transform) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(transform, "transform");
        if (!Files.exists(root)) {
            throw new IllegalArgumentException("image folder " + root + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder " + root + " is not a directory; expected a directory"
                    + " with one subfolder per class");
        }
        int[] shape = transform.outputShape(new int[] {channels.count(), Transform.VARIES, Transform.VARIES});
        if (shape[1] == Transform.VARIES || shape[2] == Transform.VARIES) {
            throw new IllegalArgumentException("the images of " + root + " may differ in size, but the transform "
                    + transform + " does not produce one fixed size; end it with a resize to H x W or a crop");
        }
        List<Path> entries = list(root);
        List<String> rootImages = entries.stream().filter(ImageFolderDataset::isImageFile)
                .map(p -> p.getFileName().toString()).collect(Collectors.toList());
        if (!rootImages.isEmpty()) {
            throw new IllegalArgumentException("expected one subfolder per class in " + root
                    + ", found image files in the root: " + abbreviate(rootImages));
        }
        List<Path> classDirs = entries.stream().filter(Files::isDirectory)
                .filter(p -> !p.getFileName().toString().startsWith(".")).collect(Collectors.toList());
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("image folder " + root + " has no class subfolders; expected one"
                    + " subfolder per class holding its PNG/JPEG images");
        }
        List<String> names = new ArrayList<>();
        List<Path> allFiles = new ArrayList<>();
        List<Integer> allLabels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = imagesUnder(dir);
            if (images.isEmpty()) {
                throw new IllegalArgumentException("class folder " + dir + " has no images (expected files ending"
                        + " in .png, .jpg or .jpeg)");
            }
            int label = names.size();
            names.add(dir.getFileName().toString());
            for (Path image : images) {
                allFiles.add(image);
                allLabels.add(label);
            }
        }
        return new ImageFolderDataset(root, channels, transform, List.copyOf(names), allFiles.toArray(Path[]::new),
                allLabels.stream().mapToInt(Integer::intValue).toArray(), shape);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list image folder " + dir + ": " + e);
        }
    }

    private static List<Path> imagesUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(ImageFolderDataset::isImageFile).sorted().collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot list class folder " + dir + ": " + e);
        }
    }

    private static boolean isImageFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && !name.startsWith(".") && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static String abbreviate(List<String> names) {
        int shown = Math.min(5, names.size());
        String list = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? list + ", … (" + names.size() + " files)" : list;
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int[] imageShape() {
        return shape.clone();
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    /** The image file of example {@code index}. */
    public Path file(int index) {
        return files[Objects.checkIndex(index, files.length)];
    }

    /**
     * Decodes, converts and transforms example {@code index}.
     *
     * @throws IllegalArgumentException naming the file when it is not a readable PNG/JPEG
     */
    @Override
    public Example get(int index, SplittableRandom random) {
        Path file = file(index);
        FloatImage image = FloatImage.fromBufferedImage(ImagePreprocessing.read(file), channels);
        FloatImage out = transform.apply(image, random);
        if (!Arrays.equals(out.shape(), shape)) {
            throw new IllegalStateException("transform " + transform + " produced " + Arrays.toString(out.shape())
                    + " from " + file + ", expected " + Arrays.toString(shape));
        }
        return new Example(out.data(), labels[index]);
    }

    @Override
    public String toString() {
        return "ImageFolderDataset(" + root + ", " + files.length + " images, " + classNames.size() + " classes, "
                + channels + ", " + transform + ")";
    }
}
