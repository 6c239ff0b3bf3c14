package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API transform loops against the F(2×2) formulas written out per element, for every
 * row length from 1 to 41 tiles (blocks of one vector of tiles, overlapping last blocks, rows too short for a
 * block): the same floats bit for bit, exactly the tiles they claim, nothing written outside them.
 * The test JVM runs 8-float vectors; {@link SimdWidthTest} runs these checks again with 16.
 */
class WinogradSimdTest {
    @Test
    void theTestJvmRunsTheVectorLoops() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector, so KernelsTest's Winograd
        // cases exercise these loops too.
        assertTrue(Simd.ENABLED);
    }

    @Test
    void inputColumnsMatchTheFormulaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int tw = 1; tw <= 41; tw++) {
            float[] r = random(rnd, 2 * tw + 2);
            int planeStride = 3 * tw + 5;
            int o0 = 7;
            float[] out = new float[o0 + 4 * planeStride];
            Arrays.fill(out, Float.NaN);
            int done = WinogradSimd.inputColumnsF2(r, out, o0, planeStride, tw);
            assertEquals(tw >= WinogradSimd.LANES ? tw : 0, done, "tiles done for tw " + tw);
            for (int k = 0; k < 4; k++) {
                for (int j = 0; j < tw; j++) {
                    float a0 = r[2 * j];
                    float a1 = r[2 * j + 1];
                    float a2 = r[2 * j + 2];
                    float a3 = r[2 * j + 3];
                    float[] want = {a0 - a2, a1 + a2, a2 - a1, a1 - a3};
                    float got = out[o0 + k * planeStride + j];
                    if (j < done) {
                        assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got),
                                "tw " + tw + " plane " + k + " tile " + j);
                    } else {
                        assertTrue(Float.isNaN(got), "tile " + j + " past the blocks was written (tw " + tw + ")");
                    }
                }
            }
        }
    }

    @Test
    void outputRowsMatchTheFormulaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int tw = 1; tw <= 41; tw++) {
            for (int w : new int[] {2 * tw - 1, 2 * tw}) {
                if (w < 1) {
                    continue;
                }
                for (boolean second : new boolean[] {true, false}) {
                    int s1 = tw + 3;
                    int t0 = 2;
                    float[] p = random(rnd, t0 + 16 * s1);
                    float b = (float) rnd.nextGaussian();
                    int row0 = 5;
                    float[] y = new float[row0 + 2 * w + 3];
                    Arrays.fill(y, Float.NaN);
                    int done = WinogradSimd.outputRowF2(p, t0, tw, s1, b, y, row0, second, w);
                    int full = Math.min(tw, w / 2);
                    assertEquals(full >= WinogradSimd.LANES ? full : 0, done, "tiles done for tw " + tw + ", width " + w);
                    for (int x = 0; x < w; x++) {
                        int j = x / 2;
                        for (int row = 0; row < 2; row++) {
                            float got = y[row0 + row * w + x];
                            if (j < done && (row == 0 || second)) {
                                float want = expectedOutput(p, t0 + j, s1, b, row, x % 2);
                                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got),
                                        "tw " + tw + " w " + w + " row " + row + " x " + x);
                            } else {
                                assertTrue(Float.isNaN(got), "y written outside the blocks (tw " + tw + ", x " + x
                                        + ", row " + row + ", second " + second + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    /** (Aᵀ P A)[row][col] + b with P[4i + e] = p[c + (4i + e)·s1], in the scalar loop's order. */
    private static float expectedOutput(float[] p, int c, int s1, float b, int row, int col) {
        float[] top = new float[4];
        float[] bottom = new float[4];
        for (int e = 0; e < 4; e++) {
            float p1 = p[c + (4 + e) * s1];
            float p2 = p[c + (8 + e) * s1];
            top[e] = p[c + e * s1] + p1 + p2;
            bottom[e] = p1 - p2 - p[c + (12 + e) * s1];
        }
        float[] v = row == 0 ? top : bottom;
        return col == 0 ? v[0] + v[1] + v[2] + b : v[1] - v[2] - v[3] + b;
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
