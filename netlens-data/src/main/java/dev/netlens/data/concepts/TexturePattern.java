package dev.netlens.data.concepts;

/**
 * The eight surface textures as functions of object-aligned pixel coordinates (a, b): true where the
 * pattern colour is painted, false where the base colour shows. Index = position in
 * {@link ConceptVocabulary#TEXTURES}.
 */
final class TexturePattern {
    private TexturePattern() {
    }

    /**
     * @param texture the texture index
     * @param a object-aligned x in pixels
     * @param b object-aligned y in pixels
     * @param period the pattern period in pixels
     * @param seed per-instance seed (for blotchy)
     */
    static boolean ink(int texture, double a, double b, double period, long seed) {
        double x = a / period;
        double y = b / period;
        return switch (texture) {
            case 0 -> frac(x) < 0.5; // striped
            case 1 -> { // dotted
                double fx = frac(x) - 0.5;
                double fy = frac(y) - 0.5;
                yield fx * fx + fy * fy < 0.09;
            }
            case 2 -> ((long) Math.floor(x) + (long) Math.floor(y) & 1) == 0; // chequered
            case 3 -> frac(y + 0.9 * Math.abs(2 * frac(x) - 1)) < 0.45; // zigzagged
            case 4 -> frac(x) < 0.26 || frac(y) < 0.26; // grid
            case 5 -> frac(y + 0.45 * StrictMath.sin(2 * Math.PI * x / 3.0)) < 0.45; // wavy
            case 6 -> frac((x + y) * 0.75) < 0.22 || frac((x - y) * 0.75) < 0.22; // crosshatched
            case 7 -> noise(x / 1.7, y / 1.7, seed) > 0.56; // blotchy
            default -> throw new IllegalArgumentException("texture index " + texture);
        };
    }

    static double frac(double v) {
        return v - Math.floor(v);
    }

    /** Smooth value noise in [0, 1]: random lattice values, interpolated with a smoothstep. */
    static double noise(double x, double y, long seed) {
        long ix = (long) Math.floor(x);
        long iy = (long) Math.floor(y);
        double fx = x - ix;
        double fy = y - iy;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        double v00 = lattice(ix, iy, seed);
        double v10 = lattice(ix + 1, iy, seed);
        double v01 = lattice(ix, iy + 1, seed);
        double v11 = lattice(ix + 1, iy + 1, seed);
        double top = v00 + (v10 - v00) * fx;
        double bottom = v01 + (v11 - v01) * fx;
        return top + (bottom - top) * fy;
    }

    /** A hash of (x, y, seed) as a double in [0, 1). */
    static double lattice(long x, long y, long seed) {
        long h = mix(seed ^ mix(x * 0x9E3779B97F4A7C15L + y * 0xC2B2AE3D27D4EB4FL));
        return (h >>> 11) * 0x1.0p-53;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
