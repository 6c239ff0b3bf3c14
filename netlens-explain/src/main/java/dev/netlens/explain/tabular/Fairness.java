package dev.netlens.explain.tabular;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Group fairness of a classifier's predictions for a sensitive attribute, with fairlearn's
 * definitions (Bird et al., "Fairlearn: A toolkit for assessing and improving fairness in AI",
 * 2020; Hardt, Price, Srebro, "Equality of Opportunity in Supervised Learning", NeurIPS 2016):
 * <ul>
 *   <li>selection rate of a group = share of its rows predicted as the positive class;</li>
 *   <li>demographic parity difference = max − min selection rate over groups;</li>
 *   <li>equalized-odds difference = max(max − min TPR, max − min FPR) over groups, with
 *       TPR = P(ŷ = + | y = +) and FPR = P(ŷ = + | y ≠ +). A group without positive (negative)
 *       rows has no TPR (FPR); it is reported as NaN and left out of that difference;</li>
 *   <li>per group: rows, accuracy, selection rate, TPR, FPR.</li>
 * </ul>
 * Groups are the distinct values of the sensitive column, sorted.
 *
 * <pre>{@code
 * Fairness.Report r = Fairness.of(groups, labels, predictions, 1);
 * }</pre>
 */
public final class Fairness {
    private Fairness() {
    }

    /** Metrics of one group. */
    public record Group(String name, int count, double accuracy, double selectionRate, double truePositiveRate,
                        double falsePositiveRate) {
    }

    /**
     * @param groups per-group metrics, sorted by name
     * @param demographicParityDifference max − min selection rate
     * @param equalizedOddsDifference max of the TPR and FPR spreads
     * @param accuracy overall accuracy
     * @param positiveClass the class counted as positive
     */
    public record Report(List<Group> groups, double demographicParityDifference, double equalizedOddsDifference,
                         double accuracy, int positiveClass) {
    }

    /** Fairness of predictions {@code predicted} against {@code actual} for the group of every row. */
    public static Report of(String[] group, int[] actual, int[] predicted, int positive) {
        int n = group.length;
        if (actual.length != n || predicted.length != n || n == 0) {
            throw new IllegalArgumentException("fairness needs one group, label and prediction per row; got " + n + ", "
                    + actual.length + ", " + predicted.length);
        }
        TreeMap<String, List<Integer>> rows = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            rows.computeIfAbsent(group[i], k -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>();
        int correctAll = 0;
        for (var e : rows.entrySet()) {
            int count = e.getValue().size();
            int correct = 0;
            int selected = 0;
            int pos = 0;
            int tp = 0;
            int neg = 0;
            int fp = 0;
            for (int i : e.getValue()) {
                boolean yp = predicted[i] == positive;
                boolean yt = actual[i] == positive;
                correct += predicted[i] == actual[i] ? 1 : 0;
                selected += yp ? 1 : 0;
                if (yt) {
                    pos++;
                    tp += yp ? 1 : 0;
                } else {
                    neg++;
                    fp += yp ? 1 : 0;
                }
            }
            correctAll += correct;
            groups.add(new Group(e.getKey(), count, correct / (double) count, selected / (double) count,
                    pos > 0 ? tp / (double) pos : Double.NaN, neg > 0 ? fp / (double) neg : Double.NaN));
        }
        double dpd = spread(groups.stream().mapToDouble(Group::selectionRate).toArray());
        double eod = Math.max(spread(groups.stream().mapToDouble(Group::truePositiveRate).toArray()),
                spread(groups.stream().mapToDouble(Group::falsePositiveRate).toArray()));
        return new Report(groups, dpd, eod, correctAll / (double) n, positive);
    }

    /** max − min over the finite values (0 when fewer than two). */
    static double spread(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        return hi >= lo ? hi - lo : 0;
    }
}
