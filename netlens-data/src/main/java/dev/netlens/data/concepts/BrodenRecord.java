package dev.netlens.data.concepts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a Broden {@code index.csv}: an image and where its labels are. Paths are relative to the
 * dataset's {@code images/} folder, as in the file. Reading a record costs nothing; the segmentation
 * PNGs are decoded by {@link BrodenDataset#segmentation(int)}.
 *
 * @param index the row's position among all rows of {@code index.csv} (0-based)
 * @param line the 1-based line of the row in {@code index.csv} (for error messages)
 * @param image the image file, relative to {@code images/}
 * @param split the split name ({@code train}, {@code val}, …)
 * @param ih image height
 * @param iw image width
 * @param sh segmentation height (every segmentation PNG of the image has this size)
 * @param sw segmentation width
 * @param segmentationFiles per category, the segmentation PNGs (relative to {@code images/}; several
 *     per category allowed, e.g. Broden's part levels); categories without files are absent
 * @param imageLabels per category, the image-level label numbers (label the whole image); categories
 *     without such labels are absent
 */
public record BrodenRecord(int index, int line, String image, String split, int ih, int iw, int sh, int sw,
                           Map<String, List<String>> segmentationFiles, Map<String, List<Integer>> imageLabels) {
    public BrodenRecord {
        segmentationFiles = Collections.unmodifiableMap(new LinkedHashMap<>(segmentationFiles));
        imageLabels = Collections.unmodifiableMap(new LinkedHashMap<>(imageLabels));
    }

    /** The segmentation PNGs of one category (empty when none). */
    public List<String> segmentationFiles(String category) {
        return segmentationFiles.getOrDefault(category, List.of());
    }

    /** The image-level labels of one category (empty when none). */
    public List<Integer> imageLabels(String category) {
        return imageLabels.getOrDefault(category, List.of());
    }
}
