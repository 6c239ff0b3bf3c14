package dev.netlens.data.concepts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-label frequency and coverage, computed from segmentations the way {@code label.csv} and
 * {@code c_<category>.csv} state them (Broden's definitions):
 *
 * <ul>
 *   <li>frequency of a label in a category: the number of images where some pixel of some plane of
 *       that category carries it, or where it is an image-level label of that category;</li>
 *   <li>coverage of a label in a category: Σ over images of (pixels carrying it in that category) /
 *       (sh·sw) — area in units of whole images; an image-level label counts 1;</li>
 *   <li>frequency and coverage of a label overall: the same over all categories together (a pixel
 *       counted once);</li>
 *   <li>frequency of a category: Σ of its labels' frequencies in it.</li>
 * </ul>
 *
 * Coverage sums are taken in image order, so the same images give the same doubles.
 */
public final class ConceptStatistics {
    /** The statistics of one label. */
    public record LabelStatistics(int number, int frequency, double coverage,
                                  Map<String, Integer> categoryFrequencies, Map<String, Double> categoryCoverages) {
    }

    /** Pixel counts of one image: per category (in accumulator order) and over all categories. */
    record ImageCounts(int area, List<Map<Integer, Integer>> perCategory, Map<Integer, Integer> any) {
    }

    private final List<String> categories;
    private final int images;
    private final Map<Integer, LabelStatistics> labels;

    private ConceptStatistics(List<String> categories, int images, Map<Integer, LabelStatistics> labels) {
        this.categories = categories;
        this.images = images;
        this.labels = labels;
    }

    /** Number of images counted. */
    public int images() {
        return images;
    }

    /** The statistics of every label that occurs, by number (ascending). */
    public Map<Integer, LabelStatistics> labels() {
        return labels;
    }

    /** The statistics of one label, with zeros when it does not occur. */
    public LabelStatistics label(int number) {
        LabelStatistics s = labels.get(number);
        return s != null ? s : new LabelStatistics(number, 0, 0, Map.of(), Map.of());
    }

    /** Frequency of a label in one category (0 when absent). */
    public int frequency(String category, int number) {
        return label(number).categoryFrequencies().getOrDefault(category, 0);
    }

    /** Coverage of a label in one category (0 when absent). */
    public double coverage(String category, int number) {
        return label(number).categoryCoverages().getOrDefault(category, 0.0);
    }

    /** Σ of the frequencies of the labels of a category in it. */
    public long categoryFrequency(String category) {
        long sum = 0;
        for (LabelStatistics s : labels.values()) {
            sum += s.categoryFrequencies().getOrDefault(category, 0);
        }
        return sum;
    }

    /** The categories counted. */
    public List<String> categories() {
        return categories;
    }

    /** Adds images one by one (in a fixed order) and produces the statistics. Not thread-safe. */
    public static final class Accumulator {
        private final List<String> categories;
        private final Map<Integer, int[]> frequency = new TreeMap<>();
        private final Map<Integer, double[]> coverage = new TreeMap<>();
        private int images;

        /** An accumulator over the given categories (in this order). */
        public Accumulator(List<String> categories) {
            this.categories = List.copyOf(categories);
        }

        /** Counts one image. */
        public void add(ConceptSegmentation s) {
            add(count(s, categories));
        }

        /** The per-category and overall pixel counts of one image (thread-safe; for counting in parallel). */
        static ImageCounts count(ConceptSegmentation s, List<String> categories) {
            int area = s.height() * s.width();
            LabelCounter counter = new LabelCounter();
            List<Map<Integer, Integer>> perCategory = new java.util.ArrayList<>();
            for (String cat : categories) {
                counter.countPlanes(s.planes(cat), s.imageLabels(cat), area);
                perCategory.add(counter.toMap());
            }
            return new ImageCounts(area, perCategory, s.pixelCountsAnyCategory());
        }

        /** Counts one image from its precomputed counts (same categories, same order). */
        void add(ImageCounts counts) {
            int nc = categories.size();
            double area = counts.area();
            for (int c = 0; c < nc; c++) {
                for (Map.Entry<Integer, Integer> e : counts.perCategory().get(c).entrySet()) {
                    frequency.computeIfAbsent(e.getKey(), k -> new int[nc + 1])[c]++;
                    coverage.computeIfAbsent(e.getKey(), k -> new double[nc + 1])[c] += e.getValue() / area;
                }
            }
            for (Map.Entry<Integer, Integer> e : counts.any().entrySet()) {
                frequency.computeIfAbsent(e.getKey(), k -> new int[nc + 1])[nc]++;
                coverage.computeIfAbsent(e.getKey(), k -> new double[nc + 1])[nc] += e.getValue() / area;
            }
            images++;
        }

        /** The statistics of the images added so far. */
        public ConceptStatistics result() {
            int nc = categories.size();
            Map<Integer, LabelStatistics> out = new TreeMap<>();
            frequency.forEach((label, f) -> {
                double[] cov = coverage.get(label);
                Map<String, Integer> cf = new LinkedHashMap<>();
                Map<String, Double> cc = new LinkedHashMap<>();
                for (int c = 0; c < nc; c++) {
                    if (f[c] > 0) {
                        cf.put(categories.get(c), f[c]);
                        cc.put(categories.get(c), cov[c]);
                    }
                }
                out.put(label, new LabelStatistics(label, f[nc], cov[nc], Collections.unmodifiableMap(cf),
                        Collections.unmodifiableMap(cc)));
            });
            return new ConceptStatistics(categories, images, Collections.unmodifiableMap(out));
        }
    }
}
