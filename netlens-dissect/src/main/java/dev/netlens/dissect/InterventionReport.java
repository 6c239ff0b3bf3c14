package dev.netlens.dissect;

import java.util.List;

/**
 * The per-class effect of a {@link UnitIntervention}: for each class, over the examples of that
 * class, the mean score of the class and the accuracy before and after the edit.
 *
 * @param layer the edited layer
 * @param units the edited channels
 * @param edit "ablate" or "insert &lt;value&gt;"
 * @param classes one entry per class, by label
 */
public record InterventionReport(String layer, int[] units, String edit, List<ClassChange> classes) {
    public InterventionReport {
        units = units.clone();
        classes = List.copyOf(classes);
    }

    @Override
    public int[] units() {
        return units.clone();
    }

    /** Accuracy over all examples before the edit. */
    public double accuracyBefore() {
        return weighted(true);
    }

    /** Accuracy over all examples after the edit. */
    public double accuracyAfter() {
        return weighted(false);
    }

    private double weighted(boolean before) {
        long n = 0;
        double correct = 0;
        for (ClassChange c : classes) {
            n += c.examples();
            correct += (before ? c.accuracyBefore() : c.accuracyAfter()) * c.examples();
        }
        return n == 0 ? 0 : correct / n;
    }

    /**
     * One class's change.
     *
     * @param label class index
     * @param name class name
     * @param examples examples of the class in the dataset
     * @param scoreBefore mean score of the class on its examples, unedited
     * @param scoreAfter the same with the edit
     * @param accuracyBefore fraction of its examples classified correctly, unedited
     * @param accuracyAfter the same with the edit
     */
    public record ClassChange(int label, String name, long examples, double scoreBefore, double scoreAfter,
                              double accuracyBefore, double accuracyAfter) {
        /** scoreAfter − scoreBefore. */
        public double scoreChange() {
            return scoreAfter - scoreBefore;
        }

        /** accuracyAfter − accuracyBefore. */
        public double accuracyChange() {
            return accuracyAfter - accuracyBefore;
        }
    }
}
