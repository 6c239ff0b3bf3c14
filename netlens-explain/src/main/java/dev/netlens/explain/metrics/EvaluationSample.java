package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.concepts.ConceptClassificationDataset;
import dev.netlens.data.concepts.ConceptSegmentation;
import dev.netlens.data.concepts.ConceptTask;
import dev.netlens.data.concepts.SceneAnnotations;
import dev.netlens.data.datasets.Dataset;
import dev.netlens.data.datasets.Transforms;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One image to evaluate explanations on.
 *
 * @param name the image's name (file name or index)
 * @param image the model input [C, H, W]
 * @param mask the main object's mask at H × W, or null when there is none (pointing games need it)
 * @param label the true class index in the model's class list, or −1 when unknown
 */
public record EvaluationSample(String name, Tensor image, ObjectMask mask, int label) {
    public EvaluationSample {
        if (image.rank() != 3) {
            throw new IllegalArgumentException("an evaluation image is [C, H, W], got " + image);
        }
        if (mask != null && (mask.height() != image.dim(1) || mask.width() != image.dim(2))) {
            throw new IllegalArgumentException("image " + name + ": mask " + mask.height() + "x" + mask.width()
                    + " does not match the image " + image.dim(1) + "x" + image.dim(2));
        }
    }

    /**
     * The first {@code limit} images of a concept-scenes directory (as written by {@code netlens
     * concepts generate}) in index order, resized bilinearly to {@code height × width} as the
     * bundled model's training did, each with its main object's segmentation (pixels of the main
     * object's class in the object plane) resized by nearest neighbour, and its class as an index in
     * {@code classNames} (the model's classes; null = the data's own class order).
     *
     * @throws IllegalArgumentException when the directory is not generated concept-scene data, or a
     *     main object's class is not among {@code classNames}
     */
    public static List<EvaluationSample> conceptScenes(Path directory, String split, int limit, int height, int width,
                                                       List<String> classNames) {
        BrodenDataset data = BrodenDataset.open(directory);
        if (!SceneAnnotations.present(directory)) {
            throw new IllegalArgumentException(directory + " has no objects.csv: object masks come from generated concept"
                    + " scenes (netlens concepts generate)");
        }
        ConceptClassificationDataset scenes = ConceptClassificationDataset.of(data, ConceptTask.OBJECT, split);
        Dataset resized = scenes.imageShape()[1] == height && scenes.imageShape()[2] == width ? scenes
                : scenes.transformed(Transforms.resize(height, width));
        int n = Math.min(limit, scenes.size());
        List<EvaluationSample> out = new ArrayList<>(n);
        SplittableRandom unused = new SplittableRandom(0);
        for (int i = 0; i < n; i++) {
            String object = scenes.classNames().get(scenes.label(i));
            int label = classNames == null ? scenes.label(i) : classNames.indexOf(object);
            if (label < 0) {
                throw new IllegalArgumentException("image " + scenes.record(i).image() + ": object '" + object
                        + "' is not one of the model's classes " + classNames);
            }
            int row = scenes.record(i).index();
            ConceptSegmentation seg = data.segmentation(row);
            boolean[] full = seg.mask("object", data.label(object).number());
            boolean[] small = nearest(full, seg.height(), seg.width(), height, width);
            float[] img = resized.get(i, unused).image();
            out.add(new EvaluationSample(scenes.record(i).image(), Tensor.of(img, 3, height, width),
                    new ObjectMask(height, width, small), label));
        }
        return out;
    }

    /** Nearest-neighbour resize of a mask, sampling at pixel centres. */
    static boolean[] nearest(boolean[] mask, int h, int w, int height, int width) {
        if (h == height && w == width) {
            return mask.clone();
        }
        boolean[] out = new boolean[height * width];
        for (int y = 0; y < height; y++) {
            int sy = Math.min(h - 1, (int) ((y + 0.5) * h / height));
            for (int x = 0; x < width; x++) {
                int sx = Math.min(w - 1, (int) ((x + 0.5) * w / width));
                out[y * width + x] = mask[sy * w + sx];
            }
        }
        return out;
    }
}
