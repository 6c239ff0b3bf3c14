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

    /**
     * The image-by-image passes over a channel range give, for each channel of the range, the bits
     * of the per-channel loops, and leave the other channels alone.
     */
    @Test
    void imageByImagePassesGiveThePerChannelBits() {
        SplittableRandom r = new SplittableRandom(23);
        for (int[] geo : GEOMETRIES) {
            int n = geo[0];
            int channels = geo[1];
            int area = geo[2];
            int stride = channels * area;
            float[] x = new float[n * stride];
            float[] g = new float[x.length];
            float[] res = new float[x.length];
            float[] reluOut = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (3 + 2 * r.nextGaussian());
                g[i] = (float) r.nextGaussian();
                res[i] = (float) r.nextGaussian();
                reluOut[i] = r.nextInt(7) == 0 ? (r.nextBoolean() ? -0f : Float.NaN) : (float) r.nextGaussian();
            }
            double[] mean = new double[channels];
            float[] meanF = new float[channels];
            float[] a = new float[channels];
            float[] b = new float[channels];
            float[] k0 = new float[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = 3 + 0.1 * c;
                meanF[c] = (float) mean[c];
                a[c] = 0.5f + c;
                b[c] = -0.25f * c;
                k0[c] = 0.125f * c;
            }
            for (int[] range : new int[][] {{0, channels}, {channels / 2, channels}, {Math.min(1, channels - 1),
                Math.max(1, channels - 1)}}) {
                int from = range[0];
                int to = range[1];
                String at = "n " + n + ", " + channels + " channels, area " + area + ", range " + from + ".." + to;
                double[] sums = new double[channels];
                double[] squares = new double[channels];
                double[] sumG = new double[channels];
                double[] sumGC = new double[channels];
                double[] sumM = new double[channels];
                double[] sumMC = new double[channels];
                BatchNormKernels.sumsByImage(x, n, channels, area, from, to, sums);
                BatchNormKernels.squaredDeviationsByImage(x, n, channels, area, from, to, mean, squares);
                BatchNormKernels.gradientSumsByImage(g, null, x, n, channels, area, from, to, mean, sumG, sumGC);
                BatchNormKernels.gradientSumsByImage(g, reluOut, x, n, channels, area, from, to, mean, sumM, sumMC);
                float[][] y = new float[3][x.length];
                BatchNormKernels.normalizeByImage(x, null, y[0], n, channels, area, from, to, meanF, a, b, false);
                BatchNormKernels.normalizeByImage(x, null, y[1], n, channels, area, from, to, meanF, a, b, true);
                BatchNormKernels.normalizeByImage(x, res, y[2], n, channels, area, from, to, meanF, a, b, false);
                float[][] dx = new float[2][x.length];
                BatchNormKernels.inputGradientByImage(g, null, x, dx[0], n, channels, area, from, to, meanF, a, b, k0);
                BatchNormKernels.inputGradientByImage(g, reluOut, x, dx[1], n, channels, area, from, to, meanF, a, b,
                        k0);
                float[][] expectedY = new float[3][x.length];
                float[][] expectedDx = new float[2][x.length];
                double[] s2 = new double[2];
                float[] masked = new float[n * area];
                for (int c = from; c < to; c++) {
                    int off = c * area;
                    assertEquals(BatchNormKernels.sum(x, off, stride, n, area), sums[c], "sum, " + at);
                    assertEquals(BatchNormKernels.squaredDeviations(x, off, stride, n, area, mean[c]), squares[c],
                            "squared deviations, " + at);
                    BatchNormKernels.gradientSums(g, null, x, off, stride, n, area, mean[c], null, s2);
                    assertArrayEquals(s2, new double[] {sumG[c], sumGC[c]}, "gradient sums, " + at);
                    BatchNormKernels.gradientSums(g, reluOut, x, off, stride, n, area, mean[c], masked, s2);
                    assertArrayEquals(s2, new double[] {sumM[c], sumMC[c]}, "masked gradient sums, " + at);
                    BatchNormKernels.normalize(x, expectedY[0], off, stride, n, area, meanF[c], a[c], b[c], false);
                    BatchNormKernels.normalize(x, expectedY[1], off, stride, n, area, meanF[c], a[c], b[c], true);
                    BatchNormKernels.normalizeAddRelu(x, res, expectedY[2], off, stride, n, area, meanF[c], a[c], b[c]);
                    BatchNormKernels.inputGradient(g, off, stride, x, expectedDx[0], off, stride, n, area, meanF[c], a[c],
                            b[c], k0[c]);
                    BatchNormKernels.inputGradient(masked, 0, area, x, expectedDx[1], off, stride, n, area, meanF[c],
                            a[c], b[c], k0[c]);
                }
                for (int c = 0; c < channels; c++) {
                    if (c < from || c >= to) {
                        assertEquals(0, sums[c] + squares[c] + sumG[c] + sumGC[c] + sumM[c] + sumMC[c], "outside, " + at);
                    }
                }
                for (int v = 0; v < 3; v++) {
                    assertArrayEquals(expectedY[v], y[v], "normalize variant " + v + ", " + at);
                }
                assertArrayEquals(expectedDx[0], dx[0], "input gradient, " + at);
                assertArrayEquals(expectedDx[1], dx[1], "masked input gradient, " + at);
            }
            if (Simd.ENABLED) {
                float[] scalar = new float[x.length];
                float[] vector = new float[x.length];
                BatchNormKernels.scalarMaskedInputGradient(g, reluOut, x, scalar, 0, x.length, 2.9f, 1.5f, -0.25f, 0.125f);
                BatchNormSimd.maskedInputGradient(g, reluOut, x, vector, 0, x.length, 2.9f, 1.5f, -0.25f, 0.125f);
                assertArrayEquals(scalar, vector, "masked input gradient, scalar and vector, area " + area);
            }
        }
    }
}
