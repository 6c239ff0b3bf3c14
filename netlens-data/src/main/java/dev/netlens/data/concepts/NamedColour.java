package dev.netlens.data.concepts;

/** The RGB values the generator paints for each Broden colour name (index = position in COLOURS). */
final class NamedColour {
    private static final int[] RGB = {
        0x1c1c1c, // black
        0x2855c8, // blue
        0x82502a, // brown
        0x33993a, // green
        0x8c8c8c, // grey
        0xf58c14, // orange
        0xf5a0c0, // pink
        0x8232a0, // purple
        0xd22424, // red
        0xf2f2f2, // white
        0xf0d828, // yellow
    };

    static final int BLACK = 0;
    static final int BLUE = 1;
    static final int BROWN = 2;
    static final int GREEN = 3;
    static final int GREY = 4;
    static final int ORANGE = 5;
    static final int PINK = 6;
    static final int PURPLE = 7;
    static final int RED = 8;
    static final int WHITE = 9;
    static final int YELLOW = 10;

    private NamedColour() {
    }

    /** The canonical RGB of colour {@code index}. */
    static int rgb(int index) {
        return RGB[index];
    }

    /** {@code rgb} with each channel moved by the given amounts, clamped to 0..255. */
    static int shade(int rgb, int dr, int dg, int db) {
        int r = clamp(((rgb >> 16) & 0xff) + dr);
        int g = clamp(((rgb >> 8) & 0xff) + dg);
        int b = clamp((rgb & 0xff) + db);
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
