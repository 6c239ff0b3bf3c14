package dev.netlens.core.kernels;

import static dev.netlens.core.kernels.KernelsTest.assertAgree;
import static dev.netlens.core.kernels.KernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The direct 3×3 convolutions against the naive Java kernels, on shapes that stress its blocking. */
class DirectConvTest {
    private final Kernels java = Kernels.java();

    private static ConvGeometry conv(int batch, int in, int h, int w, int out, int... pads) {
        return new ConvGeometry(batch, in, h, w, out, 1, 3, 3, 1, 1, 1, 1, pads);
    }

    private static ConvGeometry strided(int batch, int in, int h, int w, int out, int... pads) {
        return new ConvGeometry(batch, in, h, w, out, 1, 3, 3, 2, 2, 1, 1, pads);
    }

    @Test
    void forwardDataAndFilterGradientsAgreeWithJava() {
        assumeTrue(Simd.ENABLED, "the direct kernels need the Vector API");
        forBothKernelFamilies(wide -> agreeWithJava());
    }

    /**
     * Runs {@code check} with the 4-channel kernels and then with the output-channel ones, whatever
     * this CPU's vector width (16-float vectors are emulated, slowly but exactly, where the CPU lacks
     * them), and restores the JVM's choice.
     */
    private static void forBothKernelFamilies(java.util.function.Consumer<Boolean> check) {
        boolean before = DirectConv.wide;
        try {
            for (boolean wide : new boolean[] {false, true}) {
                DirectConv.wide = wide;
                check.accept(wide);
            }
        } finally {
            DirectConv.wide = before;
        }
    }

    private void agreeWithJava() {
        SplittableRandom r = new SplittableRandom(11);
        int wideForward = 0;
        int wideData = 0;
        int wideFilter = 0;
        int wideStridedData = 0;
        int channelFilter = 0;
        int adding = 0;
        Set<Integer> wideFilterBlocks = new TreeSet<>();
        ConvGeometry[] geometries = {
            // channels not a multiple of the 4-channel block; every padding 0..2, asymmetric
            conv(3, 5, 9, 11, 7, 1, 1, 1, 1),
            conv(2, 6, 8, 5, 9, 0, 2, 1, 0),
            conv(4, 16, 7, 7, 16, 2, 2, 2, 2),
            conv(1, 3, 6, 9, 2, 0, 0, 0, 0),
            // fewer output positions than one 24-position block, a 1×1 output
            conv(5, 8, 3, 4, 12, 0, 1, 0, 0),
            conv(3, 4, 3, 3, 5, 0, 0, 0, 0),
            // rows longer than several blocks; batches that are not a multiple of the
            // filter gradient's image groups (7×7: 65 images per group for filterRow, 16 for the
            // output-channel kernels) or of the thread count, and several groups per thread
            conv(2, 12, 31, 40, 10, 1, 1, 1, 1),
            conv(37, 20, 7, 7, 24, 1, 1, 1, 1),
            conv(133, 4, 7, 7, 6, 1, 1, 1, 1),
            conv(9, 1, 28, 28, 16, 1, 1, 1, 1),
            conv(1, 64, 7, 7, 70, 1, 1, 1, 1),
            // stride 2 (forward and filter gradient): even and odd padded sizes, every padding,
            // inputs whose last rows or columns no output reads
            strided(3, 16, 28, 28, 32, 1, 1, 1, 1),
            strided(5, 6, 9, 12, 10, 0, 2, 1, 0),
            strided(2, 8, 13, 7, 5, 2, 2, 2, 2),
            strided(1, 3, 3, 3, 4, 0, 0, 0, 0),
            strided(37, 32, 14, 14, 64, 1, 1, 1, 1),
            strided(2, 9, 10, 11, 6, 0, 0, 0, 0),
            strided(2, 5, 12, 8, 7, 1, 2, 0, 1),
            // the output-channel kernels: 32-channel blocks of 7 positions and 16-channel blocks of
            // 14 (rows not a multiple of the run, so the last run is moved back), 64 output channels
            // (whose filter gradients ChannelFilterGradient takes where the input channels allow),
            // stride 2, asymmetric padding; 16 -> 32 and 16 -> 16 (at least 16 input channels) take
            // them in both directions, 32 -> 24 in none; planes of 255 positions (not whole
            // vectors) end each transposition with single floats
            conv(3, 32, 7, 9, 32, 1, 1, 1, 1),
            conv(2, 48, 9, 15, 16, 1, 1, 1, 1),
            conv(19, 64, 7, 7, 64, 1, 1, 1, 1),
            conv(3, 40, 10, 20, 64, 0, 2, 1, 0),
            conv(3, 16, 14, 14, 32, 1, 1, 1, 1),
            conv(3, 16, 15, 17, 16, 1, 1, 1, 1),
            // 16-channel blocks of 900 positions: more than L1 holds, transposed 16 positions at a
            // time; 48 output channels make three blocks, each with its own biases
            conv(2, 16, 30, 30, 16, 1, 1, 1, 1),
            conv(2, 16, 30, 30, 48, 1, 1, 1, 1),
            strided(5, 32, 14, 14, 64, 1, 1, 1, 1),
            strided(2, 32, 17, 30, 80, 2, 1, 0, 2),
            conv(2, 32, 8, 8, 24, 1, 1, 1, 1),
            // stride-2 data gradients by sub-pixel phases on the wide kernels: 16 -> 32 and 32 -> 64
            // above; odd sizes whose row phases differ in length, padding 0 and 2 on either side,
            // several channel blocks of dX (48: three of 16, 64: two of 32)
            strided(3, 16, 29, 31, 48, 0, 2, 2, 1),
            strided(2, 32, 15, 16, 32, 2, 0, 1, 2),
            strided(4, 16, 13, 30, 40, 1, 1, 0, 0),
            strided(2, 48, 15, 28, 32, 1, 0, 2, 1),
            strided(2, 64, 14, 15, 48, 0, 1, 1, 2),
            // the output-channel filter-gradient kernels, where ChannelFilterGradient does not apply:
            // 8 x 32 (96 output channels), 16 x 16 (80), 4 x 64 (64 above)
            conv(3, 40, 9, 9, 96, 1, 1, 1, 1),
            strided(2, 80, 9, 12, 80, 2, 1, 0, 2),
            strided(2, 40, 15, 15, 64, 1, 1, 1, 1),
            // ChannelFilterGradient: 16 or 48 input channels with a multiple of 8 output channels,
            // 32 or 64 with a multiple of 4 (many above); 37 images (3 chunks), 1 output channel
            // block, odd sizes, asymmetric padding; 16 -> 12 is left to the other kernels
            conv(37, 16, 5, 6, 8, 0, 1, 2, 0),
            strided(3, 32, 9, 11, 4, 2, 0, 1, 2),
            conv(3, 16, 9, 9, 96, 1, 1, 1, 1),
            strided(2, 48, 17, 30, 80, 2, 1, 0, 2),
            conv(2, 64, 6, 5, 12, 0, 2, 1, 1),
            conv(2, 16, 6, 7, 12, 1, 1, 1, 1),
            // a column phase narrower than one run: left to im2col + GEMM
            strided(2, 32, 12, 12, 64, 1, 1, 1, 1),
        };
        for (ConvGeometry g : geometries) {
            assertTrue(DirectConvChoice.applies(g));
            wideForward += DirectConv.wideForward(g) ? 1 : 0;
            wideData += g.strideHeight == 1 && DirectConv.wideData(g) ? 1 : 0;
            channelFilter += ChannelFilterGradient.applies(g) ? 1 : 0;
            if (DirectConv.wideFilterApplies(g)) {
                wideFilter++;
                wideFilterBlocks.add(DirectConv.wideFilterBlock(g.outChannels));
            }
            String what = "stride " + g.strideHeight + " " + g.batch + "x" + g.inChannels + "x" + g.inHeight + "x" + g.inWidth + "->" + g.outChannels
                    + " pads " + g.padTop + "," + g.padLeft + "," + g.padBottom + "," + g.padRight;
            float[] x = random(r, g.inputSize());
            float[] w = random(r, g.weightSize());
            float[] bias = random(r, g.outChannels);
            float[] dy = random(r, g.outputSize());

            float[] yj = new float[g.outputSize()];
            float[] yd = new float[g.outputSize()];
            Arrays.fill(yd, Float.NaN);
            java.convForward(g, x, w, bias, yj);
            DirectConv.forward(g, x, w, bias, yd);
            assertAgree(yj, yd, "forward " + what);
            float[] yNoBias = new float[g.outputSize()];
            java.convForward(g, x, w, null, yNoBias);
            DirectConv.forward(g, x, w, null, yd);
            assertAgree(yNoBias, yd, "forward without bias " + what);

            if (g.strideHeight == 1 || DirectConv.wideStridedData(g)) {
                wideStridedData += g.strideHeight == 2 ? 1 : 0;
                float[] dxj = new float[g.inputSize()];
                float[] dxd = new float[g.inputSize()];
                Arrays.fill(dxd, Float.NaN);
                java.convBackwardData(g, dy, w, dxj);
                DirectConv.backwardData(g, dy, w, dxd);
                assertAgree(dxj, dxd, "data gradient " + what);
                if (DirectConv.adds(g)) {
                    // summed with a gradient from elsewhere while dX is written: the bits of adding after
                    adding++;
                    float[] addend = random(r, g.inputSize());
                    float[] expected = KernelsTest.plus(addend, dxd);
                    float[] dxa = new float[g.inputSize()];
                    Arrays.fill(dxa, Float.NaN);
                    DirectConv.backwardData(g, dy, w, dxa, addend);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, dxa, "data gradient + addend " + what);
                }
            }

            float[] dwj = new float[g.weightSize()];
            float[] dwd = new float[g.weightSize()];
            Arrays.fill(dwd, Float.NaN);
            float[] dbj = new float[g.outChannels];
            float[] dbd = new float[g.outChannels];
            java.convBackwardFilter(g, x, dy, dwj, dbj);
            DirectConv.backwardFilter(g, x, dy, dwd, dbd);
            assertAgree(dwj, dwd, "filter gradient " + what);
            assertAgree(dbj, dbd, "bias gradient " + what);
            // the scratch planes of one call leave nothing behind for the next
            DirectConv.backwardFilter(g, x, dy, dwd, null);
            assertAgree(dwj, dwd, "filter gradient, second call " + what);
        }
        if (DirectConv.wide) {
            // the list above reaches every wide kernel
            assertTrue(wideForward >= 5 && wideData >= 4 && wideFilter >= 4 && wideStridedData >= 6,
                    "wide forward " + wideForward + ", data " + wideData + ", filter " + wideFilter
                            + ", stride-2 data " + wideStridedData);
            assertEquals(Set.of(16, 32, 64), wideFilterBlocks, "wide filter-gradient kernels reached");
            assertTrue(channelFilter >= 15, "channel-vector filter gradients " + channelFilter);
            assertTrue(adding >= 10, "data gradients adding an addend " + adding);
        } else {
            assertTrue(wideForward + wideData + wideFilter + wideStridedData + channelFilter + adding == 0);
        }
    }

    @Test
    void filterGradientsAreTheSameBitsWhicheverThreadTakesAChunk() {
        assumeTrue(Simd.ENABLED, "the direct kernels need the Vector API");
        forBothKernelFamilies(wide -> {
            // with the 4-channel kernels all three take filterRow; with the 16-float ones 16 -> 32 and
            // 32 -> 64 take ChannelFilterGradient and 40 -> 64 the 4 x 64 kernel; 37 images: 3 chunks
            // of 12 or 13
            ConvGeometry[] geometries = {strided(37, 16, 14, 14, 32, 1, 1, 1, 1), conv(37, 32, 7, 7, 64, 1, 1, 1, 1),
                conv(37, 40, 7, 7, 64, 1, 1, 1, 1)};
            for (ConvGeometry g : geometries) {
                SplittableRandom r = new SplittableRandom(5);
                float[] x = random(r, g.inputSize());
                float[] dy = random(r, g.outputSize());
                float[] parallel = new float[g.weightSize()];
                DirectConv.backwardFilter(g, x, dy, parallel, null);
                // a loop started from inside a parallel loop runs all its chunks on the calling thread
                float[] serial = new float[g.weightSize()];
                Parallel.range(2, 1, (from, to) -> {
                    if (from == 0) {
                        DirectConv.backwardFilter(g, x, dy, serial, null);
                    }
                });
                assertTrue(Arrays.equals(parallel, serial),
                        "filter gradient bits, wide " + wide + ", " + g.outChannels);
            }
        });
    }

    /**
     * Filter gradients summed over many positions stay as accurate as a double reference allows:
     * at most 1.5e-6 of the largest weight gradient, on a 16-image chunk of 28² planes (12 544
     * positions) and on 4 images of 56² (the channel-vector kernel once summed such a chunk in one
     * float chain per lane: 2.6e-6 and 7.4e-6; its ranges of 1024 positions give 7e-7, the row
     * kernel 4e-7).
     */
    @Test
    void filterGradientsOfManyPositionsStayAccurate() {
        assumeTrue(Simd.ENABLED, "the direct kernels need the Vector API");
        forBothKernelFamilies(wide -> {
            ConvGeometry[] geometries = {conv(32, 16, 28, 28, 16, 1, 1, 1, 1), conv(4, 64, 56, 56, 64, 1, 1, 1, 1)};
            for (ConvGeometry g : geometries) {
                SplittableRandom r = new SplittableRandom(7);
                float[] x = new float[g.inputSize()];
                float[] dy = new float[g.outputSize()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (0.5 + r.nextGaussian());
                }
                for (int i = 0; i < dy.length; i++) {
                    dy[i] = (float) r.nextGaussian();
                }
                float[] dw = new float[g.weightSize()];
                DirectConv.backwardFilter(g, x, dy, dw, null);
                int h = g.inHeight;
                int c = g.inChannels;
                int m = g.outChannels;
                double maxError = 0;
                double maxReference = 0;
                for (int o = 0; o < m; o += 5) {
                    for (int i = 0; i < c; i += 3) {
                        for (int k = 0; k < 9; k++) {
                            double v = 0;
                            for (int n = 0; n < g.batch; n++) {
                                for (int y = 0; y < h; y++) {
                                    for (int q = 0; q < h; q++) {
                                        int iy = y + k / 3 - 1;
                                        int iq = q + k % 3 - 1;
                                        if (iy >= 0 && iq >= 0 && iy < h && iq < h) {
                                            v += (double) dy[((n * m + o) * h + y) * h + q] * x[((n * c + i) * h + iy) * h + iq];
                                        }
                                    }
                                }
                            }
                            maxError = Math.max(maxError, Math.abs(v - dw[(o * c + i) * 9 + k]));
                            maxReference = Math.max(maxReference, Math.abs(v));
                        }
                    }
                }
                assertTrue(maxError <= 1.5e-6 * maxReference, "wide " + wide + ", " + c + " -> " + m + " at " + h
                        + ": max error " + maxError + " of " + maxReference);
            }
        });
    }

    @Test
    void warmUpCallsEveryKernelWithinItsBounds() {
        assumeTrue(Simd.ENABLED, "the direct kernels need the Vector API");
        forBothKernelFamilies(wide -> DirectConv.warmUp(3));
        DirectConvWarmup.run(DirectConvChoice.MIN_BATCH);
    }

    @Test
    void thinLayersAreChosenAndOthersAreLeftToGemm() {
        assumeTrue(Simd.ENABLED, "the direct kernels need the Vector API");
        ConvGeometry thin = conv(128, 16, 28, 28, 16, 1, 1, 1, 1);
        assertTrue(DirectConvChoice.forForward(thin) && DirectConvChoice.forData(thin) && DirectConvChoice.forFilter(thin));
        ConvGeometry wide = conv(32, 128, 28, 28, 128, 1, 1, 1, 1);
        // small batches stay with im2col + GEMM (no JIT warm-up of the Vector API kernels)
        ConvGeometry small = conv(DirectConvChoice.MIN_BATCH - 1, 16, 28, 28, 16, 1, 1, 1, 1);
        assertFalse(DirectConvChoice.forForward(small) || DirectConvChoice.forData(small) || DirectConvChoice.forFilter(small));
        assertFalse(DirectConvChoice.forForward(wide) || DirectConvChoice.forData(wide) || DirectConvChoice.forFilter(wide));
        // one input channel: the filter gradient only (its forward kernel would be mostly padding)
        ConvGeometry stem = conv(128, 1, 28, 28, 16, 1, 1, 1, 1);
        assertFalse(DirectConvChoice.forForward(stem) || DirectConvChoice.forData(stem));
        assertTrue(DirectConvChoice.forFilter(stem));
        // stride 2: forward and filter gradient; the data gradient only on the wide kernels, else
        // im2col + GEMM
        ConvGeometry down = strided(128, 16, 28, 28, 32, 1, 1, 1, 1);
        assertTrue(DirectConvChoice.forForward(down) && DirectConvChoice.forFilter(down));
        assertEquals(DirectConv.wide, DirectConvChoice.forData(down));
        assertFalse(DirectConvChoice.forData(strided(128, 32, 12, 12, 64, 1, 1, 1, 1)));
        assertFalse(DirectConvChoice.applies(new ConvGeometry(1, 16, 28, 28, 32, 1, 3, 3, 3, 3, 1, 1, new int[] {1, 1, 1, 1})));
        String before = System.getProperty("netlens.direct");
        System.setProperty("netlens.direct", "off");
        try {
            assertFalse(DirectConvChoice.forForward(thin) || DirectConvChoice.forData(thin) || DirectConvChoice.forFilter(thin));
        } finally {
            if (before == null) {
                System.clearProperty("netlens.direct");
            } else {
                System.setProperty("netlens.direct", before);
            }
        }
    }
}
