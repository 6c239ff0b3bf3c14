package dev.netlens.explain.metrics;

/**
 * A perturbation curve: the class score after perturbing a growing fraction of the image, and the
 * area under it (trapezoid rule over the fractions, which run from 0 to 1).
 *
 * @param fractions the fraction of pixels perturbed at each point, 0 first, increasing
 * @param scores the class score at each point
 * @param auc the area under the curve, ∫ score d(fraction) by the trapezoid rule
 */
public record Curve(double[] fractions, double[] scores, double auc) {
    public Curve {
        if (fractions.length != scores.length || fractions.length < 2) {
            throw new IllegalArgumentException("a curve needs ≥ 2 points and one score per fraction");
        }
    }

    /** The curve with its trapezoid AUC. */
    static Curve of(double[] fractions, double[] scores) {
        return new Curve(fractions, scores, trapezoid(fractions, scores));
    }

    /** ∫ y dx by the trapezoid rule. */
    public static double trapezoid(double[] x, double[] y) {
        double a = 0;
        for (int i = 1; i < x.length; i++) {
            a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        return a;
    }
}
