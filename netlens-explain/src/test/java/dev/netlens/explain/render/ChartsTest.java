package dev.netlens.explain.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    private static boolean reddish(int rgb) {
        int r = (rgb >> 16) & 255;
        int b = rgb & 255;
        return r > 150 && b < 100;
    }

    private static boolean bluish(int rgb) {
        int r = (rgb >> 16) & 255;
        int b = rgb & 255;
        return b > 150 && r < 100;
    }

    /** Counts reddish and bluish pixels in the left and right halves of a pixel row band. */
    private static int[] colourCounts(BufferedImage img, int y0, int y1, int splitX) {
        int[] c = new int[4]; // red-left, red-right, blue-left, blue-right
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (reddish(rgb)) {
                    c[x < splitX ? 0 : 1]++;
                } else if (bluish(rgb)) {
                    c[x < splitX ? 2 : 3]++;
                }
            }
        }
        return c;
    }

    @Test
    void positiveBarsAreRedRightOfZeroAndNegativeBarsBlueLeftOfIt() throws Exception {
        BarChart chart = BarChart.builder("Attributions").axisLabel("contribution")
                .bar("income", 2.0).bar("age", -2.0, 0.3).bar("region=north", 0.5).build();
        BufferedImage img = chart.render();
        Path png = dir.resolve("bars.png");
        chart.write(png);
        keep(chart.render(), "bars.png");
        assertTrue(Files.size(png) > 1000);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(img.getWidth(), back.getWidth());
        // Axis is symmetric (−2..2), so zero is near the middle of the plot area; find it from the bars.
        int mid = findZeroColumn(img);
        int[] first = colourCounts(img, 0, img.getHeight(), mid);
        assertTrue(first[1] > 100, "red pixels right of zero");
        assertTrue(first[2] > 100, "blue pixels left of zero");
        assertEquals(0, first[0], "no red left of zero");
        assertEquals(0, first[3], "no blue right of zero");
    }

    /** The x where red pixels start (positive bars begin at zero). */
    private static int findZeroColumn(BufferedImage img) {
        int min = Integer.MAX_VALUE;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (reddish(img.getRGB(x, y))) {
                    min = Math.min(min, x);
                }
            }
        }
        return min;
    }

    @Test
    void moreBarsMakeATallerChartAndEmptyChartsAreRejected() {
        int h1 = BarChart.builder("t").bar("a", 1).build().render().getHeight();
        int h3 = BarChart.builder("t").bar("a", 1).bar("b", 2).bar("c", 3).build().render().getHeight();
        assertTrue(h3 > h1);
        assertThrows(IllegalArgumentException.class, () -> BarChart.builder("t").build());
        assertEquals(List.of("c", "b", "a"), BarChart.builder("t").bar("a", 1).bar("b", -2).bar("c", 3)
                .sortByMagnitude().build().bars().stream().map(BarChart.Bar::label).toList());
    }

    @Test
    void increasingSeriesRisesFromLeftToRight() throws Exception {
        double[] xs = {0, 1, 2, 3, 4, 5};
        double[] ys = {0, 1, 2, 3, 4, 5};
        double[][] ice = new double[40][];
        for (int i = 0; i < ice.length; i++) {
            ice[i] = new double[xs.length];
            for (int k = 0; k < xs.length; k++) {
                ice[i][k] = xs[k] + (i - 20) * 0.05;
            }
        }
        LineChart chart = LineChart.builder("PDP").xLabel("x").yLabel("f")
                .lines("ICE", xs, ice).series("PDP", xs, ys, new java.awt.Color(0xD5, 0x5E, 0x00)).build();
        BufferedImage img = chart.render();
        chart.write(dir.resolve("line.png"));
        keep(img, "line.png");
        // Orange pixels of the PDP: their mean y in the left third is lower on screen (larger y) than in the right third.
        double leftY = 0;
        int leftN = 0;
        double rightY = 0;
        int rightN = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int gg = (rgb >> 8) & 255;
                int b = rgb & 255;
                if (r > 190 && gg > 70 && gg < 120 && b < 40) {
                    if (x < img.getWidth() / 3) {
                        leftY += y;
                        leftN++;
                    } else if (x > img.getWidth() / 2 && x < img.getWidth() * 2 / 3) {
                        rightY += y;
                        rightN++;
                    }
                }
            }
        }
        assertTrue(leftN > 10 && rightN > 10, "PDP line drawn: " + leftN + ", " + rightN);
        assertTrue(leftY / leftN > rightY / rightN, "line rises");
    }

    @Test
    void categoricalAxisAndValidation() {
        BufferedImage img = LineChart.builder("by region").xCategories(List.of("east", "north", "south"))
                .series("PDP", new double[] {0, 1, 2}, new double[] {1, 3, 2}).build().render();
        assertTrue(img.getWidth() >= 300);
        assertThrows(IllegalArgumentException.class,
                () -> LineChart.builder("x").series("a", new double[] {0, 1}, new double[] {1}).build());
        assertThrows(IllegalArgumentException.class, () -> LineChart.builder("x").build());
    }

    /** Keeps a copy under target/charts for looking at (the build directory, not the sources). */
    private static void keep(BufferedImage img, String name) throws java.io.IOException {
        Path d = Path.of("target", "charts");
        Files.createDirectories(d);
        ImageIO.write(img, "png", d.resolve(name).toFile());
    }

    @Test
    void niceTicks() {
        Axis a = Axis.covering(-0.37, 1.92, 5);
        assertEquals(List.of(-0.5, 0.0, 0.5, 1.0, 1.5, 2.0), a.ticks());
    }
}
