package dev.netlens.data.concepts;

/**
 * One row of a Broden {@code c_<category>.csv}: the dense code of a label within one category
 * (what a per-category classifier would use) and the label's statistics in that category.
 *
 * @param code the dense code within the category (1, 2, …; 0 is unlabelled)
 * @param number the global label number (see {@link ConceptLabel#number})
 * @param name the label name
 * @param frequency the number of images in which the label occurs in this category
 * @param coverage the labelled area in this category, summed over images in units of whole images
 */
public record CategoryCode(int code, int number, String name, int frequency, double coverage) {
}
