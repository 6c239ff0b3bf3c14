package dev.netlens.data.concepts;

import java.util.Locale;

/** What a {@link ConceptClassificationDataset} uses as the class of an image. */
public enum ConceptTask {
    /** The main object's class ({@code objects.csv}, {@code main = 1}); classes = the object names. */
    OBJECT,
    /** The first image-level label of the {@code scene} category; classes = the scene names. */
    SCENE;

    /**
     * Parses {@code object} or {@code scene} (any case).
     *
     * @throws IllegalArgumentException naming the valid tasks
     */
    public static ConceptTask parse(String s) {
        for (ConceptTask t : values()) {
            if (t.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown concept task '" + s + "'; valid tasks: object, scene");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
