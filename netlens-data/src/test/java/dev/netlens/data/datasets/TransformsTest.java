package dev.netlens.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformsTest {
    private static final SplittableRandom UNUSED = new SplittableRandom(0);

    /** A one-channel image whose value at (y, x) is 1 + 10·y + x (never 0, so padding is visible). */
    static FloatImage ramp(int h, int w) {
        float[] d = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = 1 + 10 * y + x;
            }
        }
        return FloatImage.of(d, 1, h, w);
    }

    @Test
    void bilinearUpscaleOfTwoByTwoMatchesHandComputation() {
        // align_corners=False: source coordinates -0.25→0 (clamped), 0.25, 0.75, 1.25→1 (clamped)
        // so each axis weights the second pixel by 0, 0.25, 0.75, 1
        FloatImage in = FloatImage.of(new float[] {0, 1, 2, 3}, 1, 2, 2);
        FloatImage out = Transforms.resize(4, 4).apply(in, UNUSED);
        float[] w = {0f, 0.25f, 0.75f, 1f};
        float[] expected = new float[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                expected[y * 4 + x] = w[x] + 2 * w[y];
            }
        }
        assertArrayEquals(expected, out.data(), 1e-6f);
        assertEquals(1.25f, out.get(0, 1, 2), 1e-6f);
    }

    /** Bilinear interpolation written out point by point, independent of the implementation. */
    static float naiveBilinear(FloatImage img, int c, int outH, int outW, int oy, int ox) {
        double sy = Math.min(Math.max((oy + 0.5) * img.height() / outH - 0.5, 0), img.height() - 1);
        double sx = Math.min(Math.max((ox + 0.5) * img.width() / outW - 0.5, 0), img.width() - 1);
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        int y1 = Math.min(y0 + 1, img.height() - 1);
        int x1 = Math.min(x0 + 1, img.width() - 1);
        double dy = sy - y0;
        double dx = sx - x0;
        return (float) ((1 - dy) * ((1 - dx) * img.get(c, y0, x0) + dx * img.get(c, y0, x1))
                + dy * ((1 - dx) * img.get(c, y1, x0) + dx * img.get(c, y1, x1)));
    }

    @Test
    void bilinearResizeMatchesNaiveComputation() {
        SplittableRandom r = new SplittableRandom(3);
        float[] d = new float[2 * 5 * 7];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        FloatImage img = FloatImage.of(d, 2, 5, 7);
        for (int[] size : new int[][] {{3, 4}, {9, 11}, {5, 3}, {1, 1}, {10, 7}}) {
            FloatImage out = Transforms.resize(size[0], size[1]).apply(img, UNUSED);
            assertArrayEquals(new int[] {2, size[0], size[1]}, out.shape());
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < size[0]; y++) {
                    for (int x = 0; x < size[1]; x++) {
                        assertEquals(naiveBilinear(img, c, size[0], size[1], y, x), out.get(c, y, x), 1e-5f,
                                "size " + size[0] + "x" + size[1] + " at " + c + "," + y + "," + x);
                    }
                }
            }
        }
        assertSame(img, Transforms.resize(5, 7).apply(img, UNUSED), "same size is a no-op");
    }

    @Test
    void resizeShortSideKeepsAspectRatio() {
        Transform t = Transforms.resizeShortSide(2);
        assertArrayEquals(new int[] {1, 2, 5}, t.apply(ramp(4, 10), UNUSED).shape());
        assertArrayEquals(new int[] {1, 5, 2}, t.apply(ramp(10, 4), UNUSED).shape());
        assertArrayEquals(new int[] {1, 2, 2}, t.outputShape(new int[] {1, 3, 3}));
        assertArrayEquals(new int[] {3, Transform.VARIES, Transform.VARIES},
                t.outputShape(new int[] {3, Transform.VARIES, Transform.VARIES}));
    }

    @Test
    void centreCropTakesTheMiddle() {
        FloatImage out = Transforms.centreCrop(2, 2).apply(ramp(4, 5), UNUSED);
        // rows (4-2)/2 = 1, columns floor((5-2)/2) = 1
        assertArrayEquals(new float[] {12, 13, 22, 23}, out.data());
        // larger than the image: zero-padded around
        FloatImage padded = Transforms.centreCrop(3, 3).apply(FloatImage.of(new float[] {5}, 1, 1, 1), UNUSED);
        assertArrayEquals(new float[] {0, 0, 0, 0, 5, 0, 0, 0, 0}, padded.data());
    }

    @Test
    void randomCropIsAWindowOfTheZeroPaddedImage() {
        FloatImage img = ramp(4, 4);
        int pad = 2;
        Transform crop = Transforms.randomCrop(4, 4, pad);
        Set<Integer> tops = new HashSet<>();
        Set<Integer> lefts = new HashSet<>();
        for (int seed = 0; seed < 400; seed++) {
            // the crop draws top then left, each uniform in [0, 4 + 2·2 − 4] = [0, 4]
            SplittableRandom twin = new SplittableRandom(seed);
            int top = twin.nextInt(5);
            int left = twin.nextInt(5);
            tops.add(top);
            lefts.add(left);
            FloatImage out = crop.apply(img, new SplittableRandom(seed));
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int sy = top + y - pad;
                    int sx = left + x - pad;
                    float expected = sy >= 0 && sy < 4 && sx >= 0 && sx < 4 ? img.get(0, sy, sx) : 0f;
                    assertEquals(expected, out.get(0, y, x), "seed " + seed + " at " + y + "," + x);
                }
            }
        }
        assertEquals(Set.of(0, 1, 2, 3, 4), tops, "every offset of the padded image is reachable");
        assertEquals(Set.of(0, 1, 2, 3, 4), lefts);
    }

    @Test
    void randomCropExtremesShowThePadding() {
        // offset 0 in the padded image: top-left 2x2 of the output is padding
        FloatImage img = ramp(3, 3);
        FloatImage corner = null;
        for (int seed = 0; corner == null; seed++) {
            SplittableRandom twin = new SplittableRandom(seed);
            if (twin.nextInt(5) == 0 && twin.nextInt(5) == 0) {
                corner = Transforms.randomCrop(3, 3, 2).apply(img, new SplittableRandom(seed));
            }
        }
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1}, corner.data());
        assertThrows(IllegalArgumentException.class,
                () -> Transforms.randomCrop(8, 8, 1).apply(ramp(4, 4), new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Transforms.randomCrop(8, 8, 1).outputShape(new int[] {1, 4, 4}));
    }

    @Test
    void horizontalFlipMirrorsEveryRowOfEveryChannel() {
        FloatImage img = FloatImage.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
        FloatImage flipped = Transforms.randomHorizontalFlip(1.0).apply(img, new SplittableRandom(1));
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, flipped.data());
        assertSame(img, Transforms.randomHorizontalFlip(0.0).apply(img, new SplittableRandom(1)));
        int flips = 0;
        for (int seed = 0; seed < 2000; seed++) {
            SplittableRandom twin = new SplittableRandom(seed);
            boolean expectFlip = twin.nextDouble() < 0.5;
            FloatImage out = Transforms.randomHorizontalFlip().apply(img, new SplittableRandom(seed));
            assertEquals(expectFlip, out.data()[0] == 3f);
            flips += expectFlip ? 1 : 0;
        }
        assertTrue(flips > 900 && flips < 1100, "p = 0.5, got " + flips + " of 2000");
    }

    @Test
    void normalizeIsPerChannel() {
        FloatImage img = FloatImage.of(new float[] {1, 3, 2, 6}, 2, 1, 2);
        FloatImage out = Transforms.normalize(new float[] {1, 2}, new float[] {2, 4}).apply(img, UNUSED);
        assertArrayEquals(new float[] {0, 1, 0, 1}, out.data());
        FloatImage broadcast = Transforms.normalize(new float[] {1}, new float[] {2}).apply(img, UNUSED);
        assertArrayEquals(new float[] {0, 1, 0.5f, 2.5f}, broadcast.data());
        assertArrayEquals(new float[] {1, 3, 2, 6}, img.data(), "the input is left untouched");
        Transform three = Transforms.normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> three.apply(img, UNUSED)).getMessage()
                .contains("2 channels"));
        assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(new float[] {0}, new float[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> Transforms.normalize(new float[] {0, 1}, new float[] {1}));
    }

    @Test
    void chainsApplyInOrderAndDescribeThemselves() {
        Transform chain = Transforms.compose(Transforms.resize(8, 8),
                Transforms.compose(Transforms.randomCrop(6, 6, 1), Transforms.randomHorizontalFlip()),
                Transforms.normalize(new float[] {0.5f}, new float[] {0.25f}));
        assertEquals("Compose[Resize(8x8, bilinear), RandomCrop(6x6, padding=1), RandomHorizontalFlip(p=0.5),"
                + " Normalize(mean=[0.5], std=[0.25])]", chain.toString());
        assertArrayEquals(new int[] {1, 6, 6}, chain.outputShape(new int[] {1, 28, 28}));
        FloatImage img = ramp(5, 5);
        FloatImage a = chain.apply(img, new SplittableRandom(9));
        FloatImage b = chain.apply(img, new SplittableRandom(9));
        assertArrayEquals(a.data(), b.data(), "same random state, same result");
        // the chain equals the steps applied one after the other on one stream
        SplittableRandom r = new SplittableRandom(9);
        FloatImage manual = img;
        for (Transform t : List.of(Transforms.resize(8, 8), Transforms.randomCrop(6, 6, 1),
                Transforms.randomHorizontalFlip(), Transforms.normalize(new float[] {0.5f}, new float[] {0.25f}))) {
            manual = t.apply(manual, r);
        }
        assertArrayEquals(manual.data(), a.data());
        assertEquals("Identity", Transforms.identity().toString());
        assertSame(img, Transforms.identity().apply(img, UNUSED));
        assertEquals("Compose[Resize(4x4, bilinear), CentreCrop(3x3)]",
                Transforms.resize(4, 4).andThen(Transforms.centreCrop(3, 3)).toString());
    }

    @Test
    void factoriesValidateArguments() {
        assertThrows(IllegalArgumentException.class, () -> Transforms.resize(0, 4));
        assertThrows(IllegalArgumentException.class, () -> Transforms.resizeShortSide(-1));
        assertThrows(IllegalArgumentException.class, () -> Transforms.centreCrop(2, 0));
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomCrop(2, 2, -1));
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomHorizontalFlip(1.5));
    }
}
