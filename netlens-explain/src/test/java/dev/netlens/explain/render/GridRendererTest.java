package dev.netlens.explain.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridRendererTest {
    private static BufferedImage red(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xff0000);
            }
        }
        return img;
    }

    @Test
    void layoutIsInputThenOneColumnPerMethodOneRowPerImage() {
        BufferedImage base = red(224, 224);
        Tensor hotLeft = Tensor.zeros(1, 1, 4, 4);
        hotLeft.set(1f, 0, 0, 0, 0);
        BufferedImage grid = GridRenderer.render(List.of("a", "b"), List.of(
                new GridRenderer.Row(base, "first", List.of(hotLeft, hotLeft)),
                new GridRenderer.Row(base, "second", List.of(hotLeft, hotLeft))),
                Heatmap.Options.defaults().withAlpha(1));
        assertTrue(grid.getWidth() >= 3 * 224 && grid.getWidth() < 3 * 224 + 100, "width " + grid.getWidth());
        assertTrue(grid.getHeight() >= 2 * 224 && grid.getHeight() < 2 * 224 + 200, "height " + grid.getHeight());
        // Find the first row's input cell (pure red), then the map cell to its right starting with the hot colour.
        int y = -1;
        for (int yy = 0; yy < grid.getHeight() && y < 0; yy++) {
            if ((grid.getRGB(112, yy) & 0xffffff) == 0xff0000) {
                y = yy;
            }
        }
        assertTrue(y > 10, "a title row above the cells: " + y);
        int x = 0;
        while ((grid.getRGB(x, y + 2) & 0xffffff) != 0xff0000) {
            x++; // white margin
        }
        while ((grid.getRGB(x, y + 2) & 0xffffff) == 0xff0000) {
            x++; // the input cell
        }
        while ((grid.getRGB(x, y + 2) & 0xffffff) == 0xffffff) {
            x++; // the gap between columns
        }
        assertEquals(Colormap.VIRIDIS.rgb(1), grid.getRGB(x + 2, y + 2) & 0xffffff, "hot top-left of the first map");
        assertEquals(Colormap.VIRIDIS.rgb(0), grid.getRGB(x + 200, y + 200) & 0xffffff, "cold elsewhere");
    }

    @Test
    void eachRowNeedsOneMapPerMethod() {
        BufferedImage base = red(8, 8);
        assertThrows(IllegalArgumentException.class, () -> GridRenderer.render(List.of("a", "b"),
                List.of(new GridRenderer.Row(base, null, List.of(Tensor.zeros(8, 8)))), Heatmap.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> GridRenderer.render(List.of("a"), List.of(),
                Heatmap.Options.defaults()));
    }
}
