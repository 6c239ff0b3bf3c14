package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Gauss–Legendre nodes/weights against known values and exactness; Riemann rules as Captum's. */
class QuadratureTest {
    @Test
    void twoAndThreePointRulesAreTheTextbookOnes() {
        double[][] two = Quadrature.legendre(2);
        assertArrayEquals(new double[] {-1 / Math.sqrt(3), 1 / Math.sqrt(3)}, two[0], 1e-15);
        assertArrayEquals(new double[] {1, 1}, two[1], 1e-15);
        double[][] three = Quadrature.legendre(3);
        assertArrayEquals(new double[] {-Math.sqrt(0.6), 0, Math.sqrt(0.6)}, three[0], 1e-15);
        assertArrayEquals(new double[] {5.0 / 9, 8.0 / 9, 5.0 / 9}, three[1], 1e-15);
    }

    @Test
    void fivePointRuleMatchesClosedForms() {
        double inner = Math.sqrt(5 - 2 * Math.sqrt(10.0 / 7)) / 3;
        double outer = Math.sqrt(5 + 2 * Math.sqrt(10.0 / 7)) / 3;
        double wInner = (322 + 13 * Math.sqrt(70)) / 900;
        double wOuter = (322 - 13 * Math.sqrt(70)) / 900;
        double[][] five = Quadrature.legendre(5);
        assertArrayEquals(new double[] {-outer, -inner, 0, inner, outer}, five[0], 1e-15);
        assertArrayEquals(new double[] {wOuter, wInner, 128.0 / 225, wInner, wOuter}, five[1], 1e-15);
        // Numeric values as tabulated (and as numpy.polynomial.legendre.leggauss(5) prints them).
        assertEquals(0.5384693101056831, inner, 1e-16);
        assertEquals(0.906179845938664, outer, 1e-15);
        assertEquals(0.4786286704993665, wInner, 1e-15);
        assertEquals(0.2369268850561891, wOuter, 1e-15);
    }

    @Test
    void fiftyPointRuleMatchesNumpy() {
        // numpy.polynomial.legendre.leggauss(50)
        double[][] r = Quadrature.legendre(50);
        assertEquals(-0.998866404420071, r[0][0], 1e-14);
        assertEquals(-0.9940319694320907, r[0][1], 1e-14);
        assertEquals(0.031098338327188876, r[0][25], 1e-14);
        assertEquals(0.0029086225531579266, r[1][0], 1e-14);
        assertEquals(0.010590548383651496, r[1][2], 1e-14);
        assertEquals(0.06217661665534703, r[1][25], 1e-14);
    }

    @Test
    void gaussLegendreIntegratesPolynomialsUpToDegree2nMinus1Exactly() {
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 10, 16, 33, 50, 64, 100}) {
            Quadrature q = Quadrature.of(Quadrature.Method.GAUSS_LEGENDRE, n);
            double wsum = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(q.alpha(i) > 0 && q.alpha(i) < 1, "node inside (0, 1)");
                assertTrue(q.weight(i) > 0, "positive weight");
                if (i > 0) {
                    assertTrue(q.alpha(i) > q.alpha(i - 1), "increasing nodes");
                }
                wsum += q.weight(i);
            }
            assertEquals(1.0, wsum, 1e-13, "weights sum to 1 for n=" + n);
            for (int d = 0; d <= 2 * n - 1; d++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += q.weight(i) * Math.pow(q.alpha(i), d);
                }
                assertEquals(1.0 / (d + 1), s, 1e-13, "∫ α^" + d + " with n=" + n);
            }
            // A full polynomial of degree 2n−1 on [−1, 1]: ∫ Σ_k c_k t^k = Σ_{k even} 2 c_k / (k + 1).
            double[][] tw = Quadrature.legendre(n);
            double exact = 0;
            double approx = 0;
            for (int k = 0; k <= 2 * n - 1; k++) {
                double c = Math.cos(k + 1.0);
                exact += k % 2 == 0 ? 2 * c / (k + 1) : 0;
                for (int i = 0; i < n; i++) {
                    approx += tw[1][i] * c * Math.pow(tw[0][i], k);
                }
            }
            assertEquals(exact, approx, 1e-12, "polynomial of degree " + (2 * n - 1));
        }
        // ...and not degree 2n: ∫₀¹ α² with one node (α = ½) is ¼, not ⅓.
        Quadrature one = Quadrature.of(Quadrature.Method.GAUSS_LEGENDRE, 1);
        assertEquals(0.5, one.alpha(0), 0);
        assertEquals(1.0, one.weight(0), 0);
    }

    @Test
    void riemannRulesAreCaptums() {
        Quadrature left = Quadrature.of(Quadrature.Method.RIEMANN_LEFT, 4);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, left.alphas(), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, left.weights(), 1e-15);
        Quadrature right = Quadrature.of(Quadrature.Method.RIEMANN_RIGHT, 4);
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1}, right.alphas(), 1e-15);
        Quadrature middle = Quadrature.of(Quadrature.Method.RIEMANN_MIDDLE, 4);
        assertArrayEquals(new double[] {0.125, 0.375, 0.625, 0.875}, middle.alphas(), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, middle.weights(), 1e-15);
        // Captum's trapezoid: linspace(0, 1, n) with weights 1/n, halved at both ends (sum 1 − 1/n).
        Quadrature trap = Quadrature.of(Quadrature.Method.RIEMANN_TRAPEZOID, 5);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, trap.alphas(), 1e-15);
        assertArrayEquals(new double[] {0.1, 0.2, 0.2, 0.2, 0.1}, trap.weights(), 1e-15);
    }

    @Test
    void namesParseAndBadArgumentsAreExplained() {
        assertEquals(Quadrature.Method.GAUSS_LEGENDRE, Quadrature.Method.parse("gausslegendre"));
        assertEquals(Quadrature.Method.GAUSS_LEGENDRE, Quadrature.Method.parse("Gauss-Legendre"));
        assertEquals(Quadrature.Method.RIEMANN_TRAPEZOID, Quadrature.Method.parse("riemann_trapezoid"));
        assertEquals(Quadrature.Method.RIEMANN_LEFT, Quadrature.Method.parse("riemann-left"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quadrature.Method.parse("simpson"));
        assertTrue(e.getMessage().contains("riemann_middle"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quadrature.of(Quadrature.Method.RIEMANN_LEFT, 1));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Quadrature.of(Quadrature.Method.GAUSS_LEGENDRE, 0));
    }
}
