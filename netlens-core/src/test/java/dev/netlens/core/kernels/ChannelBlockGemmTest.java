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

/**
 * Single-image convolutions as im2col + the channel-block product ({@link ChannelBlockGemm})
 * against the naive Java kernels, forward and data gradient.
 */
class ChannelBlockGemmTest {
    private static final int CB = Simd.ENABLED ? ChannelBlockKernel.CHANNEL_BLOCK : 32;

    /** The test JVM's width (8 floats); {@link SimdWidthTest} runs these checks again with 16. */
    ChannelBlockGemmTest() {
    }

    private static ConvGeometry conv(int in, int h, int w, int out, int k, int stride, int dilation, int... pads) {
        return batch(1, in, h, w, out, k, stride, dilation, pads);
    }

    private static ConvGeometry batch(int n, int in, int h, int w, int out, int k, int stride, int dilation,
                                      int... pads) {
        return new ConvGeometry(n, in, h, w, out, 1, k, k, stride, stride, dilation, dilation, pads);
    }

    private static void assumeKernels() {
        assumeTrue(Simd.ENABLED && ChannelBlockKernel.SUPPORTED, "the channel-block kernels need the Vector API and AVX-512");
    }

    /**
     * Column counts with every kind of end (whole runs only; one or two single columns; a tail run
     * of three to five), reductions longer than a chunk, partial channel blocks, 1×1 convolutions
     * with and without a stride, dilation and asymmetric padding.
     */
    private static ConvGeometry[] geometries() {
        return new ConvGeometry[] {
            conv(40, 7, 7, 2 * CB, 3, 1, 1, 1, 1, 1, 1),           // ResNet's 7×7 layers: 49 columns (one single)
            conv(24, 14, 14, CB, 3, 2, 1, 1, 1, 1, 1),             // stride 2 to 7×7
            conv(96, 8, 8, CB, 1, 1, 1, 0, 0, 0, 0),               // 1×1, 64 columns, a tail run of 4
            conv(64, 13, 13, 2 * CB, 1, 2, 1, 0, 0, 0, 0),         // strided 1×1
            conv(20, 8, 9, CB + CB / 2, 3, 1, 1, 0, 0, 0, 0),      // 6×7 = 42 columns, a partial block
            conv(16, 9, 9, CB, 3, 1, 2, 0, 0, 0, 0),               // dilation 2: 5×5 = 25 columns, one single
            conv(33, 4, 7, CB, 3, 1, 1, 1, 0, 2, 1),               // asymmetric pads: 5×6 = 30 columns
            conv(150, 3, 3, CB, 3, 1, 1, 1, 1, 1, 1),              // 9 columns: a tail run of 3; 1350 reduction rows
            new ConvGeometry(1, 12, 11, 10, CB, 1, 3, 1, 2, 1, 1, 1, new int[] {1, 0, 1, 0}),  // 3×1 kernel
            conv(24, 2, 4, CB, 3, 1, 1, 1, 1, 1, 1),               // 8 columns: two singles
            conv(40, 1, 11, CB, 1, 1, 1, 0, 0, 0, 0),              // 11 columns: a tail run of 5
            conv(12, 5, 5, 160, 3, 1, 1, 1, 1, 1, 1),              // 160 output channels: the data gradient's
                                                                   // reduction crosses a chunk
            batch(2, 32, 7, 7, CB, 3, 1, 1, 1, 1, 1, 1),           // two images
            batch(3, 48, 6, 6, CB, 1, 1, 1, 0, 0, 0, 0),           // three images of a 1×1 convolution
        };
    }

    @Test
    void forwardAgreesWithJava() {
        assumeKernels();
        SplittableRandom r = new SplittableRandom(21);
        for (ConvGeometry g : geometries()) {
            for (boolean withBias : new boolean[] {false, true}) {
                checkForward(g, r, withBias, ChannelBlockGemm::forward);
            }
        }
    }

    @Test
    void dataGradientAgreesWithJava() {
        assumeKernels();
        SplittableRandom r = new SplittableRandom(22);
        for (ConvGeometry g : geometries()) {
            float[] dy = random(r, g.outputSize());
            float[] w = random(r, g.weightSize());
            float[] want = new float[g.inputSize()];
            Kernels.java().convBackwardData(g, dy, w, want);
            float[] got = new float[g.inputSize()];
            Arrays.fill(got, Float.NaN);
            ChannelBlockGemm.backwardData(g, dy, w, got);
            assertAgree(want, got, "data gradient of " + describe(g));
        }
    }

    @Test
    void theOpenBlasKernelsHandDeclaredSingleImagesToIt() {
        assumeKernels();
        assumeTrue(Parallel.threads() > 1, "taken only when there are fewer images than threads");
        SplittableRandom r = new SplittableRandom(23);
        for (ConvGeometry g : new ConvGeometry[] {geometries()[0], geometries()[3]}) {
            float[] x = random(r, g.inputSize());
            float[] w = random(r, g.weightSize());
            ConstantArrays.declare(w);
            assertTrue(DirectConvChoice.forColumns(g, w, g.outChannels), "forward of " + describe(g));
            assertTrue(DirectConvChoice.forColumns(g, w, g.colRows()), "data gradient of " + describe(g));
            float[] direct = new float[g.outputSize()];
            ChannelBlockGemm.forward(g, x, w, null, direct);
            float[] dispatched = new float[g.outputSize()];
            Kernels.openblas().convForward(g, x, w, null, dispatched);
            assertTrue(Arrays.equals(direct, dispatched), "forward of " + describe(g));
            float[] dy = random(r, g.outputSize());
            float[] dxDirect = new float[g.inputSize()];
            ChannelBlockGemm.backwardData(g, dy, w, dxDirect);
            float[] dxDispatched = new float[g.inputSize()];
            Kernels.openblas().convBackwardData(g, dy, w, dxDispatched);
            assertTrue(Arrays.equals(dxDirect, dxDispatched), "data gradient of " + describe(g));
        }
    }

    @Test
    void editedDeclaredWeightsArePackedAgain() {
        assumeKernels();
        SplittableRandom r = new SplittableRandom(24);
        ConvGeometry g = geometries()[0];
        float[] x = random(r, g.inputSize());
        float[] w = random(r, g.weightSize());
        ConstantArrays.declare(w);
        // both packings cached before the edit
        ChannelBlockGemm.forward(g, x, w, null, new float[g.outputSize()]);
        ChannelBlockGemm.backwardData(g, random(r, g.outputSize()), w, new float[g.inputSize()]);
        for (int i = 0; i < w.length; i++) {
            w[i] = -2f * w[i];
        }
        float[] want = new float[g.outputSize()];
        Kernels.java().convForward(g, x, w, null, want);
        float[] got = new float[g.outputSize()];
        ChannelBlockGemm.forward(g, x, w, null, got);
        assertAgree(want, got, "after the weights changed");
        float[] dy = random(r, g.outputSize());
        float[] dxWant = new float[g.inputSize()];
        Kernels.java().convBackwardData(g, dy, w, dxWant);
        float[] dxGot = new float[g.inputSize()];
        ChannelBlockGemm.backwardData(g, dy, w, dxGot);
        assertAgree(dxWant, dxGot, "data gradient after the weights changed");
    }

    @Test
    void everyColumnIsTheSameSumWhicheverPathComputesIt() {
        assumeKernels();
        // equal columns: whole runs, single columns and the tail run must give bit-equal outputs
        SplittableRandom r = new SplittableRandom(25);
        for (int cols : new int[] {49, 64, 45, 9, 6, 8, 11}) {
            int depth = 300;
            int rows = CB;
            float[] column = random(r, depth);
            float[] src = new float[depth * cols];
            for (int j = 0; j < depth; j++) {
                Arrays.fill(src, j * cols, (j + 1) * cols, column[j]);
            }
            float[] a = ChannelBlockKernel.pack(random(r, rows * depth), rows, depth);
            float[] out = new float[rows * cols];
            ChannelBlockGemm.multiply(a, rows, depth, src, 0, cols, null, out, 0);
            for (int i = 0; i < rows; i++) {
                for (int q = 1; q < cols; q++) {
                    assertEquals(Float.floatToRawIntBits(out[i * cols]), Float.floatToRawIntBits(out[i * cols + q]),
                            cols + " columns: row " + i + " column " + q);
                }
            }
        }
    }

    @Test
    void takesSmallSingleImageLayersOnly() {
        assumeKernels();
        assumeTrue(Parallel.threads() > 1, "taken only when there are fewer images than threads");
        float[] declared = new float[1];
        ConstantArrays.declare(declared);
        ConvGeometry layer4 = conv(512, 7, 7, 512, 3, 1, 1, 1, 1, 1, 1);
        assertTrue(DirectConvChoice.forColumns(layer4, declared, 512), "ResNet-18's 7×7 layers");
        assertTrue(DirectConvChoice.forColumns(layer4, declared, 4608), "and their data gradient");
        assertFalse(DirectConvChoice.forColumns(layer4, new float[1], 512), "weights not declared constant");
        ConvGeometry batch = new ConvGeometry(Parallel.threads(), 512, 7, 7, 512, 1, 3, 3, 1, 1, 1, 1,
                new int[] {1, 1, 1, 1});
        assertFalse(DirectConvChoice.forColumns(batch, declared, 512), "as many images as threads");
        assertFalse(DirectConvChoice.forColumns(conv(256, 14, 14, 256, 3, 1, 1, 1, 1, 1, 1), declared, 256),
                "196 positions");
        assertFalse(DirectConvChoice.forColumns(conv(64, 2, 2, 64, 1, 1, 1, 0, 0, 0, 0), declared, 64),
                "4 positions");
        assertFalse(DirectConvChoice.forColumns(conv(64, 7, 7, CB / 2 + 1, 3, 1, 1, 1, 1, 1, 1), declared,
                CB / 2 + 1), "a block barely half full");
        assertFalse(DirectConvChoice.forColumns(new ConvGeometry(1, 64, 7, 7, 64, 2, 3, 3, 1, 1, 1, 1,
                new int[] {1, 1, 1, 1}), declared, 64), "groups");
        assertTrue(DirectConvChoice.forColumns(conv(64, 8, 8, 64, 3, 1, 1, 1, 1, 1, 1), declared, 64), "64 positions");
        assertFalse(DirectConvChoice.forColumns(conv(64, 8, 9, 64, 3, 1, 1, 1, 1, 1, 1), declared, 64), "72 positions");
        assertFalse(DirectConvChoice.forColumns(conv(2048, 8, 8, 64, 3, 1, 1, 1, 1, 1, 1), declared, 64),
                "a column matrix of 18432 x 64 floats");
        System.setProperty("netlens.columns", "off");
        try {
            assertFalse(DirectConvChoice.forColumns(layer4, declared, 512), "netlens.columns=off");
        } finally {
            System.clearProperty("netlens.columns");
        }
    }

    @Test
    void smallLayersAreSplitIntoColumnGroupsToo() {
        assumeKernels();
        int threads = Parallel.threads();
        assertEquals(1, ChannelBlockGemm.positionGroups(2 * threads, 49), "enough channel blocks");
        assertTrue(ChannelBlockGemm.positionGroups(1, 49) >= Math.min(4, 2 * threads), "one block, 49 columns");
        assertEquals(1, ChannelBlockGemm.positionGroups(1, 11), "too few columns for two groups");
        for (int blocks = 1; blocks < 6; blocks++) {
            for (int cols = 6; cols <= 64; cols++) {
                int groups = ChannelBlockGemm.positionGroups(blocks, cols);
                assertTrue(groups == 1 || cols / groups >= 2 * ChannelBlockKernel.RUN,
                        blocks + " blocks, " + cols + " columns: " + groups + " groups");
            }
        }
    }
}
