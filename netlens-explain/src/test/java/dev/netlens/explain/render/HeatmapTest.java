package dev.netlens.explain.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapTest {
    @TempDir
    Path dir;

    private static BufferedImage image(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        float[] v = new float[101];
        for (int i = 0; i <= 100; i++) {
            v[i] = 100 - i; // 0..100 in reverse order
        }
        assertEquals(99.0, Heatmap.percentile(v, 99), 1e-9);
        assertEquals(50.0, Heatmap.percentile(v, 50), 1e-9);
        assertEquals(0.0, Heatmap.percentile(v, 0), 1e-9);
        // numpy.percentile([1, 2, 3, 4], 99) = 3.97
        assertEquals(3.97, Heatmap.percentile(new float[] {4, 1, 3, 2}, 99), 1e-6);
        assertEquals(2.5, Heatmap.percentile(new float[] {Float.NaN, 1, 4, Float.NaN}, 50), 1e-9);
    }

    @Test
    void clippingAtThe99thPercentileOfAbsoluteValues() {
        // 1..100 plus one huge outlier: the outlier is clipped, the rest spans the colormap.
        float[] d = new float[101];
        for (int i = 0; i < 100; i++) {
            d[i] = i + 1;
        }
        d[100] = 1e6f;
        Heatmap.Scaled s = Heatmap.scale(Tensor.of(d, 1, 101), Heatmap.Options.defaults());
        assertFalse(s.signed(), "non-negative data → sequential");
        assertEquals(0, s.low());
        assertEquals(100.0, s.high(), 1e-6, "99th percentile of 1..100, 1e6 (numpy: 100.0)");
        assertEquals(1f, s.t()[100], "outlier clipped to the top colour");
        assertEquals(0.5f, s.t()[49], 1e-6);

        Heatmap.Scaled all = Heatmap.scale(Tensor.of(d, 1, 101), Heatmap.Options.defaults().withClipPercentile(100));
        assertEquals(1e6, all.high(), 1, "clip 100 = the maximum");

        float[] signed = {-4, -2, 1, 2, 4, 1000, -3, 3, 0.5f, -1};
        Heatmap.Scaled ss = Heatmap.scale(Tensor.of(signed, 2, 5), Heatmap.Options.defaults().withClipPercentile(80));
        assertTrue(ss.signed(), "negative values → diverging");
        // numpy.percentile([4, 2, 1, 2, 4, 1000, 3, 3, 0.5, 1], 80) = 4.0
        assertEquals(4.0, ss.high(), 1e-9);
        assertEquals(-4.0, ss.low(), 1e-9);
        assertEquals(0.75f, ss.t()[3], 1e-7, "2 of ±4");
        assertEquals(1f - ss.t()[3], ss.t()[1], 1e-6, "symmetric about 0");
        assertEquals(1f, ss.t()[5], "outlier clipped");
        assertEquals(0.5f, Heatmap.scale(Tensor.of(new float[] {-1, 0, 1}, 1, 3), Heatmap.Options.defaults()).t()[1],
                "0 at the centre");
    }

    @Test
    void sparseMapsTakeThePercentileOverTheirNonZeroValues() {
        // 0.55 % non-zero: the 99th percentile over all values would be 0.
        float[] d = new float[2000];
        for (int i = 0; i < 10; i++) {
            d[i * 200] = i + 1; // 1..10
        }
        d[1] = 1e-12f; // numerical dust
        Heatmap.Scaled s = Heatmap.scale(Tensor.of(d, 20, 100), Heatmap.Options.defaults());
        assertEquals(Heatmap.percentile(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1e-12f}, 99), s.high(), 1e-9);
        assertTrue(s.high() > 9, "clip near the top of the non-zero values: " + s.high());
    }

    @Test
    void signModes() {
        Tensor m = Tensor.of(new float[] {-3, 1, 2, -1}, 2, 2);
        Heatmap.Scaled abs = Heatmap.scale(Heatmap.applySign(m, Heatmap.Sign.ABSOLUTE),
                Heatmap.Options.defaults().withSign(Heatmap.Sign.ABSOLUTE).withClipPercentile(100));
        assertFalse(abs.signed());
        assertEquals(1f, abs.t()[0], 1e-6);
        Heatmap.Scaled pos = Heatmap.scale(m, Heatmap.Options.defaults().withSign(Heatmap.Sign.POSITIVE)
                .withClipPercentile(100));
        assertEquals(0f, pos.t()[0]);
        assertEquals(1f, pos.t()[2], 1e-6);
        Heatmap.Scaled signed = Heatmap.scale(Tensor.of(new float[] {0, 1, 2, 3}, 2, 2),
                Heatmap.Options.defaults().withSign(Heatmap.Sign.SIGNED).withClipPercentile(100));
        assertTrue(signed.signed(), "forced signed");
        assertEquals(0.5f, signed.t()[0]);
        Heatmap.Scaled zero = Heatmap.scale(Tensor.zeros(3, 3), Heatmap.Options.defaults());
        assertEquals(0f, zero.t()[4], "an all-zero map is all low colour, no NaN");
    }

    @Test
    void channelsAreSummed() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40, -1, -1, -1, -1}, 1, 3, 2, 2);
        assertArrayEquals(new float[] {10, 21, 32, 43}, Heatmap.reduce(m, 0).data());
        Tensor batch = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, 2, 2);
        assertArrayEquals(new float[] {5, 6, 7, 8}, Heatmap.reduce(batch, 1).data());
    }

    @Test
    void bilinearUpsamplingMatchesPyTorchHalfPixelCentres() {
        Tensor m = Tensor.of(new float[] {0, 1, 2, 3}, 2, 2);
        Tensor up = Heatmap.resize(m, 4, 4);
        // torch.nn.functional.interpolate(t, size=4, mode="bilinear", align_corners=False)
        float[] expected = {
            0.00f, 0.25f, 0.75f, 1.00f,
            0.50f, 0.75f, 1.25f, 1.50f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.00f, 2.25f, 2.75f, 3.00f};
        assertArrayEquals(expected, up.data(), 1e-6f);
    }

    @Test
    void overlayHasTheImageSizeAndAColourBarBeside() {
        BufferedImage base = image(224, 160, 0x808080);
        Tensor map = Tensor.randomNormal(new java.util.SplittableRandom(1), 1f, 1, 3, 160, 224);
        BufferedImage plain = Heatmap.overlay(base, map, Heatmap.Options.defaults().withColorBar(false));
        assertEquals(224, plain.getWidth());
        assertEquals(160, plain.getHeight());
        BufferedImage withBar = Heatmap.overlay(base, map, Heatmap.Options.defaults());
        assertTrue(withBar.getWidth() > 224 + 15, "colour bar to the right: " + withBar.getWidth());
        assertEquals(160, withBar.getHeight());
        // The bar's top is the diverging map's red end, its bottom the blue end.
        int barX = findBarColumn(withBar, 224);
        int top = withBar.getRGB(barX, 20) & 0xffffff;
        int bottom = withBar.getRGB(barX, 140) & 0xffffff;
        assertTrue(((top >> 16) & 0xff) > (top & 0xff) + 60, "red at the top: " + Integer.toHexString(top));
        assertTrue((bottom & 0xff) > ((bottom >> 16) & 0xff) + 60, "blue at the bottom: " + Integer.toHexString(bottom));
    }

    /** The first column right of the image with a saturated pixel half-way down. */
    private static int findBarColumn(BufferedImage img, int from) {
        for (int x = from; x < img.getWidth(); x++) {
            int rgb = img.getRGB(x, 20) & 0xffffff;
            int r = (rgb >> 16) & 0xff;
            int b = rgb & 0xff;
            if (Math.abs(r - b) > 60) {
                return x + 2;
            }
        }
        throw new AssertionError("no colour bar found");
    }

    @Test
    void camSizedMapsAreUpsampledToTheImage() {
        BufferedImage base = image(224, 224, 0x000000);
        float[] cam = new float[7 * 7];
        cam[0] = 1; // top-left cell hot, the rest 0
        Heatmap.Options o = Heatmap.Options.defaults().withColorBar(false).withAlpha(1);
        BufferedImage img = Heatmap.overlay(base, Tensor.of(cam, 1, 1, 7, 7), o);
        assertEquals(224, img.getWidth());
        assertEquals(224, img.getHeight());
        int topLeft = img.getRGB(2, 2) & 0xffffff;
        int far = img.getRGB(200, 200) & 0xffffff;
        assertEquals(Colormap.VIRIDIS.rgb(1), topLeft, "hot corner");
        assertEquals(Colormap.VIRIDIS.rgb(0), far, "cold elsewhere");
        // Bilinear, not blocky: colours change gradually across the first cell's edge (32 px).
        int mid = img.getRGB(32, 2) & 0xffffff;
        assertTrue(mid != topLeft && mid != far, "interpolated at the cell edge: " + Integer.toHexString(mid));
        // Orientation: the hot cell stays top-left (row 0 is the top of the picture).
        assertEquals(far, img.getRGB(200, 2) & 0xffffff);
        assertEquals(far, img.getRGB(2, 200) & 0xffffff);
    }

    @Test
    void smallImagesAreEnlargedForLegibility() {
        BufferedImage base = image(32, 32, 0x336699);
        BufferedImage img = Heatmap.overlay(base, Tensor.ones(1, 3, 32, 32),
                Heatmap.Options.defaults().withColorBar(false));
        assertEquals(224, img.getWidth(), "7× of 32");
        BufferedImage raw = Heatmap.overlay(base, Tensor.ones(1, 3, 32, 32),
                Heatmap.Options.defaults().withColorBar(false).withMinSize(0));
        assertEquals(32, raw.getWidth());
    }

    @Test
    void grayscaleRenderingOfATensorIsMinMaxScaled() {
        Tensor x = Tensor.of(new float[] {-2, 0, 2, 6}, 1, 1, 2, 2);
        BufferedImage g = Heatmap.grayscale(x, 0);
        assertEquals(0x000000, g.getRGB(0, 0) & 0xffffff);
        assertEquals(0xffffff, g.getRGB(1, 1) & 0xffffff);
        assertEquals(0x404040, g.getRGB(1, 0) & 0xffffff);
        assertEquals(0x808080, Heatmap.grayscale(Tensor.ones(1, 3, 2, 2), 0).getRGB(0, 0) & 0xffffff);
    }

    @Test
    void writesPngAndGrid() throws Exception {
        BufferedImage base = image(64, 48, 0x806040);
        Path png = dir.resolve("sub/heat.png");
        Heatmap.write(png, base, Tensor.randomNormal(new java.util.SplittableRandom(2), 1f, 48, 64),
                Heatmap.Options.defaults().withCaption("gradient · class 3"));
        BufferedImage read = ImageIO.read(png.toFile());
        assertTrue(read.getWidth() > 64 * 4, "enlarged to 224 high and a bar: " + read.getWidth());

        Path grid = dir.resolve("grid.png");
        Tensor signed = Tensor.randomNormal(new java.util.SplittableRandom(3), 1f, 3, 48, 64);
        Tensor cam = Tensor.randomUniform(new java.util.SplittableRandom(4), 0f, 1f, 1, 1, 6, 8);
        GridRenderer.write(grid, List.of("gradient", "grad-cam"), List.of(
                new GridRenderer.Row(base, "class 3", List.of(signed, cam)),
                new GridRenderer.Row(base, "class 1", List.of(signed, cam))), Heatmap.Options.defaults());
        BufferedImage g = ImageIO.read(grid.toFile());
        int cellW = 64 * 5; // 48 → 240 (factor round(224 / 48) = 5)
        assertTrue(g.getWidth() >= 3 * cellW && g.getWidth() < 3 * cellW + 200, "three columns: " + g.getWidth());
        assertTrue(g.getHeight() >= 2 * 240, "two rows: " + g.getHeight());
        assertTrue(Files.size(grid) > 1000);
    }
}
