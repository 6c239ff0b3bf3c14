package dev.netlens.data.concepts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded labels of one image at segmentation resolution {@code height × width}: for each category
 * zero or more label planes (one per segmentation PNG, row-major global label numbers, 0 =
 * unlabelled) and zero or more image-level labels, which label every pixel.
 *
 * <p>A pixel carries label {@code l} in category {@code c} when any plane of {@code c} has {@code l}
 * there, or when {@code l} is an image-level label of {@code c}.
 */
public final class ConceptSegmentation {
    private final int height;
    private final int width;
    private final Map<String, List<int[]>> planes;
    private final Map<String, List<Integer>> imageLabels;

    /**
     * Wraps decoded planes (not copied).
     *
     * @throws IllegalArgumentException when a plane does not have {@code height × width} values
     */
    public ConceptSegmentation(int height, int width, Map<String, List<int[]>> planes,
                               Map<String, List<Integer>> imageLabels) {
        this.height = height;
        this.width = width;
        Map<String, List<int[]>> p = new LinkedHashMap<>();
        planes.forEach((category, list) -> {
            for (int[] plane : list) {
                if (plane.length != height * width) {
                    throw new IllegalArgumentException("a " + category + " plane has " + plane.length
                            + " values, expected " + height + "x" + width);
                }
            }
            p.put(category, List.copyOf(list));
        });
        this.planes = Collections.unmodifiableMap(p);
        Map<String, List<Integer>> l = new LinkedHashMap<>();
        imageLabels.forEach((category, list) -> l.put(category, List.copyOf(list)));
        this.imageLabels = Collections.unmodifiableMap(l);
    }

    /** Segmentation height. */
    public int height() {
        return height;
    }

    /** Segmentation width. */
    public int width() {
        return width;
    }

    /** The label planes of a category (row-major; shared, do not modify); empty when it has none. */
    public List<int[]> planes(String category) {
        return planes.getOrDefault(category, List.of());
    }

    /** The image-level labels of a category; empty when it has none. */
    public List<Integer> imageLabels(String category) {
        return imageLabels.getOrDefault(category, List.of());
    }

    /** The categories with planes or image-level labels. */
    public java.util.Set<String> categories() {
        java.util.Set<String> s = new java.util.LinkedHashSet<>(planes.keySet());
        s.addAll(imageLabels.keySet());
        return s;
    }

    /**
     * The pixels carrying {@code label} in {@code category} (row-major, {@code height × width}); all
     * true for an image-level label.
     */
    public boolean[] mask(String category, int label) {
        boolean[] out = new boolean[height * width];
        if (label == 0) {
            return out;
        }
        if (imageLabels(category).contains(label)) {
            java.util.Arrays.fill(out, true);
            return out;
        }
        for (int[] plane : planes(category)) {
            for (int i = 0; i < plane.length; i++) {
                if (plane[i] == label) {
                    out[i] = true;
                }
            }
        }
        return out;
    }

    /**
     * For each label present in {@code category}, the number of pixels carrying it (a pixel counted
     * once even when several planes carry the label); image-level labels count every pixel. Sorted by
     * label number; label 0 is left out.
     */
    public Map<Integer, Integer> pixelCounts(String category) {
        LabelCounter counter = new LabelCounter();
        counter.countPlanes(planes(category), imageLabels(category), height * width);
        return counter.toMap();
    }

    /**
     * For each label present in any category, the number of pixels carrying it in any category (each
     * pixel counted once); image-level labels count every pixel. Sorted by label number.
     */
    public Map<Integer, Integer> pixelCountsAnyCategory() {
        List<int[]> all = new java.util.ArrayList<>();
        List<Integer> image = new java.util.ArrayList<>();
        for (String c : categories()) {
            all.addAll(planes(c));
            image.addAll(imageLabels(c));
        }
        LabelCounter counter = new LabelCounter();
        counter.countPlanes(all, image, height * width);
        return counter.toMap();
    }
}
