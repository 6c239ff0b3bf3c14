package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlens.core.tensor.FloatMasks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchNormKernels}: the scalar loops and the Vector API loops against double-precision
 * definitions on channels of [N, C, area] tensors (areas below, at and above a vector's width, with
 * remainders), element-wise loops bit-identical between the two, and the fused ReLU mask giving
 * the same bits as masking first.
 */
class BatchNormKernelsTest {
    private static final int[][] GEOMETRIES = {{1, 3, 1}, {5, 2, 7}, {3, 4, 16}, {7, 3, 17}, {2, 5, 49}, {4, 2, 196},
        {3, 2, 33}, {2, 3, 784}};

    private interface Check {
        void run(int n, int channels, int area, int c, float[] x, float[] g, float[] reluOut);
    }

    private static void forAllChannels(Check check) {
        SplittableRandom r = new SplittableRandom(17);
        for (int[] geo : GEOMETRIES) {
            int n = geo[0];
            int channels = geo[1];
            int area = geo[2];
            float[] x = new float[n * channels * area];
            float[] g = new float[x.length];
            float[] reluOut = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                // an offset mean, so that centring matters
                x[i] = (float) (3 + 2 * r.nextGaussian());
                g[i] = (float) r.nextGaussian();
                reluOut[i] = r.nextInt(7) == 0 ? (r.nextBoolean() ? -0f : Float.NaN) : (float) r.nextGaussian();
            }
            for (int c = 0; c < channels; c++) {
                check.run(n, channels, area, c, x, g, reluOut);
            }
        }
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void sumsAgreeWithDoubleDefinitionsInBothImplementations() {
        forAllChannels((n, channels, area, c, x, g, reluOut) -> {
            int off = c * area;
            int stride = channels * area;
            double sum = 0;
            double sumG = 0;
            double sumGMasked = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < area; p++) {
                    sum += x[off + i * stride + p];
                }
            }
            double mean = sum / (n * area);
            double sq = 0;
            double dot = 0;
            double dotMasked = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < area; p++) {
                    int k = off + i * stride + p;
                    double d = x[k] - mean;
                    sq += d * d;
                    sumG += g[k];
                    dot += g[k] * d;
                    double gm = reluOut[k] > 0 ? g[k] : 0;
                    sumGMasked += gm;
                    dotMasked += gm * d;
                }
            }
            String at = "n " + n + ", area " + area + ", channel " + c;
            assertRelative(sum, BatchNormKernels.scalarSum(x, off, stride, n, area), "scalar sum, " + at);
            assertRelative(sq, BatchNormKernels.scalarSquaredDeviations(x, off, stride, n, area, mean), "scalar sq, " + at);
            double[] sums = new double[2];
            float[] masked = new float[n * area];
            BatchNormKernels.scalarGradientSums(g, null, x, off, stride, n, area, mean, masked, sums);
            assertRelative(sumG, sums[0], "scalar Σg, " + at);
            assertRelative(dot, sums[1], "scalar Σg(x − mean), " + at);
            BatchNormKernels.scalarGradientSums(g, reluOut, x, off, stride, n, area, mean, masked, sums);
            assertRelative(sumGMasked, sums[0], "scalar masked Σg, " + at);
            assertRelative(dotMasked, sums[1], "scalar masked Σg(x − mean), " + at);
            if (Simd.ENABLED) {
                assertRelative(sum, BatchNormSimd.sum(x, off, stride, n, area), "vector sum, " + at);
                assertRelative(sq, BatchNormSimd.squaredDeviations(x, off, stride, n, area, mean), "vector sq, " + at);
                BatchNormSimd.gradientSums(g, null, x, off, stride, n, area, mean, masked, sums);
                assertRelative(sumG, sums[0], "vector Σg, " + at);
                assertRelative(dot, sums[1], "vector Σg(x − mean), " + at);
                BatchNormSimd.gradientSums(g, reluOut, x, off, stride, n, area, mean, masked, sums);
                assertRelative(sumGMasked, sums[0], "vector masked Σg, " + at);
                assertRelative(dotMasked, sums[1], "vector masked Σg(x − mean), " + at);
            }
        });
    }

    @Test
    void theFusedMaskGivesTheBitsOfMaskingFirst() {
        forAllChannels((n, channels, area, c, x, g, reluOut) -> {
            int off = c * area;
            int stride = channels * area;
            float[] maskedFirst = g.clone();
            for (int i = 0; i < g.length; i++) {
                maskedFirst[i] = FloatMasks.ifPositive(reluOut[i], g[i]);
            }
            double[] fused = new double[2];
            double[] unfused = new double[2];
            float[] masked = new float[n * area];
            BatchNormKernels.gradientSums(g, reluOut, x, off, stride, n, area, 0.5, masked, fused);
            BatchNormKernels.gradientSums(maskedFirst, null, x, off, stride, n, area, 0.5, null, unfused);
            assertArrayEquals(unfused, fused, "n " + n + ", area " + area);
            float[] expectedRows = new float[n * area];
            for (int i = 0; i < n; i++) {
                System.arraycopy(maskedFirst, off + i * stride, expectedRows, i * area, area);
            }
            assertArrayEquals(expectedRows, masked, "masked rows, n " + n + ", area " + area);
            float[] dxFused = new float[g.length];
            float[] dxUnfused = new float[g.length];
            BatchNormKernels.inputGradient(masked, 0, area, x, dxFused, off, stride, n, area, 0.5f, 1.5f, -0.25f, 0.125f);
            BatchNormKernels.inputGradient(maskedFirst, off, stride, x, dxUnfused, off, stride, n, area, 0.5f, 1.5f,
                    -0.25f, 0.125f);
            assertArrayEquals(dxUnfused, dxFused);
        });
    }

    @Test
    void elementWiseLoopsAreBitIdenticalBetweenImplementations() {
        assumeTrue(Simd.ENABLED, "needs the Vector API");
        forAllChannels((n, channels, area, c, x, g, reluOut) -> {
            int off = c * area;
            int stride = channels * area;
            for (boolean relu : new boolean[] {false, true}) {
                float[] scalar = new float[x.length];
                float[] vector = new float[x.length];
                BatchNormKernels.scalarNormalize(x, scalar, off, stride, n, area, 2.9f, 0.7f, -0.3f, relu);
                BatchNormSimd.normalize(x, vector, off, stride, n, area, 2.9f, 0.7f, -0.3f, relu);
                assertArrayEquals(scalar, vector, "normalize, relu " + relu + ", area " + area);
                for (int k = off; k < off + area; k++) {
                    float expected = (x[k] - 2.9f) * 0.7f - 0.3f;
                    assertEquals(relu ? Math.max(expected, 0f) : expected, vector[k]);
                }
            }
            float[] scalar = new float[x.length];
            float[] vector = new float[x.length];
            BatchNormKernels.scalarInputGradient(g, off, stride, x, scalar, off, stride, n, area, 2.9f, 1.5f, -0.25f, 0.125f);
            BatchNormSimd.inputGradient(g, off, stride, x, vector, off, stride, n, area, 2.9f, 1.5f, -0.25f, 0.125f);
            assertArrayEquals(scalar, vector, "input gradient, area " + area);
            assertEquals(g[off] * 1.5f + ((x[off] - 2.9f) * -0.25f + 0.125f), vector[off]);
        });
    }
}
