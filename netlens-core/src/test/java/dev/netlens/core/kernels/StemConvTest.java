package dev.netlens.core.kernels;

import static dev.netlens.core.kernels.KernelsTest.assertAgree;
import static dev.netlens.core.kernels.KernelsTest.checkForward;
import static dev.netlens.core.kernels.KernelsTest.describe;
import static dev.netlens.core.kernels.KernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stem convolutions (few input channels, vectors along the output channels) against the naive Java kernels. */
class StemConvTest {
    private static final int CB = Simd.ENABLED ? StemConv.CHANNEL_BLOCK : 32;

    /** The test JVM's width (8 floats); {@link SimdWidthTest} runs these checks again with 16. */
    StemConvTest() {
    }

    private static ConvGeometry conv(int batch, int in, int h, int w, int out, int k, int stride, int dilation,
                                     int... pads) {
        return new ConvGeometry(batch, in, h, w, out, 1, k, k, stride, stride, dilation, dilation, pads);
    }

    @Test
    void forwardAgreesWithJavaOnManyGeometries() {
        assumeTrue(Simd.ENABLED && StemConv.SUPPORTED, "the stem kernels need the Vector API and AVX-512");
        SplittableRandom r = new SplittableRandom(5);
        ConvGeometry[] geometries = {
            conv(1, 3, 40, 40, CB, 7, 2, 1, 3, 3, 3, 3),       // ResNet's stem, small
            conv(2, 3, 23, 29, 2 * CB, 7, 2, 1, 3, 2, 1, 3),   // odd sizes, asymmetric pads
            conv(3, 1, 12, 17, CB, 3, 1, 1, 1, 1, 1, 1),       // one channel, 17-wide rows
            conv(1, 4, 9, 6, CB, 3, 1, 1, 0, 1, 2, 1),         // exactly 6 positions per row
            conv(1, 2, 15, 31, CB, 5, 1, 2, 4, 4, 4, 4),       // dilation 2
            conv(2, 3, 16, 33, CB, 3, 2, 1, 1, 1, 1, 1),       // MobileNet-like stride-2 3×3
            conv(1, 3, 8, 50, CB, 1, 1, 1, 0, 0, 0, 0),        // 1×1
            conv(1, 3, 26, 26, 3 * CB, 3, 3, 1, 0, 0, 0, 0),   // stride 3, three channel blocks
            // different kernel extents, strides and dilations along the two axes
            new ConvGeometry(2, 3, 19, 27, CB, 1, 7, 3, 2, 1, 1, 2, new int[] {3, 0, 1, 2}),
            new ConvGeometry(1, 2, 30, 16, CB, 1, 1, 5, 1, 2, 3, 1, new int[] {0, 2, 0, 3}),
        };
        for (ConvGeometry g : geometries) {
            assertTrue(DirectConvChoice.forStem(g), "stem path for " + describe(g));
            for (boolean withBias : new boolean[] {false, true}) {
                float[][] run = checkForward(g, r, withBias, StemConv::forward);
                float[] got = run[3];
                float[] dispatched = new float[g.outputSize()];
                Kernels.openblas().convForward(g, run[0], run[1], run[2], dispatched);
                assertTrue(Arrays.equals(got, dispatched), "the OpenBLAS kernels hand " + describe(g) + " to the stem kernel");
            }
        }
    }

    @Test
    void anImageAfterALargerOneIsPaddedWithZeros() {
        assumeTrue(Simd.ENABLED && StemConv.SUPPORTED, "the stem kernels need the Vector API and AVX-512");
        // the per-thread padded-image scratch first holds a larger image's values: the borders of a
        // smaller one must still read as zeros
        SplittableRandom r = new SplittableRandom(8);
        ConvGeometry big = conv(1, 3, 40, 40, CB, 3, 1, 1, 0, 0, 0, 0);
        StemConv.forward(big, random(r, big.inputSize()), random(r, big.weightSize()), null, new float[big.outputSize()]);
        ConvGeometry small = conv(1, 3, 9, 9, CB, 3, 1, 1, 2, 2, 2, 2);
        float[] x = random(r, small.inputSize());
        float[] w = random(r, small.weightSize());
        float[] want = new float[small.outputSize()];
        Kernels.java().convForward(small, x, w, null, want);
        float[] got = new float[small.outputSize()];
        StemConv.forward(small, x, w, null, got);
        assertAgree(want, got, "a 9x9 image after a 40x40 one");
    }

    @Test
    void equalReceptiveFieldsGiveBitEqualOutputs() {
        assumeTrue(Simd.ENABLED && StemConv.SUPPORTED, "the stem kernels need the Vector API and AVX-512");
        // a constant image: every output whose 7×7 window lies inside it sums the same values
        ConvGeometry g = conv(1, 3, 32, 32, CB, 7, 2, 1, 3, 3, 3, 3);
        float[] x = new float[g.inputSize()];
        Arrays.fill(x, 0.37f);
        float[] w = random(new SplittableRandom(9), g.weightSize());
        float[] y = new float[g.outputSize()];
        StemConv.forward(g, x, w, null, y);
        int area = g.outHeight * g.outWidth;
        for (int m = 0; m < g.outChannels; m++) {
            float first = y[m * area + 2 * g.outWidth + 2];
            for (int oh = 2; oh < g.outHeight - 2; oh++) {
                for (int ow = 2; ow < g.outWidth - 2; ow++) {
                    assertEquals(Float.floatToRawIntBits(first), Float.floatToRawIntBits(y[m * area + oh * g.outWidth + ow]),
                            "channel " + m + " at " + oh + "," + ow);
                }
            }
        }
    }

    @Test
    void takesStemsOnly() {
        assumeTrue(Simd.ENABLED && StemConv.SUPPORTED, "the stem kernels need the Vector API and AVX-512");
        assertTrue(DirectConvChoice.forStem(conv(1, 3, 224, 224, 64, 7, 2, 1, 3, 3, 3, 3)), "ResNet's stem");
        assertTrue(DirectConvChoice.forStem(conv(1, 3, 224, 224, 64, 3, 1, 1, 1, 1, 1, 1)), "VGG's first layer");
        assertFalse(DirectConvChoice.forStem(conv(1, 5, 32, 32, 64, 3, 1, 1, 1, 1, 1, 1)), "5 input channels");
        assertFalse(DirectConvChoice.forStem(conv(1, 3, 32, 32, CB + 8, 3, 1, 1, 1, 1, 1, 1)), "a partial channel block");
        assertFalse(DirectConvChoice.forStem(conv(1, 3, 5, 5, 64, 3, 1, 1, 1, 1, 1, 1)), "5-wide rows");
        assertFalse(DirectConvChoice.forStem(new ConvGeometry(1, 4, 16, 16, 64, 2, 3, 3, 1, 1, 1, 1,
                new int[] {1, 1, 1, 1})), "groups");
        assertFalse(DirectConvChoice.forStem(conv(1, 8, 32, 32, 64, 3, 1, 1, 1, 1, 1, 1)), "8 input channels");
    }
}
