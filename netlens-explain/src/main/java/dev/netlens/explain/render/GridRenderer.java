package dev.netlens.explain.render;

import dev.netlens.core.tensor.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Several attribution methods side by side in one picture: one row per image, the first column the
 * image itself (with the row's label under it), then one column per method, each headed by the
 * method's name. Every map is scaled on its own (methods' values are not comparable) with
 * {@link Heatmap}'s rules, and carries under it a horizontal colour bar with the values its ends
 * (and, for signed maps, its centre 0) stand for.
 *
 * <pre>{@code
 * BufferedImage grid = GridRenderer.render(List.of("saliency", "grad-cam"),
 *         List.of(new GridRenderer.Row(photo, "class 281", List.of(saliencyMap, camMap))),
 *         Heatmap.Options.defaults());
 * }</pre>
 */
public final class GridRenderer {
    private GridRenderer() {
    }

    /**
     * One row: the image the model saw, a label (e.g. the explained class; may be null) and one map
     * per method ([H, W], [C, H, W] or [1, C, H, W]; smaller maps are upsampled).
     */
    public record Row(BufferedImage image, String label, List<Tensor> maps) {
        public Row {
            maps = List.copyOf(maps);
        }
    }

    /** The grid picture; {@code options.colorBar()} and {@code caption()} are not used (each cell has its own bar). */
    public static BufferedImage render(List<String> methods, List<Row> rows, Heatmap.Options options) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a grid needs at least one row");
        }
        for (Row r : rows) {
            if (r.maps().size() != methods.size()) {
                throw new IllegalArgumentException("each row needs one map per method: " + methods.size()
                        + " methods, " + r.maps().size() + " maps");
            }
        }
        BufferedImage first = rows.get(0).image();
        int k = Heatmap.displayFactor(first.getHeight(), first.getWidth(), options.minSize());
        int cellW = first.getWidth() * k;
        int cellH = first.getHeight() * k;
        int ref = Math.min(cellW, cellH);
        Font title = Text.font(Math.max(12, Math.round(ref / 13f)), true);
        Font small = Text.font(Math.max(11, Math.round(ref / 17f)), false);
        int titleLine = Text.height(title);
        int smallLine = Text.height(small);
        int pad = Math.max(6, Math.round(ref * 0.04f));
        int barH = Math.max(8, Math.round(ref * 0.045f));
        int columns = methods.size() + 1;
        int header = titleLine + pad;
        int rowH = cellH + pad / 2 + barH + 2 + smallLine + pad;
        int width = pad + columns * (cellW + pad);
        int height = pad + header + rows.size() * rowH;
        BufferedImage out = Text.canvas(width, height);
        Graphics2D g = Text.graphics(out);
        Color ink = new Color(0x202020);
        for (int c = 0; c < columns; c++) {
            int x = pad + c * (cellW + pad);
            String name = c == 0 ? "input" : methods.get(c - 1);
            Text.drawFitted(g, title, ink, name, x + cellW / 2, pad + titleLine / 2, 1, cellW + pad - 2);
        }
        Heatmap.Options cellOptions = options.withMinSize(0).withColorBar(false).withCaption(null);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int y = pad + header + r * rowH;
            BufferedImage base = fit(row.image(), first.getWidth(), first.getHeight());
            drawScaled(g, base, pad, y, cellW, cellH);
            if (row.label() != null) {
                Text.drawFitted(g, small, ink, row.label(), pad + cellW / 2, y + cellH + pad / 2 + (barH + 2 + smallLine) / 2,
                        1, cellW + pad - 2);
            }
            for (int m = 0; m < methods.size(); m++) {
                int x = pad + (m + 1) * (cellW + pad);
                Heatmap.Blend blend = Heatmap.blend(base, row.maps().get(m), cellOptions);
                drawScaled(g, blend.image(), x, y, cellW, cellH);
                drawHorizontalBar(g, blend.scale(), x, y + cellH + pad / 2, cellW, barH, small, smallLine, ink);
            }
        }
        g.dispose();
        return out;
    }

    /** Writes {@link #render} as PNG. */
    public static void write(Path png, List<String> methods, List<Row> rows, Heatmap.Options options) {
        Heatmap.write(png, render(methods, rows, options));
    }

    private static BufferedImage fit(BufferedImage img, int w, int h) {
        if (img.getWidth() == w && img.getHeight() == h) {
            return img;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Draws an image into a w×h cell, enlarging with nearest neighbour (pixels stay sharp). */
    private static void drawScaled(Graphics2D g, BufferedImage img, int x, int y, int w, int h) {
        Object old = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(img, x, y, w, h, null);
        if (old != null) {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, old);
        }
    }

    private static void drawHorizontalBar(Graphics2D g, Heatmap.Scaled s, int x, int y, int w, int h, Font font,
                                          int line, Color ink) {
        for (int i = 0; i < w; i++) {
            g.setColor(new Color(s.colormap().rgb(i / (double) Math.max(1, w - 1))));
            g.fillRect(x + i, y, 1, h);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, y, w - 1, h - 1);
        int ty = y + h + 2 + line / 2;
        Text.draw(g, font, ink, Text.number(s.low()), x, ty, 0);
        Text.draw(g, font, ink, Text.number(s.high()), x + w, ty, 2);
        if (s.signed()) {
            Text.draw(g, font, ink, "0", x + w / 2, ty, 1);
        }
    }
}
