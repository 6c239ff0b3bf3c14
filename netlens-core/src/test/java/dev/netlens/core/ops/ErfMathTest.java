package dev.netlens.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Checks {@link ErfMath} against known values (40-digit references from mpmath) and against an
 * independent reference (Simpson quadrature of e^(−t²)) on a dense grid, and the float-level
 * accuracy the ops need (relative error &lt; 1e-7).
 */
class ErfMathTest {

    /** Simpson's rule for ∫ₐᵇ e^(−t²) dt with n (even) intervals. */
    private static double gaussIntegral(double a, double b, int n) {
        double h = (b - a) / n;
        double s = Math.exp(-a * a) + Math.exp(-b * b);
        for (int i = 1; i < n; i++) {
            double t = a + i * h;
            s += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
        }
        return s * h / 3;
    }

    /** Reference erf by quadrature (independent of ErfMath), valid for |x| ≤ 3. */
    static double referenceErf(double x) {
        double v = 2 / Math.sqrt(Math.PI) * gaussIntegral(0, Math.abs(x), 6000);
        return x < 0 ? -v : v;
    }

    /** Reference erfc by quadrature over [z, z + 9] for z ≥ 1 (relative accuracy in the tail), else 1 − erf. */
    static double referenceErfc(double z) {
        if (z < 1) {
            return 1 - referenceErf(z);
        }
        return 2 / Math.sqrt(Math.PI) * gaussIntegral(z, z + 9, 30000);
    }

    private static void assertRelative(double expected, double actual, double rtol, String what) {
        assertTrue(Math.abs(actual - expected) <= rtol * Math.abs(expected),
                () -> what + ": " + actual + " vs " + expected + " (rel " + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    @Test
    void knownValues() {
        double[][] erf = {
            {0.5, 0.5204998778130465}, {1, 0.8427007929497149}, {2, 0.9953222650189527},
            {-1.5, -0.9661051464753108}, {0.1, 0.11246291601828489}, {1e-3, 0.0011283787909692364},
            {2.4, 0.99931148610335492}, {2.6, 0.99976396558347065}, {3.5, 0.99999925690162766},
            {-4, -0.9999999845827421},
        };
        for (double[] c : erf) {
            assertRelative(c[1], ErfMath.erf(c[0]), 1e-14, "erf(" + c[0] + ")");
        }
        double[][] erfc = {
            {0.5, 0.47950012218695346}, {2.5, 0.00040695201744495894}, {3, 2.2090496998585441e-5},
            {5, 1.5374597944280349e-12}, {7, 4.1838256077794144e-23}, {10, 2.0884875837625448e-45},
            {-2, 1.9953222650189527},
        };
        for (double[] c : erfc) {
            assertRelative(c[1], ErfMath.erfc(c[0]), 1e-12, "erfc(" + c[0] + ")");
        }
    }

    @Test
    void specialValues() {
        assertEquals(0.0, ErfMath.erf(0.0));
        assertEquals(1.0, ErfMath.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, ErfMath.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, ErfMath.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, ErfMath.erfc(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, ErfMath.erf(40));
        assertEquals(0.0, ErfMath.erfc(40));
        assertTrue(Double.isNaN(ErfMath.erf(Double.NaN)));
        assertTrue(Double.isNaN(ErfMath.erfc(Double.NaN)));
        assertRelative(2 / Math.sqrt(Math.PI) * 1e-30, ErfMath.erf(1e-30), 1e-15, "erf(1e-30)");
    }

    @Test
    void matchesQuadratureOnAGrid() {
        for (double x = -3; x <= 3.0001; x += 0.01) {
            if (Math.abs(x) < 1e-9) {
                continue;
            }
            assertRelative(referenceErf(x), ErfMath.erf(x), 1e-11, "erf(" + x + ")");
            assertEquals(-ErfMath.erf(x), ErfMath.erf(-x), 0.0, "erf is odd at " + x);
        }
        for (double z = 1; z <= 12; z += 0.05) {
            assertRelative(referenceErfc(z), ErfMath.erfc(z), 1e-9, "erfc(" + z + ")");
        }
    }

    @Test
    void floatAccuracyAcrossTheRange() {
        // Relative error of the float result below 1e-7 everywhere (both branches and the switch at 2.5).
        for (double x = 0.001; x < 6; x *= 1.01) {
            double e = x <= 3 ? referenceErf(x) : 1 - referenceErfc(x);
            float f = (float) ErfMath.erf(x);
            assertTrue(Math.abs(f - e) <= 1e-7 * e, "float erf(" + x + ") = " + f + " vs " + e);
        }
    }
}
