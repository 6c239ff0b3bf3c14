package dev.netlens.data.concepts;

import java.util.List;
import java.util.Map;

/**
 * One row of a Broden {@code label.csv}: a label number unique across all categories, its name and
 * its statistics. Label 0 means "unlabelled" and never has a row of its own in netlens-written data
 * (the published Broden 1 release does not list it either).
 *
 * @param number the global label number, as stored in segmentation PNGs (R + 256·G) and in
 *     image-level label cells of {@code index.csv}
 * @param name the English name (unique in netlens-written data)
 * @param categoryFrequencies for each category the label occurs in, the number of images where it
 *     occurs in that category — the {@code category} column, written {@code color(289);object(3)}
 * @param frequency the number of images in which the label occurs in any category
 * @param coverage the pixel area labelled with it, summed over images in units of whole images (an
 *     image-level label counts as the whole image)
 * @param synonyms other names (the {@code syns} column, ';'-separated; may be empty)
 */
public record ConceptLabel(int number, String name, Map<String, Integer> categoryFrequencies, int frequency,
                           double coverage, List<String> synonyms) {
    public ConceptLabel {
        categoryFrequencies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(categoryFrequencies));
        synonyms = List.copyOf(synonyms);
    }
}
