package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link UniformConvolutions}: inside the scope, a forward convolution of input planes that are
 * each constant gives output planes that are exactly constant wherever the whole window lies
 * inside the input
 * (the positions with equal receptive fields), on every path the geometries would otherwise take
 * (Winograd, direct kernels, tiled and plain im2col + GEMM, depthwise); outside it, Winograd
 * does not, which is what the scope is for.
 */
class UniformConvolutionsTest {
    private final Kernels blas = Kernels.openblas();

    private static ConvGeometry conv(int batch, int in, int size, int out, int groups, int k, int stride, int pad) {
        return new ConvGeometry(batch, in, size, size, out, groups, k, k, stride, stride, 1, 1,
                new int[] {pad, pad, pad, pad});
    }

    @Test
    void constantPlanesGiveConstantInteriorsOnEveryPath() {
        ConvGeometry[] geometries = {
            conv(1, 64, 14, 64, 1, 3, 1, 1),        // Winograd, forward and data gradient
            conv(2, 32, 30, 48, 1, 3, 1, 1),        // Winograd, several images
            conv(1, 512, 7, 64, 1, 3, 1, 1),        // Winograd, wide reduction
            conv(32, 16, 12, 16, 1, 3, 1, 1),       // direct kernels (batch >= 32, thin)
            conv(32, 16, 12, 32, 1, 3, 2, 1),       // direct kernels, stride 2
            conv(1, 64, 140, 32, 1, 3, 1, 1),       // tiled im2col + GEMM (column matrix above TILED_ABOVE)
            conv(1, 3, 40, 16, 1, 7, 2, 3),         // a 7×7 stem, im2col + GEMM
            conv(2, 24, 20, 24, 24, 3, 1, 1),       // depthwise
            conv(1, 16, 100, 16, 1, 3, 1, 1),       // in the scope: two bands of output rows
            // No padding: every position is interior, including the last columns of each product,
            // which the vector loops leave to narrower vectors and scalar loops.
            conv(1, 32, 16, 24, 1, 3, 1, 0),        // 14×14 = 12 double vectors + 4
            conv(1, 16, 15, 16, 1, 3, 1, 0),        // 13×13 = 10 double vectors + 8 + 1
            conv(32, 16, 13, 32, 1, 3, 2, 0),       // 6×6 = 2 double vectors + 4, stride 2
        };
        SplittableRandom r = new SplittableRandom(11);
        for (ConvGeometry g : geometries) {
            float[] w = KernelsTest.random(r, g.weightSize());
            ConstantArrays.declare(w);
            float[] bias = KernelsTest.random(r, g.outChannels);
            float[] x = constantPlanes(r, g.batch, g.inChannels, g.inArea());
            float[] y = new float[g.outputSize()];
            UniformConvolutions.call(() -> {
                blas.convForward(g, x, w, bias, y);
                return null;
            });
            assertEquals(0, nonUniformPlanes(g, y), "forward " + describe(g));
        }
    }

    @Test
    void theJavaFallbackIsUniformToo() {
        // JVMs without the Vector API run the Java kernels inside the scope.
        Kernels java = Kernels.java();
        SplittableRandom r = new SplittableRandom(13);
        for (ConvGeometry g : new ConvGeometry[] {conv(32, 16, 12, 32, 1, 3, 2, 1), conv(1, 64, 14, 64, 1, 3, 1, 1)}) {
            float[] w = KernelsTest.random(r, g.weightSize());
            float[] y = new float[g.outputSize()];
            java.convForward(g, constantPlanes(r, g.batch, g.inChannels, g.inArea()), w, null, y);
            assertEquals(0, nonUniformPlanes(g, y), "java forward " + describe(g));
        }
    }

    @Test
    void uniformConvolutionsAgreeWithTheReferenceKernels() {
        Kernels java = Kernels.java();
        SplittableRandom r = new SplittableRandom(14);
        ConvGeometry[] geometries = {
            conv(2, 7, 9, 5, 1, 3, 1, 1),            // rows not a multiple of 4, few columns
            conv(1, 40, 31, 9, 1, 3, 1, 1),          // k = 360 > K_BLOCK, 961 columns > N_BLOCK
            conv(3, 8, 10, 6, 2, 3, 2, 0),           // groups, stride 2, no padding
            conv(2, 12, 7, 20, 1, 1, 1, 0),          // pointwise: no im2col
            new ConvGeometry(1, 6, 11, 13, 10, 1, 3, 2, 1, 2, 2, 1, new int[] {2, 0, 1, 1}), // dilated, asymmetric
            conv(1, 3, 23, 16, 1, 7, 2, 3),          // 7×7 stem
            conv(1, 16, 100, 8, 1, 3, 1, 1),         // two bands of output rows (72 + 28 rows of 144 · 100 floats)
        };
        for (ConvGeometry g : geometries) {
            float[] x = KernelsTest.random(r, g.inputSize());
            float[] w = KernelsTest.random(r, g.weightSize());
            float[] bias = KernelsTest.random(r, g.outChannels);
            float[] expected = new float[g.outputSize()];
            float[] actual = new float[g.outputSize()];
            java.convForward(g, x, w, bias, expected);
            UniformConv.forward(g, x, w, bias, actual);
            KernelsTest.assertAgree(expected, actual, "uniform forward " + describe(g));
        }
    }

    /**
     * Every element of the product is exactly the scalar fma chain over k from zero (the property
     * that makes positions uniform), whatever the shape's tails and blocks; and nothing outside C's
     * rows and columns is written (C has a row stride larger than its width).
     */
    @Test
    void uniformProductIsTheFmaChainOfEveryElement() {
        SplittableRandom r = new SplittableRandom(15);
        int[][] shapes = {{1, 1, 1}, {5, 3, 2}, {9, 37, 300}, {4, 1030, 129}, {13, 17, 0}, {6, 8, 128}, {7, 33, 257}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            int ldc = n + 3;
            float[] a = KernelsTest.random(r, m * k + 3);
            float[] b = KernelsTest.random(r, k * n + 5);
            float[] c = new float[2 + m * ldc];
            Arrays.fill(c, Float.NaN);
            UniformConv.multiply(m, n, k, a, 3, b, 5, c, 2, ldc);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < ldc; j++) {
                    float v = c[2 + i * ldc + j];
                    if (j >= n) {
                        assertTrue(Float.isNaN(v), m + "x" + n + "x" + k + ": wrote outside C at " + i + "," + j);
                        continue;
                    }
                    float e = 0f;
                    for (int q = 0; q < k; q++) {
                        e = Math.fma(a[3 + i * k + q], b[5 + q * n + j], e);
                    }
                    assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(v),
                            m + "x" + n + "x" + k + " at " + i + "," + j + ": " + v + " vs the fma chain " + e);
                }
            }
            assertTrue(Float.isNaN(c[0]) && Float.isNaN(c[1]), "wrote before C");
        }
    }

    @Test
    void winogradOutsideTheScopeBreaksExactTies() {
        ConvGeometry g = conv(1, 64, 14, 64, 1, 3, 1, 1);
        SplittableRandom r = new SplittableRandom(12);
        float[] w = KernelsTest.random(r, g.weightSize());
        ConstantArrays.declare(w);
        float[] x = constantPlanes(r, g.batch, g.inChannels, g.inArea());
        assertTrue(Winograd.applies(g, w), "the geometry must take the Winograd path outside the scope");
        float[] y = new float[g.outputSize()];
        blas.convForward(g, x, w, new float[g.outChannels], y);
        assertTrue(nonUniformPlanes(g, y) > 0, "Winograd kept every tie; this test would not show the scope's effect");
        assertFalse(UniformConvolutions.active());
        UniformConvolutions.call(() -> {
            assertTrue(UniformConvolutions.active());
            return null;
        });
        assertFalse(UniformConvolutions.active());
    }

    @Test
    void theScopeEndsWhenItsBodyThrows() {
        assertThrows(IllegalStateException.class, () -> UniformConvolutions.call(() -> {
            throw new IllegalStateException("boom");
        }));
        assertFalse(UniformConvolutions.active());
    }

    /** Planes of random constants, one value per (image, channel). */
    private static float[] constantPlanes(SplittableRandom r, int batch, int channels, int area) {
        float[] x = new float[batch * channels * area];
        for (int p = 0; p < batch * channels; p++) {
            Arrays.fill(x, p * area, (p + 1) * area, (float) (r.nextDouble() * 2 - 1));
        }
        return x;
    }

    /** Output planes whose positions with the window wholly inside the input are not all bit-equal. */
    private static int nonUniformPlanes(ConvGeometry g, float[] y) {
        int bad = 0;
        for (int p = 0; p < g.batch * g.outChannels; p++) {
            float first = Float.NaN;
            boolean uniform = true;
            int interior = 0;
            for (int oh = 0; oh < g.outHeight; oh++) {
                int ih = oh * g.strideHeight - g.padTop;
                if (ih < 0 || ih + (g.kernelHeight - 1) * g.dilationHeight >= g.inHeight) {
                    continue;
                }
                for (int ow = 0; ow < g.outWidth; ow++) {
                    int iw = ow * g.strideWidth - g.padLeft;
                    if (iw < 0 || iw + (g.kernelWidth - 1) * g.dilationWidth >= g.inWidth) {
                        continue;
                    }
                    float v = y[p * g.outArea() + oh * g.outWidth + ow];
                    if (interior++ == 0) {
                        first = v;
                    } else if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(first)) {
                        uniform = false;
                    }
                }
            }
            assertTrue(interior > 1, "the geometry needs interior positions");
            bad += uniform ? 0 : 1;
        }
        return bad;
    }

    private static String describe(ConvGeometry g) {
        return g.batch + "x" + g.inChannels + "x" + g.inHeight + "x" + g.inWidth + " -> " + g.outChannels
                + " k" + g.kernelHeight + " s" + g.strideHeight + " groups " + g.groups;
    }
}
