package dev.netlens.explain.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Text on images with Java2D: a sans-serif font, antialiased, measured before drawing. On a machine
 * without usable fonts, text is left out (and measured as empty) rather than failing the render.
 */
final class Text {
    private Text() {
    }

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static Font font(int size, boolean bold) {
        return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, Math.max(8, size));
    }

    /** A canvas filled with white. */
    static BufferedImage canvas(int width, int height) {
        BufferedImage img = new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        return g;
    }

    /** Width of {@code s} in {@code font}, or 0 when no font is available. */
    static int width(Font font, String s) {
        try {
            BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = graphics(probe);
            FontMetrics m = g.getFontMetrics(font);
            int w = m.stringWidth(s);
            g.dispose();
            return w;
        } catch (RuntimeException | LinkageError | InternalError e) {
            return 0;
        }
    }

    /** Line height (ascent + descent) of a font. */
    static int height(Font font) {
        try {
            BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = graphics(probe);
            FontMetrics m = g.getFontMetrics(font);
            int h = m.getAscent() + m.getDescent();
            g.dispose();
            return h;
        } catch (RuntimeException | LinkageError | InternalError e) {
            return font.getSize();
        }
    }

    /**
     * Draws {@code s} with its left edge at x (align 0), centre at x (align 1) or right edge at x
     * (align 2), vertically centred on y.
     */
    static void draw(Graphics2D g, Font font, Color color, String s, int x, int y, int align) {
        try {
            g.setFont(font);
            g.setColor(color);
            FontMetrics m = g.getFontMetrics();
            int w = m.stringWidth(s);
            int left = align == 0 ? x : align == 1 ? x - w / 2 : x - w;
            int base = y + (m.getAscent() - m.getDescent()) / 2;
            g.drawString(s, left, base);
        } catch (RuntimeException | LinkageError | InternalError e) {
            // No usable font on this machine: the picture is still useful without its labels.
        }
    }

    /** Draws {@code s} shortened with "…" to fit {@code maxWidth}. */
    static void drawFitted(Graphics2D g, Font font, Color color, String s, int x, int y, int align, int maxWidth) {
        String shown = s;
        if (width(font, s) > maxWidth) {
            String t = s;
            while (t.length() > 1 && width(font, t + "…") > maxWidth) {
                t = t.substring(0, t.length() - 1);
            }
            shown = t + "…";
        }
        draw(g, font, color, shown, x, y, align);
    }

    /** A compact number: 3 significant digits, plain between 0.001 and 10⁴, else scientific. */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e4) {
            String s = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
            return s.startsWith("-") ? "−" + s.substring(1) : s;
        }
        String s = String.format(Locale.ROOT, "%.2e", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }
}
