package dev.netlens.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BilinearUpsamplerTest {

    @Test
    void thresholdingInOnePassEqualsThresholdingTheUpsampledMap() {
        SplittableRandom r = new SplittableRandom(4);
        int[][] sizes = {{7, 7, 112, 112}, {14, 14, 224, 224}, {3, 5, 17, 29}, {1, 1, 8, 8}, {12, 12, 112, 112}, {6, 9, 6, 9}};
        for (int[] s : sizes) {
            BilinearUpsampler up = new BilinearUpsampler(s[0], s[1], s[2], s[3]);
            float[] src = new float[3 + s[0] * s[1]];
            for (int i = 0; i < src.length; i++) {
                src[i] = (float) r.nextGaussian();
            }
            float[] dst = new float[s[2] * s[3]];
            up.apply(src, 3, dst);
            boolean[] mask = new boolean[dst.length];
            double[] rows = new double[up.rowScratch()];
            for (float t : new float[] {-0.5f, 0f, 0.7f, dst[dst.length / 2]}) {
                int count = up.threshold(src, 3, t, mask, rows);
                int expected = 0;
                for (int p = 0; p < dst.length; p++) {
                    assertEquals(dst[p] > t, mask[p], "pixel " + p + " of " + s[2] + "x" + s[3]);
                    expected += dst[p] > t ? 1 : 0;
                }
                assertEquals(expected, count);
            }
        }
    }
}
