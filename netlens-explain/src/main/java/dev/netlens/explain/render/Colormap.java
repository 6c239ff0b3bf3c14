package dev.netlens.explain.render;

import java.util.Locale;

/**
 * A colormap: a 257-entry table of sRGB colours indexed by a position t in [0, 1].
 *
 * <p>The tables are computed here, not copied: each map is a path through OKLab (Björn Ottosson's
 * perceptual colour space, 2020), whose L axis is perceived lightness. Lightness changes linearly
 * along the path, so equal steps in value look like equal steps in brightness and the map reads
 * correctly in grayscale; hue and chroma vary smoothly, and a colour outside the sRGB gamut keeps its
 * lightness and hue and loses chroma (bisection) until it fits.
 *
 * <ul>
 *   <li>{@link #VIRIDIS} — sequential, in the spirit of matplotlib's viridis: dark violet (L 0.30)
 *       → blue → teal → green → yellow (L 0.93).</li>
 *   <li>{@link #INFERNO} — sequential, in the spirit of inferno: near-black (L 0.14) → purple → red
 *       → orange → pale yellow (L 0.97).</li>
 *   <li>{@link #BLUE_WHITE_RED} — diverging, centred at t = 0.5: blue (L 0.45) → white (L 1) → red
 *       (L 0.45), lightness symmetric about the centre, for signed maps with 0 at the centre.</li>
 * </ul>
 */
public final class Colormap {
    /** Sequential violet → teal → yellow. */
    public static final Colormap VIRIDIS = new Colormap("viridis", false, Colormap::viridis);
    /** Sequential black → purple → red → orange → pale yellow. */
    public static final Colormap INFERNO = new Colormap("inferno", false, Colormap::inferno);
    /** Diverging blue → white → red, white at t = 0.5. */
    public static final Colormap BLUE_WHITE_RED = new Colormap("blue-white-red", true, Colormap::blueWhiteRed);

    /** Entries in a table (odd, so that t = 0.5 — a diverging map's 0 — is an entry). */
    public static final int SIZE = 257;

    private final String name;
    private final boolean diverging;
    private final int[] table = new int[SIZE];

    private interface Path {
        /** OKLCh (L, C, h in degrees) at t ∈ [0, 1]. */
        double[] lch(double t);
    }

    private Colormap(String name, boolean diverging, Path path) {
        this.name = name;
        this.diverging = diverging;
        for (int i = 0; i < SIZE; i++) {
            double[] lch = path.lch(i / (double) (SIZE - 1));
            table[i] = inGamut(lch[0], lch[1], lch[2]);
        }
    }

    /** A colormap by name: viridis, inferno, blue-white-red (case-insensitive). */
    public static Colormap named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "viridis" -> VIRIDIS;
            case "inferno" -> INFERNO;
            case "blue-white-red", "bwr", "diverging" -> BLUE_WHITE_RED;
            default -> throw new IllegalArgumentException("unknown colormap '" + name
                    + "'; colormaps: viridis, inferno, blue-white-red");
        };
    }

    public String name() {
        return name;
    }

    /** True for maps centred at t = 0.5 (signed data). */
    public boolean diverging() {
        return diverging;
    }

    /** The colour (0xRRGGBB) at t, clamped to [0, 1]; NaN maps to the lowest (or, diverging, centre) colour. */
    public int rgb(double t) {
        if (Double.isNaN(t)) {
            t = diverging ? 0.5 : 0;
        }
        double c = Math.max(0, Math.min(1, t)) * (SIZE - 1);
        int i = (int) Math.floor(c);
        if (i >= SIZE - 1) {
            return table[SIZE - 1];
        }
        double f = c - i;
        int a = table[i];
        int b = table[i + 1];
        return mix(a, b, f);
    }

    /** Table entry i (0xRRGGBB), 0 ≤ i &lt; {@link #SIZE}. */
    public int entry(int i) {
        return table[i];
    }

    @Override
    public String toString() {
        return name;
    }

    static int mix(int a, int b, double f) {
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
        int bl = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return (r << 16) | (g << 8) | bl;
    }

    // ---- the paths (OKLCh) ----

    private static double[] viridis(double t) {
        double l = 0.30 + 0.63 * t;
        double c = 0.13 - 0.17 * t + 0.22 * t * t;
        double h = 305 - 200 * t;
        return new double[] {l, c, h};
    }

    private static double[] inferno(double t) {
        double l = 0.14 + 0.83 * t;
        double c = 0.05 + 0.52 * t * (1 - t) + 0.06 * t;
        double h = 295 + 165 * t;
        return new double[] {l, c, h};
    }

    private static double[] blueWhiteRed(double t) {
        double s = Math.abs(2 * t - 1);
        double l = 1.0 - 0.55 * s;
        double c = 0.19 * Math.pow(s, 0.75);
        double h = t < 0.5 ? 258 : 27;
        return new double[] {l, c, h};
    }

    // ---- OKLab ↔ sRGB ----

    /** The sRGB colour of (L, C, h), with chroma reduced until it is inside the gamut. */
    private static int inGamut(double l, double c, double h) {
        double hr = Math.toRadians(h);
        double[] rgb = oklabToLinear(l, c * Math.cos(hr), c * Math.sin(hr));
        if (!inside(rgb)) {
            double lo = 0;
            double hi = c;
            for (int i = 0; i < 40; i++) {
                double mid = (lo + hi) / 2;
                if (inside(oklabToLinear(l, mid * Math.cos(hr), mid * Math.sin(hr)))) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            rgb = oklabToLinear(l, lo * Math.cos(hr), lo * Math.sin(hr));
        }
        return (encode(rgb[0]) << 16) | (encode(rgb[1]) << 8) | encode(rgb[2]);
    }

    private static boolean inside(double[] rgb) {
        double eps = 1e-9;
        return rgb[0] >= -eps && rgb[0] <= 1 + eps && rgb[1] >= -eps && rgb[1] <= 1 + eps && rgb[2] >= -eps
                && rgb[2] <= 1 + eps;
    }

    /** OKLab → linear sRGB (Ottosson's matrices). */
    static double[] oklabToLinear(double l, double a, double b) {
        double l1 = l + 0.3963377774 * a + 0.2158037573 * b;
        double m1 = l - 0.1055613458 * a - 0.0638541728 * b;
        double s1 = l - 0.0894841775 * a - 1.2914855480 * b;
        double l3 = l1 * l1 * l1;
        double m3 = m1 * m1 * m1;
        double s3 = s1 * s1 * s1;
        return new double[] {
            4.0767416621 * l3 - 3.3077115913 * m3 + 0.2309699292 * s3,
            -1.2684380046 * l3 + 2.6097574011 * m3 - 0.3413193965 * s3,
            -0.0041960863 * l3 - 0.7034186147 * m3 + 1.7076147010 * s3
        };
    }

    /** The OKLab lightness L of an sRGB colour 0xRRGGBB (for tests and checks). */
    public static double lightness(int rgb) {
        double r = decode((rgb >> 16) & 0xff);
        double g = decode((rgb >> 8) & 0xff);
        double b = decode(rgb & 0xff);
        double l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
        double m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
        double s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
        return 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s;
    }

    /** Relative luminance Y (Rec. 709 primaries, linear light) of an sRGB colour 0xRRGGBB. */
    public static double luminance(int rgb) {
        return 0.2126 * decode((rgb >> 16) & 0xff) + 0.7152 * decode((rgb >> 8) & 0xff) + 0.0722 * decode(rgb & 0xff);
    }

    private static int encode(double linear) {
        double v = Math.max(0, Math.min(1, linear));
        double s = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
        return (int) Math.round(s * 255);
    }

    private static double decode(int channel) {
        double s = channel / 255.0;
        return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }
}
