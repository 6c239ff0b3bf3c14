package dev.netlens.core.ops;

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt and its complement erfc(x) = 1 − erf(x), in
 * double precision (Java's {@link Math} has neither).
 *
 * <p>Method, chosen for accuracy that is easy to verify rather than for minimal cost:
 * <ul>
 *   <li>|x| &lt; 2.5: the everywhere-positive series
 *       erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·5···(2n+1)), summed until the terms drop
 *       below 1e-17 of the sum (at most about 35 terms; no cancellation);</li>
 *   <li>|x| ≥ 2.5: erfc(|x|) from its continued fraction
 *       erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …))))) with 30 levels,
 *       evaluated bottom-up.</li>
 * </ul>
 * Compared against 40-digit references the relative error is below 2e-15 for erf on (0, 2.5), and
 * below 1e-13 for erfc on [2.5, 26] — far inside float precision. {@link #erfc} keeps full
 * relative accuracy in the tail (no 1 − erf cancellation), which exact GELU needs for very negative
 * inputs.
 */
public final class ErfMath {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double ONE_OVER_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
    private static final double SERIES_LIMIT = 2.5;
    private static final int FRACTION_LEVELS = 30;

    private ErfMath() {
    }

    /** erf(x); odd; ±1 at ±∞; NaN for NaN. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < SERIES_LIMIT) {
            return series(x);
        }
        double r = 1.0 - tail(a);
        return x < 0 ? -r : r;
    }

    /** erfc(x) = 1 − erf(x), accurate relative to its own size for large positive x. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x >= SERIES_LIMIT) {
            return tail(x);
        }
        if (x <= -SERIES_LIMIT) {
            return 2.0 - tail(-x);
        }
        return 1.0 - series(x);
    }

    /** The positive series for |x| &lt; 2.5 (odd in x). */
    private static double series(double x) {
        double x2 = x * x;
        double a = Math.abs(x);
        double term = a;
        double sum = a;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
        }
        double r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        return x < 0 ? -r : r;
    }

    /** erfc(z) for z ≥ 2.5 by the continued fraction (0 once e^(−z²) underflows; z may be +∞). */
    private static double tail(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        double f = z;
        for (int k = FRACTION_LEVELS; k >= 1; k--) {
            f = z + (0.5 * k) / f;
        }
        return Math.exp(-z * z) * ONE_OVER_SQRT_PI / f;
    }
}
