package dev.netlens.explain.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColormapTest {
    private static int r(int rgb) {
        return (rgb >> 16) & 0xff;
    }

    private static int g(int rgb) {
        return (rgb >> 8) & 0xff;
    }

    private static int b(int rgb) {
        return rgb & 0xff;
    }

    @Test
    void sequentialMapsGoFromDarkBlueVioletToLightYellow() {
        int lo = Colormap.VIRIDIS.rgb(0);
        int hi = Colormap.VIRIDIS.rgb(1);
        assertTrue(b(lo) > g(lo) && r(lo) < 0x60 && Colormap.luminance(lo) < 0.05, Integer.toHexString(lo));
        assertTrue(r(hi) > 0xe0 && g(hi) > 0xd0 && b(hi) < 0x60, "yellow: " + Integer.toHexString(hi));
        int ilo = Colormap.INFERNO.rgb(0);
        int ihi = Colormap.INFERNO.rgb(1);
        assertTrue(Colormap.luminance(ilo) < 0.01, "near black: " + Integer.toHexString(ilo));
        assertTrue(r(ihi) > 0xf0 && g(ihi) > 0xe0 && b(ihi) > 0x90, "pale yellow: " + Integer.toHexString(ihi));
        assertEquals(lo, Colormap.VIRIDIS.rgb(-3), "clamped below");
        assertEquals(hi, Colormap.VIRIDIS.rgb(7), "clamped above");
    }

    @Test
    void sequentialLuminanceRisesMonotonicallyAndEvenly() {
        for (Colormap c : new Colormap[] {Colormap.VIRIDIS, Colormap.INFERNO}) {
            assertFalse(c.diverging());
            // Strictly rising on 65 evenly spaced entries; between neighbouring entries (0.0025 apart
            // in lightness) 8-bit rounding may hold the luminance level for a step, never lower it visibly.
            for (int i = 4; i < Colormap.SIZE; i += 4) {
                assertTrue(Colormap.luminance(c.entry(i)) > Colormap.luminance(c.entry(i - 4)), c + ": rises at " + i);
            }
            double prevL = Colormap.lightness(c.entry(0));
            double minStep = Double.MAX_VALUE;
            double maxStep = 0;
            for (int i = 1; i < Colormap.SIZE; i++) {
                assertTrue(Colormap.luminance(c.entry(i)) > Colormap.luminance(c.entry(i - 1)) - 2e-4,
                        c + ": no visible drop at " + i);
                if (i % 32 == 0) {
                    double l = Colormap.lightness(c.entry(i));
                    minStep = Math.min(minStep, l - prevL);
                    maxStep = Math.max(maxStep, l - prevL);
                    prevL = l;
                }
            }
            // Perceptually uniform: lightness steps over 32 entries are nearly equal (8-bit rounding aside).
            assertTrue(minStep > 0 && maxStep < 1.2 * minStep, c + ": lightness steps " + minStep + " … " + maxStep);
        }
    }

    @Test
    void divergingMapIsWhiteAtZeroAndSymmetric() {
        Colormap c = Colormap.BLUE_WHITE_RED;
        assertTrue(c.diverging());
        assertEquals(0xffffff, c.rgb(0.5));
        int neg = c.rgb(0);
        int pos = c.rgb(1);
        assertTrue(b(neg) > r(neg) + 80, "blue end: " + Integer.toHexString(neg));
        assertTrue(r(pos) > b(pos) + 80, "red end: " + Integer.toHexString(pos));
        int centre = (Colormap.SIZE - 1) / 2;
        assertEquals(0xffffff, c.entry(centre));
        for (int i = 1; i <= centre; i++) {
            double below = Colormap.lightness(c.entry(centre - i));
            double above = Colormap.lightness(c.entry(centre + i));
            assertEquals(below, above, 0.005, "lightness symmetric at ±" + i);
            assertTrue(below < Colormap.lightness(c.entry(centre - i + 1)) + 1e-3, "darker away from 0 at -" + i);
            assertTrue(above < Colormap.lightness(c.entry(centre + i - 1)) + 1e-3, "darker away from 0 at +" + i);
        }
        assertEquals(0xffffff, c.rgb(Double.NaN), "NaN shows as 0");
    }

    @Test
    void namedMaps() {
        assertEquals(Colormap.INFERNO, Colormap.named("Inferno"));
        assertEquals(Colormap.BLUE_WHITE_RED, Colormap.named("bwr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Colormap.named("jet")).getMessage()
                .contains("viridis"));
    }
}
