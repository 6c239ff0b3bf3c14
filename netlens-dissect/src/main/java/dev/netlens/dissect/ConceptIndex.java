package dev.netlens.dissect;

import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.concepts.ConceptCategory;
import dev.netlens.data.concepts.ConceptLabel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The concepts a dissection scores: the labels of a Broden dataset, each in its primary category
 * (the category in which it occurs in most images, as NetDissect-Lite assigns them; ties go to the
 * earlier category of {@code category.csv}), numbered densely. Labels that never occur, or whose
 * primary category is not selected, are left out. Label 0 (unlabelled) is never a concept.
 */
public final class ConceptIndex {
    private final List<String> categories;
    private final int[] numbers;
    private final String[] names;
    private final int[] categoryOf;
    private final int[] denseOf;

    private ConceptIndex(List<String> categories, int[] numbers, String[] names, int[] categoryOf) {
        this.categories = List.copyOf(categories);
        this.numbers = numbers;
        this.names = names;
        this.categoryOf = categoryOf;
        int max = Arrays.stream(numbers).max().orElse(0);
        denseOf = new int[max + 1];
        Arrays.fill(denseOf, -1);
        for (int i = 0; i < numbers.length; i++) {
            denseOf[numbers[i]] = i;
        }
    }

    /**
     * The concepts of {@code data} in the selected categories.
     *
     * @param selected category names to score; null or empty = all
     * @throws IllegalArgumentException naming the unknown category and the known ones
     */
    public static ConceptIndex of(BrodenDataset data, Collection<String> selected) {
        List<String> all = data.categories().stream().map(ConceptCategory::name).toList();
        List<String> cats = new ArrayList<>();
        if (selected == null || selected.isEmpty()) {
            cats.addAll(all);
        } else {
            for (String s : selected) {
                if (!all.contains(s)) {
                    throw new IllegalArgumentException("no category '" + s + "' in the dataset; categories: " + all);
                }
            }
            all.stream().filter(selected::contains).forEach(cats::add);
        }
        List<Integer> nums = new ArrayList<>();
        List<String> nms = new ArrayList<>();
        List<Integer> catOf = new ArrayList<>();
        for (ConceptLabel label : data.labels().values()) {
            if (label.number() == 0) {
                continue;
            }
            String primary = null;
            int best = 0;
            for (String c : all) {
                int f = label.categoryFrequencies().getOrDefault(c, 0);
                if (f > best) {
                    best = f;
                    primary = c;
                }
            }
            if (primary == null || !cats.contains(primary)) {
                continue;
            }
            nums.add(label.number());
            nms.add(label.name());
            catOf.add(cats.indexOf(primary));
        }
        return new ConceptIndex(cats, nums.stream().mapToInt(Integer::intValue).toArray(), nms.toArray(String[]::new),
                catOf.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Builds an index from explicit tables (tests and tools): label numbers, names and category indices. */
    static ConceptIndex of(List<String> categories, Map<Integer, String> names, Map<Integer, Integer> categoryOf) {
        int[] nums = names.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        String[] nms = new String[nums.length];
        int[] cats = new int[nums.length];
        for (int i = 0; i < nums.length; i++) {
            nms[i] = names.get(nums[i]);
            cats[i] = categoryOf.get(nums[i]);
        }
        return new ConceptIndex(categories, nums, nms, cats);
    }

    /** The selected categories, in dataset order. */
    public List<String> categories() {
        return categories;
    }

    /** Number of concepts. */
    public int size() {
        return numbers.length;
    }

    /** Label number of concept {@code i}. */
    public int number(int i) {
        return numbers[i];
    }

    /** Name of concept {@code i}. */
    public String name(int i) {
        return names[i];
    }

    /** Index into {@link #categories()} of concept {@code i}'s primary category. */
    public int category(int i) {
        return categoryOf[i];
    }

    /** The dense index of label {@code number}, or −1 when it is not a scored concept. */
    public int dense(int number) {
        return number > 0 && number < denseOf.length ? denseOf[number] : -1;
    }

    /** A stable text form, for the fingerprint of saved state. */
    String describe() {
        return categories + Arrays.toString(numbers) + Arrays.toString(categoryOf);
    }
}
