package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@link Kernels} contract that ops rely on when they hand kernels arrays recycled by a
 * {@code TensorArena}: outputs are overwritten, never accumulated into. Every kernel path (im2col +
 * GEMM, Winograd F(2×2)/F(4×4), direct convolutions, depthwise, grouped, strided, dilated; max and
 * average pooling) runs once into zeroed outputs and once into outputs full of NaN, and the two
 * results must be bit-identical.
 */
class KernelsOverwriteTest {
    private static final int[] P1 = {1, 1, 1, 1};
    private static final int[] P0 = {0, 0, 0, 0};

    private static List<ConvGeometry> geometries() {
        List<ConvGeometry> g = new ArrayList<>();
        // im2col + GEMM: strided, 1×1, grouped, dilated, asymmetric padding, rank-3-like 1-row input.
        g.add(new ConvGeometry(3, 5, 13, 11, 7, 1, 3, 3, 2, 2, 1, 1, new int[] {0, 1, 2, 0}));
        g.add(new ConvGeometry(2, 12, 9, 7, 8, 2, 3, 2, 1, 1, 1, 1, new int[] {0, 1, 2, 0}));
        g.add(new ConvGeometry(2, 8, 23, 21, 6, 1, 4, 4, 1, 1, 1, 2, new int[] {0, 1, 2, 0}));
        g.add(new ConvGeometry(4, 24, 7, 7, 16, 1, 1, 1, 1, 1, 1, 1, P0));
        g.add(new ConvGeometry(2, 1, 1, 40, 3, 1, 1, 5, 1, 2, 1, 1, new int[] {0, 2, 0, 1}));
        // Depthwise.
        g.add(new ConvGeometry(3, 16, 15, 15, 16, 16, 3, 3, 1, 1, 1, 1, P1));
        g.add(new ConvGeometry(2, 8, 14, 14, 16, 8, 3, 3, 2, 2, 1, 1, P1));
        // Winograd: forward F(2×2), data gradients F(2×2) and F(4×4), chunked and phase-parallel.
        g.add(new ConvGeometry(1, 16, 17, 19, 16, 1, 3, 3, 1, 1, 1, 1, P1));
        g.add(new ConvGeometry(9, 16, 30, 30, 20, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 0, 0, 1}));
        g.add(new ConvGeometry(4, 64, 7, 7, 64, 1, 3, 3, 1, 1, 1, 1, P1));
        // Direct convolutions (batches of 32+): stride 1 and 2, 16 to 64 channels.
        g.add(new ConvGeometry(32, 16, 12, 12, 16, 1, 3, 3, 1, 1, 1, 1, P1));
        g.add(new ConvGeometry(33, 32, 9, 9, 64, 1, 3, 3, 2, 2, 1, 1, P1));
        g.add(new ConvGeometry(32, 64, 7, 7, 64, 1, 3, 3, 1, 1, 1, 1, P1));
        return g;
    }

    @Test
    void convolutionsOverwriteTheirOutputs() {
        SplittableRandom r = new SplittableRandom(17);
        boolean before = DirectConv.wide;
        try {
            for (boolean wide : new boolean[] {false, true}) {
                DirectConv.wide = wide;
                for (Kernels k : List.of(Kernels.java(), Kernels.openblas())) {
                    for (ConvGeometry g : geometries()) {
                        float[] x = KernelsTest.random(r, g.inputSize());
                        float[] w = KernelsTest.random(r, g.weightSize());
                        ConstantArrays.declare(w);
                        float[] bias = KernelsTest.random(r, g.outChannels);
                        float[] dy = KernelsTest.random(r, g.outputSize());
                        String at = k.name() + " " + describe(g) + (wide ? " wide" : "");
                        assertOverwrites(at + " forward", g.outputSize(), out -> k.convForward(g, x, w, bias, out));
                        assertOverwrites(at + " forward without bias", g.outputSize(),
                                out -> k.convForward(g, x, w, null, out));
                        assertOverwrites(at + " data gradient", g.inputSize(), out -> k.convBackwardData(g, dy, w, out));
                        assertOverwrites(at + " filter gradient", g.weightSize(),
                                out -> k.convBackwardFilter(g, x, dy, out, null));
                        assertOverwrites(at + " bias gradient", g.outChannels,
                                out -> k.convBackwardFilter(g, x, dy, new float[g.weightSize()], out));
                    }
                }
            }
        } finally {
            DirectConv.wide = before;
        }
    }

    @Test
    void poolingOverwritesItsOutputs() {
        SplittableRandom r = new SplittableRandom(18);
        PoolGeometry[] pools = {
            new PoolGeometry(2, 3, 112, 112, 3, 3, 2, 2, 1, 1, P1, false),
            new PoolGeometry(3, 4, 9, 8, 2, 3, 2, 1, 1, 2, new int[] {0, 1, 1, 0}, true),
            new PoolGeometry(2, 5, 7, 7, 7, 7, 1, 1, 1, 1, P0, false),
        };
        for (Kernels k : List.of(Kernels.java(), Kernels.openblas())) {
            for (PoolGeometry g : pools) {
                float[] x = KernelsTest.random(r, g.batch * g.channels * g.inHeight * g.inWidth);
                int outSize = g.outputSize();
                float[] dy = KernelsTest.random(r, outSize);
                int[] argmax = new int[outSize];
                k.maxPoolForward(g, x, new float[outSize], argmax);
                String at = k.name() + " pool " + g.kernelHeight + "x" + g.kernelWidth;
                assertOverwrites(at + " max", outSize, out -> k.maxPoolForward(g, x, out, null));
                assertOverwrites(at + " max with argmax", outSize, out -> k.maxPoolForward(g, x, out, new int[outSize]));
                assertOverwrites(at + " max gradient", x.length, out -> k.maxPoolBackward(g, dy, argmax, out));
                for (boolean countPad : new boolean[] {false, true}) {
                    assertOverwrites(at + " average", outSize, out -> k.avgPoolForward(g, countPad, x, out));
                    assertOverwrites(at + " average gradient", x.length, out -> k.avgPoolBackward(g, countPad, dy, out));
                }
            }
        }
    }

    private interface Into {
        void run(float[] out);
    }

    private static void assertOverwrites(String what, int size, Into kernel) {
        float[] clean = new float[size];
        kernel.run(clean);
        float[] dirty = new float[size];
        Arrays.fill(dirty, Float.NaN);
        kernel.run(dirty);
        for (int i = 0; i < size; i++) {
            if (Float.floatToRawIntBits(clean[i]) != Float.floatToRawIntBits(dirty[i])) {
                assertEquals(clean[i], dirty[i], what + ": element " + i + " of " + size
                        + " depends on the output array's previous contents");
            }
        }
    }

    private static String describe(ConvGeometry g) {
        return g.batch + "x" + g.inChannels + "x" + g.inHeight + "x" + g.inWidth + " -> " + g.outChannels + " k"
                + g.kernelHeight + "x" + g.kernelWidth + " s" + g.strideHeight + " g" + g.groups;
    }
}
