package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Global average pooling (the window is the whole plane) takes its own loops, 8 planes side by
 * side: the same floats as summing each plane in element order and dividing by its area, bit for
 * bit, for plane counts that do and do not fill the groups of 8; the gradient spreads 0 + dy / area.
 */
class GlobalAveragePoolingTest {
    @Test
    void sumsEachPlaneInElementOrder() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] shapes = {{1, 1, 1, 1}, {2, 3, 7, 7}, {3, 7, 5, 10}, {128, 64, 7, 7}, {1, 9, 1, 13}};
        for (int[] s : shapes) {
            int planes = s[0] * s[1];
            int area = s[2] * s[3];
            PoolGeometry g = new PoolGeometry(s[0], s[1], s[2], s[3], s[2], s[3], 1, 1, 1, 1, new int[4], false);
            float[] x = new float[planes * area];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * 3);
            }
            float[] y = new float[planes];
            Kernels.java().avgPoolForward(g, false, x, y);
            float[] dy = new float[planes];
            for (int i = 0; i < planes; i++) {
                dy[i] = i % 5 == 0 ? -0f : (float) r.nextGaussian();
            }
            float[] dx = new float[x.length];
            Kernels.java().avgPoolBackward(g, false, dy, dx);
            for (int p = 0; p < planes; p++) {
                float sum = 0f;
                for (int i = 0; i < area; i++) {
                    sum += x[p * area + i];
                }
                float want = sum / (float) area;
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(y[p]), "plane " + p + " of " + planes);
                float share = 0f + dy[p] / (float) area;
                for (int i = 0; i < area; i++) {
                    assertEquals(Float.floatToRawIntBits(share), Float.floatToRawIntBits(dx[p * area + i]),
                            "gradient of plane " + p + " element " + i);
                }
            }
        }
    }
}
