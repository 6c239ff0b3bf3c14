package dev.netlens.core.ops;

import static dev.netlens.core.ops.MaxPoolTest.assertMessage;
import static dev.netlens.core.ops.OpHarness.BOTH;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static dev.netlens.core.ops.RandomCases.between;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.ops.NaivePooling.Window;
import dev.netlens.core.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AveragePoolTest {

    private static AveragePool op(Window w, boolean oneD, boolean countIncludePad) {
        AveragePool.Builder b = AveragePool.builder().ceilMode(w.ceil()).countIncludePad(countIncludePad);
        if (oneD) {
            return b.kernelShape(w.kw()).strides(w.sw()).dilations(w.dw()).pads(w.pads()[1], w.pads()[3]).build();
        }
        return b.kernelShape(w.kh(), w.kw()).strides(w.sh(), w.sw()).dilations(w.dh(), w.dw()).pads(w.pads()).build();
    }

    @Test
    void forwardMatchesNaiveReference() {
        RandomCases.forAll("AveragePool forward = naive reference", 60, 4000, r -> {
            boolean oneD = r.nextInt(4) == 0;
            Window w = Window.random(r, oneD);
            boolean include = r.nextBoolean();
            int n = between(r, 1, 2), c = between(r, 1, 3), h = oneD ? 1 : between(r, 3, 9), wd = between(r, 3, 9);
            AveragePool pool = op(w, oneD, include);
            Tensor x4 = Tensor.randomNormal(r, 1f, n, c, h, wd);
            Tensor x = oneD ? x4.reshape(n, c, wd) : x4;
            if (w.outH(h) < 1 || w.outW(wd) < 1) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpHarness.run(pool, x));
                assertTrue(e.getMessage().contains("empty output"), e.getMessage());
                return;
            }
            Tensor expected = NaivePooling.average(x4, w, include);
            for (Kernels k : BOTH) {
                Tensor y = OpHarness.run(pool, k, x);
                assertClose(expected.reshape(y.shape()), y, 1e-5, 1e-6, pool + " " + k.name());
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RandomCases.forAll("AveragePool VJP = finite differences", 16, 5000, r -> {
            boolean oneD = r.nextInt(4) == 0;
            Window w = Window.random(r, oneD);
            int h = oneD ? 1 : between(r, 4, 8), wd = between(r, 4, 8);
            if (w.outH(h) < 1 || w.outW(wd) < 1) {
                return;
            }
            Tensor x = Tensor.randomNormal(r, 1f, oneD ? new int[] {2, 2, wd} : new int[] {2, 2, h, wd});
            AveragePool pool = op(w, oneD, r.nextBoolean());
            for (Kernels k : BOTH) {
                OpHarness.checkGradients(pool, OpHarness.gradCheck().kernels(k).maxElements(64), x);
            }
        });
    }

    @Test
    void handComputedCases() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        AveragePool.Builder b = AveragePool.builder().kernelShape(2, 2).strides(2, 2).pads(1, 1, 1, 1);
        // Windows (rows × cols): {-1,0}×{-1,0}, {-1,0}×{1,2}, {1,2}×{-1,0}, {1,2}×{1,2}.
        assertArrayEquals(new float[] {1, 2.5f, 5.5f, 7}, OpHarness.run(b.build(), x).data());
        assertArrayEquals(new float[] {0.25f, 1.25f, 2.75f, 7}, OpHarness.run(b.countIncludePad(true).build(), x).data());
        // Ceil mode with padding: in 6, kernel 3, stride 2, pads 1/1 -> windows start at -1, 1, 3, 5;
        // the last one covers 5, one padded position (6) and one beyond the padded extent (7).
        Tensor row = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 6);
        AveragePool.Builder c = AveragePool.builder().kernelShape(3).strides(2).pads(1, 1).ceilMode(true);
        assertArrayEquals(new float[] {1.5f, 3, 5, 6}, OpHarness.run(c.build(), row).data());
        assertArrayEquals(new float[] {1, 3, 5, 3}, OpHarness.run(c.countIncludePad(true).build(), row).data());
        // The VJP spreads each gradient over the divisor's taps.
        AveragePool incl = c.build();
        Trace t = OpHarness.graph(incl, 1, row).run().record().forward(Map.of("in0", row));
        Tensor gx = t.gradient("out0", Tensor.of(new float[] {3, 3, 3, 2}, 1, 1, 4), "in0");
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, gx.data());
    }

    @Test
    void kernelsAgreeOnLargerInput() {
        SplittableRandom r = new SplittableRandom(17);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 16, 29, 31);
        OpHarness.assertKernelsAgree(AveragePool.of(2, 2), 1, x);
        OpHarness.assertKernelsAgree(AveragePool.builder().kernelShape(3, 3).strides(2, 2).pads(1, 1, 1, 1).ceilMode(true)
                .countIncludePad(true).build(), 1, x);
    }

    @Test
    void describesItselfAndRetainsNothing() {
        AveragePool pool = AveragePool.builder().kernelShape(3).strides(2).dilations(2).countIncludePad(true).build();
        assertEquals("AveragePool", pool.type());
        assertEquals(OpCategory.POOLING, pool.category());
        assertFalse(pool.retainsInput(0));
        assertEquals(1, pool.attributes().get("count_include_pad"));
        assertEquals("AveragePool(kernel_shape=[3], strides=[2], dilations=[2], ceil_mode=0, count_include_pad=1)",
                pool.toString());
        Tensor x = Tensor.randomNormal(new SplittableRandom(2), 1f, 1, 2, 9);
        Trace t = OpHarness.graph(pool, 1, x).run().record().forward(Map.of("in0", x));
        assertEquals(1, t.memory().heldTensors(), "only the output stays held after the forward pass");
    }

    @Test
    void badAttributesAndShapesAreRejectedWithClearMessages() {
        assertMessage(() -> AveragePool.builder().strides(1, 1).build(), "AveragePool needs kernel_shape");
        assertMessage(() -> AveragePool.builder().kernelShape(2, 2).dilations(1).build(), "dilations must have 2 entries");
        assertMessage(() -> AveragePool.builder().kernelShape(2).pads(1, 1, 1, 1).build(), "must have 2 entries");
        assertMessage(() -> OpHarness.run(AveragePool.of(2, 2), Tensor.zeros(2, 3)), "needs a 4-D input");
        assertMessage(() -> OpHarness.run(AveragePool.builder().kernelShape(3).dilations(3).build(), Tensor.zeros(1, 1, 6)),
                "window extent 7");
    }
}
