package dev.netlens.data.concepts;

import java.util.List;

/**
 * One row of a Broden {@code category.csv} together with its {@code c_<name>.csv} codes. In Broden
 * 1 the categories are {@code color, object, part, material, scene, texture}; netlens' concept
 * scenes have {@code color, object, part, texture, scene}.
 *
 * @param name the category name, also the {@code index.csv} column holding its labels
 * @param first the smallest label number in the category
 * @param last the largest label number in the category
 * @param count the number of labels in the category
 * @param frequency the sum over the category's labels of their frequency in it (so the number of
 *     (image, label) pairs; this is how the published Broden 1 numbers add up)
 * @param codes the category's dense codes, in file order
 */
public record ConceptCategory(String name, int first, int last, int count, long frequency,
                              List<CategoryCode> codes) {
    public ConceptCategory {
        codes = List.copyOf(codes);
    }
}
