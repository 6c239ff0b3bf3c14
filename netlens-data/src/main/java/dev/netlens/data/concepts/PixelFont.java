package dev.netlens.data.concepts;

import java.util.HashMap;
import java.util.Map;

/**
 * A 3×5 pixel font (capitals, digits and a little punctuation) for labels in pictures: drawn pixel by
 * pixel, so pictures do not depend on the fonts installed and the code runs headless.
 */
final class PixelFont {
    static final int WIDTH = 3;
    static final int HEIGHT = 5;

    private static final Map<Character, String> GLYPHS = new HashMap<>();

    static {
        glyph('A', ".#.", "#.#", "###", "#.#", "#.#");
        glyph('B', "##.", "#.#", "##.", "#.#", "##.");
        glyph('C', ".##", "#..", "#..", "#..", ".##");
        glyph('D', "##.", "#.#", "#.#", "#.#", "##.");
        glyph('E', "###", "#..", "##.", "#..", "###");
        glyph('F', "###", "#..", "##.", "#..", "#..");
        glyph('G', ".##", "#..", "#.#", "#.#", ".##");
        glyph('H', "#.#", "#.#", "###", "#.#", "#.#");
        glyph('I', "###", ".#.", ".#.", ".#.", "###");
        glyph('J', "..#", "..#", "..#", "#.#", ".#.");
        glyph('K', "#.#", "#.#", "##.", "#.#", "#.#");
        glyph('L', "#..", "#..", "#..", "#..", "###");
        glyph('M', "#.#", "###", "###", "#.#", "#.#");
        glyph('N', "##.", "#.#", "#.#", "#.#", "#.#");
        glyph('O', ".#.", "#.#", "#.#", "#.#", ".#.");
        glyph('P', "##.", "#.#", "##.", "#..", "#..");
        glyph('Q', ".#.", "#.#", "#.#", "##.", ".##");
        glyph('R', "##.", "#.#", "##.", "#.#", "#.#");
        glyph('S', ".##", "#..", ".#.", "..#", "##.");
        glyph('T', "###", ".#.", ".#.", ".#.", ".#.");
        glyph('U', "#.#", "#.#", "#.#", "#.#", "###");
        glyph('V', "#.#", "#.#", "#.#", "#.#", ".#.");
        glyph('W', "#.#", "#.#", "###", "###", "#.#");
        glyph('X', "#.#", "#.#", ".#.", "#.#", "#.#");
        glyph('Y', "#.#", "#.#", ".#.", ".#.", ".#.");
        glyph('Z', "###", "..#", ".#.", "#..", "###");
        glyph('0', "###", "#.#", "#.#", "#.#", "###");
        glyph('1', ".#.", "##.", ".#.", ".#.", "###");
        glyph('2', "##.", "..#", ".#.", "#..", "###");
        glyph('3', "##.", "..#", ".#.", "..#", "##.");
        glyph('4', "#.#", "#.#", "###", "..#", "..#");
        glyph('5', "###", "#..", "##.", "..#", "##.");
        glyph('6', ".##", "#..", "###", "#.#", "###");
        glyph('7', "###", "..#", ".#.", ".#.", ".#.");
        glyph('8', "###", "#.#", "###", "#.#", "###");
        glyph('9', "###", "#.#", "###", "..#", "##.");
        glyph(' ', "...", "...", "...", "...", "...");
        glyph('-', "...", "...", "###", "...", "...");
        glyph('_', "...", "...", "...", "...", "###");
        glyph(':', "...", ".#.", "...", ".#.", "...");
        glyph('.', "...", "...", "...", "...", ".#.");
        glyph(',', "...", "...", "...", ".#.", "#..");
        glyph('*', "...", "#.#", ".#.", "#.#", "...");
        glyph('/', "..#", "..#", ".#.", "#..", "#..");
        glyph('(', ".#.", "#..", "#..", "#..", ".#.");
        glyph(')', ".#.", "..#", "..#", "..#", ".#.");
        glyph('?', "##.", "..#", ".#.", "...", ".#.");
    }

    private PixelFont() {
    }

    private static void glyph(char c, String... rows) {
        GLYPHS.put(c, String.join("", rows));
    }

    /** The width in pixels of {@code text} at {@code scale} (one blank column between letters). */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * (WIDTH + 1) - 1) * scale;
    }

    /** Draws {@code text} (any case; unknown characters as '?') with its top-left corner at (x, y). */
    static void draw(int[] argb, int imageWidth, int imageHeight, String text, int x, int y, int scale, int colour) {
        for (int k = 0; k < text.length(); k++) {
            String g = GLYPHS.getOrDefault(Character.toUpperCase(text.charAt(k)), GLYPHS.get('?'));
            int gx = x + k * (WIDTH + 1) * scale;
            for (int r = 0; r < HEIGHT; r++) {
                for (int c = 0; c < WIDTH; c++) {
                    if (g.charAt(r * WIDTH + c) != '#') {
                        continue;
                    }
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            int px = gx + c * scale + dx;
                            int py = y + r * scale + dy;
                            if (px >= 0 && py >= 0 && px < imageWidth && py < imageHeight) {
                                argb[py * imageWidth + px] = colour;
                            }
                        }
                    }
                }
            }
        }
    }
}
