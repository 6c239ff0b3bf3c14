package dev.netlens.data.concepts;

import dev.netlens.data.datasets.FloatImage;
import dev.netlens.data.images.ImagePreprocessing;
import dev.netlens.data.images.ImagePreprocessing.Channels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A dataset in the Broden layout (Bau et al., "Network Dissection: Quantifying Interpretability of
 * Deep Visual Representations", CVPR 2017; the layout written by the NetDissect tools and read by
 * NetDissect-Lite): images whose pixels are labelled with concepts of several categories.
 *
 * <pre>
 * DIR/index.csv          image,split,ih,iw,sh,sw,&lt;one column per category&gt;
 * DIR/category.csv       name,first,last,count,frequency
 * DIR/label.csv          number,name,category,frequency,coverage,syns
 * DIR/c_&lt;category&gt;.csv   code,number,name,frequency,coverage
 * DIR/images/…           images and segmentation PNGs (label = R + 256·G)
 * </pre>
 *
 * A category cell of {@code index.csv} holds ';'-separated segmentation PNG names (relative to
 * {@code images/}; several per category allowed, e.g. Broden's part levels) and/or integer label
 * numbers that label the whole image (Broden's scene and texture labels). Columns of
 * {@code index.csv} that {@code category.csv} does not list are ignored.
 *
 * <p>The published Broden 1 release reads as it is: unpack {@code broden1_224.zip} (or
 * {@code broden1_227.zip}, from the NetDissect download script) and open its folder,
 * {@code BrodenDataset.open(Path.of("dataset/broden1_224"))}. netlens' synthetic concept scenes
 * ({@link ConceptSceneGenerator}) are written in the same layout.
 *
 * <p>Opening reads the CSV files and checks them (columns, numbers, label numbers, that every
 * segmentation file exists) but decodes no PNG; {@link #segmentation(int)} decodes one image's
 * PNGs on demand, and {@link #samples}/{@link #batches} stream the dataset with constant memory.
 * Every problem is an {@link IllegalArgumentException} naming the file, the line or pixel, and what
 * is wrong. Instances are immutable and safe to read from several threads.
 */
public final class BrodenDataset {
    /** The columns every {@code index.csv} starts with. */
    public static final List<String> INDEX_COLUMNS = List.of("image", "split", "ih", "iw", "sh", "sw");

    private static final Pattern CATEGORY_COUNT = Pattern.compile("^([^()]+)\\((\\d+)\\)$");
    private static final Pattern INTEGER = Pattern.compile("^\\d+$");

    private final Path directory;
    private final List<ConceptCategory> categories;
    private final Map<Integer, ConceptLabel> labels;
    private final boolean[] known;
    private final List<BrodenRecord> records;

    private BrodenDataset(Path directory, List<ConceptCategory> categories, Map<Integer, ConceptLabel> labels,
                          List<BrodenRecord> records) {
        this.directory = directory;
        this.categories = categories;
        this.labels = labels;
        int max = labels.isEmpty() ? 0 : Collections.max(labels.keySet());
        this.known = new boolean[max + 1];
        known[0] = true;
        labels.keySet().forEach(n -> known[n] = true);
        this.records = records;
    }

    /**
     * Opens a Broden-format dataset: reads and checks its CSV files and that every segmentation file
     * named in {@code index.csv} exists.
     *
     * @throws IllegalArgumentException naming the file, line and problem: a missing file or column, a
     *     malformed number, a label number not in {@code label.csv}, a segmentation file that does
     *     not exist
     */
    public static BrodenDataset open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + ": not a directory; expected a Broden-format dataset"
                    + " with index.csv, category.csv, label.csv, c_<category>.csv and images/");
        }
        Map<Integer, ConceptLabel> labels = readLabels(directory.resolve("label.csv"));
        List<ConceptCategory> categories = readCategories(directory, labels);
        List<BrodenRecord> records = readIndex(directory, categories, labels);
        return new BrodenDataset(directory, List.copyOf(categories), Collections.unmodifiableMap(labels),
                Collections.unmodifiableList(records));
    }

    private static Map<Integer, ConceptLabel> readLabels(Path file) {
        CsvTable t = CsvTable.read(file).require("number", "name", "category", "frequency", "coverage");
        Map<Integer, ConceptLabel> labels = new TreeMap<>();
        boolean syns = t.has("syns");
        for (int r = 0; r < t.size(); r++) {
            int number = t.getInt(r, "number");
            if (number < 0 || number > 0xffff) {
                throw t.error(r, "label number " + number + " is outside 0..65535");
            }
            if (labels.containsKey(number)) {
                throw t.error(r, "label number " + number + " is listed twice");
            }
            Map<String, Integer> perCategory = new LinkedHashMap<>();
            for (String part : t.get(r, "category").split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                Matcher m = CATEGORY_COUNT.matcher(part.trim());
                if (!m.matches()) {
                    throw t.error(r, "column category must look like color(12);object(3), got '"
                            + t.get(r, "category") + "'");
                }
                perCategory.put(m.group(1), Integer.parseInt(m.group(2)));
            }
            List<String> synonyms = new ArrayList<>();
            if (syns) {
                for (String s : t.get(r, "syns").split(";")) {
                    if (!s.isBlank()) {
                        synonyms.add(s.trim());
                    }
                }
            }
            labels.put(number, new ConceptLabel(number, t.get(r, "name"), perCategory, t.getInt(r, "frequency"),
                    t.getDouble(r, "coverage"), synonyms));
        }
        return labels;
    }

    private static List<ConceptCategory> readCategories(Path directory, Map<Integer, ConceptLabel> labels) {
        CsvTable t = CsvTable.read(directory.resolve("category.csv"))
                .require("name", "first", "last", "count", "frequency");
        List<ConceptCategory> out = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            String name = t.get(r, "name");
            if (name.isEmpty() || INDEX_COLUMNS.contains(name)) {
                throw t.error(r, "invalid category name '" + name + "'");
            }
            long frequency;
            try {
                frequency = Long.parseLong(t.get(r, "frequency"));
            } catch (NumberFormatException e) {
                throw t.error(r, "column frequency must be an integer, got '" + t.get(r, "frequency") + "'");
            }
            out.add(new ConceptCategory(name, t.getInt(r, "first"), t.getInt(r, "last"), t.getInt(r, "count"),
                    frequency, readCodes(directory.resolve("c_" + name + ".csv"), labels)));
        }
        return out;
    }

    private static List<CategoryCode> readCodes(Path file, Map<Integer, ConceptLabel> labels) {
        CsvTable t = CsvTable.read(file).require("code", "number", "name", "frequency", "coverage");
        List<CategoryCode> codes = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            int number = t.getInt(r, "number");
            if (number != 0 && !labels.containsKey(number)) {
                throw t.error(r, "label number " + number + " is not in label.csv");
            }
            codes.add(new CategoryCode(t.getInt(r, "code"), number, t.get(r, "name"), t.getInt(r, "frequency"),
                    t.getDouble(r, "coverage")));
        }
        return codes;
    }

    private static List<BrodenRecord> readIndex(Path directory, List<ConceptCategory> categories,
                                                Map<Integer, ConceptLabel> labels) {
        List<String> required = new ArrayList<>(INDEX_COLUMNS);
        categories.forEach(c -> required.add(c.name()));
        CsvTable t = CsvTable.read(directory.resolve("index.csv")).require(required.toArray(String[]::new));
        Path images = directory.resolve("images");
        List<BrodenRecord> records = new ArrayList<>(t.size());
        for (int r = 0; r < t.size(); r++) {
            String image = t.get(r, "image");
            if (image.isEmpty()) {
                throw t.error(r, "column image is empty");
            }
            int[] sizes = new int[4];
            for (int k = 0; k < 4; k++) {
                String col = INDEX_COLUMNS.get(2 + k);
                sizes[k] = t.getInt(r, col);
                if (sizes[k] < 1) {
                    throw t.error(r, "column " + col + " must be positive, got " + sizes[k]);
                }
            }
            Map<String, List<String>> files = new LinkedHashMap<>();
            Map<String, List<Integer>> imageLabels = new LinkedHashMap<>();
            for (ConceptCategory c : categories) {
                List<String> fs = new ArrayList<>();
                List<Integer> ls = new ArrayList<>();
                for (String item : t.get(r, c.name()).split(";")) {
                    String s = item.trim();
                    if (s.isEmpty()) {
                        continue;
                    }
                    if (INTEGER.matcher(s).matches()) {
                        int number = parseLabel(t, r, c.name(), s);
                        if (number != 0 && !labels.containsKey(number)) {
                            throw t.error(r, "image " + image + ", column " + c.name() + ": label number " + number
                                    + " is not in label.csv");
                        }
                        if (number != 0) {
                            ls.add(number);
                        }
                    } else {
                        if (!Files.isRegularFile(images.resolve(s))) {
                            throw t.error(r, "image " + image + ", column " + c.name() + ": segmentation file "
                                    + images.resolve(s) + " does not exist");
                        }
                        fs.add(s);
                    }
                }
                if (!fs.isEmpty()) {
                    files.put(c.name(), fs);
                }
                if (!ls.isEmpty()) {
                    imageLabels.put(c.name(), ls);
                }
            }
            records.add(new BrodenRecord(r, t.line(r), image, t.get(r, "split"), sizes[0], sizes[1], sizes[2],
                    sizes[3], files, imageLabels));
        }
        return records;
    }

    private static int parseLabel(CsvTable t, int r, String column, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw t.error(r, "column " + column + ": label number '" + s + "' is too large");
        }
    }

    /** The dataset folder. */
    public Path directory() {
        return directory;
    }

    /** The categories in {@code category.csv} order, with their codes. */
    public List<ConceptCategory> categories() {
        return categories;
    }

    /** The category called {@code name}. */
    public ConceptCategory category(String name) {
        for (ConceptCategory c : categories) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no category '" + name + "' in " + directory.resolve("category.csv")
                + "; categories: " + categories.stream().map(ConceptCategory::name).toList());
    }

    /** The labels of {@code label.csv} by number (ascending). */
    public Map<Integer, ConceptLabel> labels() {
        return labels;
    }

    /** Label {@code number} from {@code label.csv}. */
    public ConceptLabel label(int number) {
        ConceptLabel l = labels.get(number);
        if (l == null) {
            throw new IllegalArgumentException("label number " + number + " is not in "
                    + directory.resolve("label.csv"));
        }
        return l;
    }

    /** The first label called {@code name}. */
    public ConceptLabel label(String name) {
        for (ConceptLabel l : labels.values()) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no label named '" + name + "' in " + directory.resolve("label.csv"));
    }

    /** Number of images (rows of {@code index.csv}). */
    public int size() {
        return records.size();
    }

    /** Row {@code index} of {@code index.csv}. */
    public BrodenRecord record(int index) {
        return records.get(Objects.checkIndex(index, records.size()));
    }

    /** The indices of the images in {@code split} ({@code null} = all), ascending. */
    public int[] indices(String split) {
        return records.stream().filter(r -> split == null || r.split().equals(split))
                .mapToInt(BrodenRecord::index).toArray();
    }

    /** The path of a file named relative to {@code images/}. */
    public Path imagesPath(String relative) {
        return directory.resolve("images").resolve(relative);
    }

    /**
     * Decodes the image of row {@code index} as RGB floats in [0, 1], shape {@code [3, ih, iw]} of the
     * file (not resized).
     *
     * @throws IllegalArgumentException naming the file when it is missing or unreadable
     */
    public FloatImage image(int index) {
        return FloatImage.fromBufferedImage(ImagePreprocessing.read(imagesPath(record(index).image())),
                Channels.RGB);
    }

    /**
     * Decodes the segmentation PNGs of row {@code index}.
     *
     * @throws IllegalArgumentException naming the file, the {@code index.csv} line and the problem
     *     when a PNG is unreadable, is not {@code sh × sw}, or holds a label number not in
     *     {@code label.csv}
     */
    public ConceptSegmentation segmentation(int index) {
        BrodenRecord r = record(index);
        Map<String, List<int[]>> planes = new LinkedHashMap<>();
        r.segmentationFiles().forEach((category, files) -> {
            List<int[]> list = new ArrayList<>();
            for (String f : files) {
                list.add(readPlane(r, category, f));
            }
            planes.put(category, list);
        });
        return new ConceptSegmentation(r.sh(), r.sw(), planes, r.imageLabels());
    }

    private int[] readPlane(BrodenRecord r, String category, String name) {
        Path file = imagesPath(name);
        String where = directory.resolve("index.csv") + ", line " + r.line() + " (image " + r.image() + ", column "
                + category + "): segmentation file " + file;
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + " cannot be read: " + e.getMessage());
        }
        if (img == null) {
            throw new IllegalArgumentException(where + " is not a PNG image");
        }
        if (img.getWidth() != r.sw() || img.getHeight() != r.sh()) {
            throw new IllegalArgumentException(where + " is " + img.getHeight() + "x" + img.getWidth()
                    + " (height x width) but index.csv gives sh x sw = " + r.sh() + "x" + r.sw());
        }
        int[] plane = Png.labels(img);
        for (int i = 0; i < plane.length; i++) {
            int v = plane[i];
            if (v >= known.length || !known[v]) {
                throw new IllegalArgumentException(where + ": pixel (x=" + (i % r.sw()) + ", y=" + (i / r.sw())
                        + ") has label number " + v + ", which is not in label.csv");
            }
        }
        return plane;
    }

    /** One image's record with its decoded segmentation. */
    public record Sample(BrodenRecord record, ConceptSegmentation segmentation) {
    }

    /**
     * The images of {@code split} ({@code null} = all) in index order, each segmentation decoded when
     * the iterator reaches it (nothing is kept).
     */
    public Iterable<Sample> samples(String split) {
        int[] indices = indices(split);
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < indices.length;
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = indices[next++];
                return new Sample(records.get(i), segmentation(i));
            }
        };
    }

    /**
     * The images of {@code split} ({@code null} = all) in index order, in lists of {@code batchSize}
     * (the last may be shorter), each batch decoded when the iterator reaches it.
     */
    public Iterator<List<Sample>> batches(String split, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        Iterator<Sample> it = samples(split).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public List<Sample> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Sample> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && it.hasNext()) {
                    batch.add(it.next());
                }
                return batch;
            }
        };
    }

    /**
     * Decodes every segmentation once and checks it (sizes, label numbers): what {@link #open} leaves
     * for later, done now.
     *
     * @throws IllegalArgumentException on the first problem, as {@link #segmentation} does
     */
    public void validate() {
        for (int i = 0; i < records.size(); i++) {
            segmentation(i);
        }
    }

    /** Recomputes every label's and category's frequency and coverage from the segmentations (streaming). */
    public ConceptStatistics computeStatistics() {
        ConceptStatistics.Accumulator acc = new ConceptStatistics.Accumulator(
                categories.stream().map(ConceptCategory::name).toList());
        for (Sample s : samples(null)) {
            acc.add(s.segmentation());
        }
        return acc.result();
    }

    @Override
    public String toString() {
        return "BrodenDataset(" + directory + ", " + records.size() + " images, " + labels.size() + " labels, "
                + categories.stream().map(ConceptCategory::name).toList() + ")";
    }
}
