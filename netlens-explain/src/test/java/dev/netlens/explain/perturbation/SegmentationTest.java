package dev.netlens.explain.perturbation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** SLIC superpixels through BoofCV: counts, coverage, and that they follow image edges. */
class SegmentationTest {
    /** A 3-channel 48×48 image: four flat quadrants of different colours (normalised values). */
    static Tensor quadrants() {
        int h = 48;
        int w = 48;
        float[][] colours = {{-1, -1, -1}, {1.5f, 0, -0.5f}, {0, 1.5f, 0.2f}, {0.4f, -0.8f, 1.6f}};
        float[] d = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
                for (int c = 0; c < 3; c++) {
                    d[(c * h + y) * w + x] = colours[q][c];
                }
            }
        }
        return Tensor.of(d, 1, 3, h, w);
    }

    /** A smooth colour ramp: nothing but position separates the pixels. */
    static Tensor ramp(int h, int w) {
        float[] d = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = x / (float) w;
                d[(h + y) * w + x] = y / (float) h;
                d[(2 * h + y) * w + x] = (x + y) / (float) (h + w);
            }
        }
        return Tensor.of(d, 1, 3, h, w);
    }

    @Test
    void slicCoversTheImageWithAboutTheRequestedNumberOfSegments() {
        Segmentation s = Segmentation.slic(ramp(64, 64), 0, 50);
        assertTrue(s.count() >= 25 && s.count() <= 100, "segments: " + s.count());
        int[] sizes = s.sizes();
        int total = 0;
        for (int size : sizes) {
            assertTrue(size > 0, "every label is used");
            total += size;
        }
        assertEquals(64 * 64, total);
    }

    @Test
    void slicSegmentsDoNotCrossStrongEdges() {
        Segmentation s = Segmentation.slic(quadrants(), 0, 16);
        int[][] perQuadrant = new int[s.count()][4];
        for (int p = 0; p < 48 * 48; p++) {
            int y = p / 48;
            int x = p % 48;
            perQuadrant[s.labels()[p]][(y < 24 ? 0 : 2) + (x < 24 ? 0 : 1)]++;
        }
        int outside = 0;
        for (int[] counts : perQuadrant) {
            int max = 0;
            int sum = 0;
            for (int c : counts) {
                max = Math.max(max, c);
                sum += c;
            }
            outside += sum - max;
        }
        assertTrue(s.count() >= 4, "at least one segment per quadrant: " + s.count());
        assertTrue(outside < 48 * 48 / 100, "pixels outside their segment's main quadrant: " + outside);
    }

    @Test
    void masksAreRenumberedInIdOrder() {
        Tensor mask = Tensor.of(new float[] {7, 7, -2, 30}, 1, 1, 2, 2);
        Segmentation s = Segmentation.fromMask(mask, 0, 2, 2);
        assertEquals(3, s.count());
        assertEquals("[1, 1, 0, 2]", java.util.Arrays.toString(s.labels()));
    }
}
