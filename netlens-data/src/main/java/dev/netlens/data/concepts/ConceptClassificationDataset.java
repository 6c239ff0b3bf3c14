package dev.netlens.data.concepts;

import dev.netlens.data.datasets.Dataset;
import dev.netlens.data.datasets.Example;
import dev.netlens.data.datasets.FloatImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Concept data as a classification {@link Dataset}: each image of a split with one class per image —
 * the main object ({@link ConceptTask#OBJECT}, from {@code objects.csv} of generated concept scenes)
 * or the scene ({@link ConceptTask#SCENE}, the first {@code scene} label; images without one are
 * left out, so it also works on Broden). Images are RGB floats in [0, 1], shape {@code [3, ih, iw]}
 * (all images must have one size), decoded when read; add transforms with {@link #transformed}.
 * Class names are the category's label names in {@code c_<category>.csv} code order, so class
 * {@code k} is code {@code k + 1}.
 *
 * <pre>{@code
 * Dataset train = ConceptClassificationDataset.open(Path.of("concepts"), ConceptTask.OBJECT, "train");
 * Dataset val = ConceptClassificationDataset.open(Path.of("concepts"), ConceptTask.OBJECT, "val")
 *         .transformed(Transforms.normalize(mean, std));
 * }</pre>
 */
public final class ConceptClassificationDataset implements Dataset {
    private final BrodenDataset data;
    private final ConceptTask task;
    private final String split;
    private final List<String> classNames;
    private final int[] rows;
    private final int[] labels;
    private final int[] shape;

    private ConceptClassificationDataset(BrodenDataset data, ConceptTask task, String split, List<String> classNames,
                                         int[] rows, int[] labels, int[] shape) {
        this.data = data;
        this.task = task;
        this.split = split;
        this.classNames = classNames;
        this.rows = rows;
        this.labels = labels;
        this.shape = shape;
    }

    /**
     * Opens the images of one split ({@code null} = all) of a concept dataset for a task.
     *
     * @throws IllegalArgumentException when the data cannot be read (see {@link BrodenDataset#open}),
     *     the task needs {@code objects.csv} and there is none, the split has no images, an image has
     *     no label for the task (object task), or the images differ in size
     */
    public static ConceptClassificationDataset open(Path directory, ConceptTask task, String split) {
        Objects.requireNonNull(task, "task");
        return of(BrodenDataset.open(directory), task, split);
    }

    /** The classification view of an opened dataset; see {@link #open}. */
    public static ConceptClassificationDataset of(BrodenDataset data, ConceptTask task, String split) {
        String category = task == ConceptTask.OBJECT ? "object" : "scene";
        List<CategoryCode> codes = data.category(category).codes();
        List<String> names = new ArrayList<>();
        for (CategoryCode c : codes) {
            if (c.code() == 0) {
                continue; // an explicit "unlabelled" row
            }
            if (c.code() != names.size() + 1) {
                throw new IllegalArgumentException(data.directory().resolve("c_" + category + ".csv") + ": codes must"
                        + " run 1, 2, 3, … in file order to be used as classes; found code " + c.code() + " at row "
                        + (names.size() + 1));
            }
            names.add(c.name());
        }
        SceneAnnotations notes = null;
        if (task == ConceptTask.OBJECT) {
            if (!SceneAnnotations.present(data.directory())) {
                throw new IllegalArgumentException(data.directory() + " has no objects.csv: the object task needs"
                        + " generated concept scenes (netlens concepts generate); use task scene for Broden data");
            }
            notes = SceneAnnotations.read(data.directory());
        }
        int[] indices = data.indices(split);
        List<Integer> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int ih = -1;
        int iw = -1;
        for (int i : indices) {
            BrodenRecord r = data.record(i);
            String name;
            if (task == ConceptTask.OBJECT) {
                name = notes.mainObject(r.image()).object();
            } else {
                List<Integer> scene = r.imageLabels("scene");
                if (scene.isEmpty()) {
                    continue;
                }
                name = data.label(scene.get(0)).name();
            }
            int label = names.indexOf(name);
            if (label < 0) {
                throw new IllegalArgumentException("image " + r.image() + ": " + category + " '" + name
                        + "' is not in " + data.directory().resolve("c_" + category + ".csv"));
            }
            if (ih < 0) {
                ih = r.ih();
                iw = r.iw();
            } else if (r.ih() != ih || r.iw() != iw) {
                throw new IllegalArgumentException(data.directory().resolve("index.csv") + ", line " + r.line()
                        + ": image " + r.image() + " is " + r.ih() + "x" + r.iw() + " but earlier images are " + ih
                        + "x" + iw + "; a classification view needs one image size");
            }
            rows.add(i);
            labels.add(label);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(data.directory() + ": no images " + (split == null ? "" : "in split '"
                    + split + "' ") + "with a " + category + " label");
        }
        return new ConceptClassificationDataset(data, task, split, List.copyOf(names),
                rows.stream().mapToInt(Integer::intValue).toArray(), labels.stream().mapToInt(Integer::intValue)
                .toArray(), new int[] {3, ih, iw});
    }

    @Override
    public int size() {
        return rows.length;
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

    /** The {@code index.csv} row of example {@code index}. */
    public BrodenRecord record(int index) {
        return data.record(rows[Objects.checkIndex(index, rows.length)]);
    }

    /**
     * Decodes example {@code index} (no random transforms of its own).
     *
     * @throws IllegalArgumentException naming the file when the image is missing, unreadable or not
     *     {@code ih × iw}
     */
    @Override
    public Example get(int index, SplittableRandom random) {
        FloatImage img = data.image(rows[Objects.checkIndex(index, rows.length)]);
        if (img.height() != shape[1] || img.width() != shape[2]) {
            throw new IllegalArgumentException(data.imagesPath(record(index).image()) + " is " + img.height() + "x"
                    + img.width() + " but index.csv gives ih x iw = " + shape[1] + "x" + shape[2]);
        }
        return new Example(img.data(), labels[index]);
    }

    @Override
    public String toString() {
        return "ConceptClassificationDataset(" + data.directory() + ", task=" + task + ", split="
                + (split == null ? "all" : split) + ", " + rows.length + " images, " + classNames.size() + " classes)";
    }
}
