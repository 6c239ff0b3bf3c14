package dev.netlens.data.concepts;

import static dev.netlens.data.concepts.NamedColour.BLUE;
import static dev.netlens.data.concepts.NamedColour.BROWN;
import static dev.netlens.data.concepts.NamedColour.GREEN;
import static dev.netlens.data.concepts.NamedColour.GREY;
import static dev.netlens.data.concepts.NamedColour.RED;
import static dev.netlens.data.concepts.NamedColour.WHITE;
import static dev.netlens.data.concepts.NamedColour.YELLOW;

import java.util.SplittableRandom;

/**
 * Paints the six backgrounds ({@link ConceptVocabulary#SCENES} order) into the RGB and colour-label
 * buffers. Each has a dominant colour name, which objects avoid so they stay visible.
 */
final class SceneBackground {
    private SceneBackground() {
    }

    /** The dominant colour of each scene; objects are not painted in it. */
    static int dominantColour(int scene) {
        return switch (scene) {
            case 0, 3 -> BLUE;
            case 1 -> GREEN;
            case 2 -> YELLOW;
            case 4 -> RED;
            default -> BROWN;
        };
    }

    /** A second colour of the scene that objects also avoid (or -1). */
    static int secondaryColour(int scene) {
        return switch (scene) {
            case 0, 3 -> WHITE;
            case 4 -> GREY;
            default -> -1;
        };
    }

    static void paint(int scene, int size, int[] rgb, int[] colour, SplittableRandom random) {
        double k = size / 112.0;
        switch (scene) {
            case 0 -> sky(size, k, rgb, colour, random);
            case 1 -> grass(size, k, rgb, colour, random);
            case 2 -> sand(size, k, rgb, colour, random);
            case 3 -> water(size, k, rgb, colour, random);
            case 4 -> bricks(size, k, rgb, colour, random);
            default -> planks(size, k, rgb, colour, random);
        }
    }

    private static int lerp(int a, int b, double t) {
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
        int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return (r << 16) | (g << 8) | bl;
    }

    private static void sky(int size, double k, int[] rgb, int[] colour, SplittableRandom random) {
        int top = 0x5a9be6;
        int bottom = 0xa8d0f2;
        for (int y = 0; y < size; y++) {
            int c = lerp(top, bottom, (double) y / size);
            for (int x = 0; x < size; x++) {
                rgb[y * size + x] = c;
                colour[y * size + x] = BLUE;
            }
        }
        int clouds = 1 + random.nextInt(3);
        for (int n = 0; n < clouds; n++) {
            double cx = random.nextDouble() * size;
            double cy = random.nextDouble() * size * 0.8;
            double w = (10 + random.nextDouble() * 12) * k;
            int white = NamedColour.shade(0xf4f6fa, 0, 0, 0);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    boolean in = blob(dx, dy, w, 0.45 * w) || blob(dx - 0.6 * w, dy + 0.1 * w, 0.6 * w, 0.35 * w)
                            || blob(dx + 0.6 * w, dy + 0.15 * w, 0.55 * w, 0.3 * w)
                            || blob(dx - 0.1 * w, dy - 0.3 * w, 0.5 * w, 0.4 * w);
                    if (in) {
                        rgb[y * size + x] = white;
                        colour[y * size + x] = WHITE;
                    }
                }
            }
        }
    }

    private static boolean blob(double dx, double dy, double rx, double ry) {
        return (dx * dx) / (rx * rx) + (dy * dy) / (ry * ry) <= 1;
    }

    private static void grass(int size, double k, int[] rgb, int[] colour, SplittableRandom random) {
        double phase = random.nextDouble() * 10;
        long seed = random.nextLong();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5) / (3.5 * k) + 0.35 * Math.abs(2 * TexturePattern.frac((y + 0.5) / (7 * k) + phase) - 1);
                boolean blade = TexturePattern.frac(u + TexturePattern.lattice((long) Math.floor(u), (long) (y / (7 * k)), seed)) < 0.3;
                rgb[y * size + x] = blade ? 0x2c7a2c : 0x4aa640;
                colour[y * size + x] = GREEN;
            }
        }
    }

    private static void sand(int size, double k, int[] rgb, int[] colour, SplittableRandom random) {
        long seed = random.nextLong();
        double phase = random.nextDouble() * Math.PI * 2;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dune = StrictMath.sin((y + 0.3 * x) / (9 * k) + phase);
                int base = NamedColour.shade(0xe6c878, (int) (10 * dune), (int) (10 * dune), (int) (6 * dune));
                boolean speck = TexturePattern.lattice(x, y, seed) < 0.07;
                rgb[y * size + x] = speck ? 0xa07848 : base;
                colour[y * size + x] = speck ? BROWN : YELLOW;
            }
        }
    }

    private static void water(int size, double k, int[] rgb, int[] colour, SplittableRandom random) {
        double phase = random.nextDouble() * Math.PI * 2;
        double offset = random.nextDouble();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double w = (y + 0.5) / (10 * k) + 0.28 * StrictMath.sin((x + 0.5) / (4 * k) + phase) + offset;
                boolean crest = TexturePattern.frac(w) < 0.16;
                rgb[y * size + x] = crest ? 0xdde9f7 : lerp(0x1f5fa8, 0x2a74be, (double) y / size);
                colour[y * size + x] = crest ? WHITE : BLUE;
            }
        }
    }

    private static void bricks(int size, double k, int[] rgb, int[] colour, SplittableRandom random) {
        double bh = (7 + random.nextInt(3)) * k;
        double bw = 2.2 * bh;
        double ox = random.nextDouble() * bw;
        double oy = random.nextDouble() * bh;
        double mortar = Math.max(1, 1.3 * k);
        long seed = random.nextLong();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double yy = y + 0.5 + oy;
                long row = (long) Math.floor(yy / bh);
                double xx = x + 0.5 + ox + (row % 2 == 0 ? 0 : bw / 2);
                long col = (long) Math.floor(xx / bw);
                boolean joint = yy - row * bh < mortar || xx - col * bw < mortar;
                if (joint) {
                    rgb[y * size + x] = 0xb9b9b4;
                    colour[y * size + x] = GREY;
                } else {
                    int d = (int) (TexturePattern.lattice(row, col, seed) * 40) - 20;
                    rgb[y * size + x] = NamedColour.shade(0xaa4230, d, d / 2, d / 3);
                    colour[y * size + x] = RED;
                }
            }
        }
    }

    private static void planks(int size, double k, int[] rgb, int[] colour, SplittableRandom random) {
        double ph = (11 + random.nextInt(4)) * k;
        double oy = random.nextDouble() * ph;
        long seed = random.nextLong();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double yy = y + 0.5 + oy;
                long plank = (long) Math.floor(yy / ph);
                boolean seam = yy - plank * ph < Math.max(1, k);
                int base;
                if (seam) {
                    base = 0x4a2e16;
                } else {
                    int d = (int) (TexturePattern.lattice(plank, 7, seed) * 30) - 15;
                    double grain = StrictMath.sin((x + 0.5) / (2.5 * k) + 3 * StrictMath.sin(yy / (4 * k) + plank));
                    int g = grain > 0.75 ? -18 : 0;
                    base = NamedColour.shade(0x9c6434, d + g, d / 2 + g, d / 3 + g / 2);
                }
                rgb[y * size + x] = base;
                colour[y * size + x] = BROWN;
            }
        }
    }
}
