package dev.netlens.core.ops;

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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaxPoolTest {

    private static MaxPool op(Window w, boolean oneD, int storageOrder) {
        MaxPool.Builder b = MaxPool.builder().ceilMode(w.ceil()).storageOrder(storageOrder);
        if (oneD) {
            return b.kernelShape(w.kw()).strides(w.sw()).dilations(w.dw()).pads(w.pads()[1], w.pads()[3]).build();
        }
        return b.kernelShape(w.kh(), w.kw()).strides(w.sh(), w.sw()).dilations(w.dh(), w.dw()).pads(w.pads()).build();
    }

    @Test
    void forwardAndIndicesMatchNaiveReference() {
        RandomCases.forAll("MaxPool forward = naive reference", 60, 2000, r -> {
            boolean oneD = r.nextInt(4) == 0;
            Window w = Window.random(r, oneD);
            int n = between(r, 1, 2), c = between(r, 1, 3), h = oneD ? 1 : between(r, 3, 9), wd = between(r, 3, 9);
            int storageOrder = r.nextInt(2);
            MaxPool pool = op(w, oneD, storageOrder);
            Tensor x4 = Tensor.randomNormal(r, 1f, n, c, h, wd);
            Tensor x = oneD ? x4.reshape(n, c, wd) : x4;
            if (w.outH(h) < 1 || w.outW(wd) < 1) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpHarness.run(pool, x));
                assertTrue(e.getMessage().contains("empty output"), e.getMessage());
                return;
            }
            Tensor[] expected = NaivePooling.max(x4, w);
            Tensor idx = storageOrder == 0 ? expected[1] : NaivePooling.columnMajor(expected[1], h, wd);
            for (Kernels k : BOTH) {
                Tensor[] y = OpHarness.runAll(pool, 2, k, false, x);
                int[] shape = y[0].shape();
                assertClose(expected[0].reshape(shape), y[0], 0, 0, pool + " " + k.name());
                assertClose(idx.reshape(shape), y[1], 0, 0, pool + " indices " + k.name());
            }
        });
    }

    @Test
    void tiesSignedZerosInfinitiesAndNaNFollowAFirstMaximumScan() {
        float[] values = {Float.NEGATIVE_INFINITY, -1f, -0f, 0f, 1f, Float.POSITIVE_INFINITY, Float.NaN, -Float.MAX_VALUE};
        RandomCases.forAll("MaxPool special values = first-maximum scan", 80, 2000, r -> {
            Window w = Window.random(r, false);
            int h = between(r, 3, 9), wd = between(r, 3, 9);
            if (w.outH(h) < 1 || w.outW(wd) < 1) {
                return;
            }
            // Few distinct values, so windows are full of ties; NaN only sometimes.
            int palette = r.nextBoolean() ? values.length - 2 : values.length;
            Tensor x = Tensor.zeros(2, 2, h, wd);
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = values[r.nextInt(palette)];
            }
            Tensor[] expected = NaivePooling.max(x, w);
            MaxPool pool = op(w, false, 0);
            for (Kernels k : BOTH) {
                Tensor[] withIndices = OpHarness.runAll(pool, 2, k, false, x);
                Tensor valuesOnly = OpHarness.runAll(pool, 1, k, false, x)[0];
                for (int i = 0; i < expected[0].size(); i++) {
                    int want = Float.floatToIntBits(expected[0].data()[i]);
                    String where = pool + " " + k.name() + " output " + i + " of " + x;
                    assertEquals(want, Float.floatToIntBits(withIndices[0].data()[i]), where);
                    assertEquals(want, Float.floatToIntBits(valuesOnly.data()[i]), where + " (values only)");
                    assertEquals(expected[1].data()[i], withIndices[1].data()[i], where + " index");
                }
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int[] checked = {0};
        RandomCases.forAll("MaxPool VJP = finite differences", 24, 3000, r -> {
            boolean oneD = r.nextInt(4) == 0;
            Window w = Window.random(r, oneD);
            int h = oneD ? 1 : between(r, 4, 8), wd = between(r, 4, 8);
            if (w.outH(h) < 1 || w.outW(wd) < 1) {
                return;
            }
            Tensor x = NaivePooling.distinct(r, oneD ? new int[] {2, 2, wd} : new int[] {2, 2, h, wd});
            for (float index : NaivePooling.max(x.reshape(2, 2, h, wd), w)[1].data()) {
                if (index < 0) {
                    // A window entirely in the padding outputs -Float.MAX_VALUE, which swamps the
                    // finite-difference objective; such windows are covered by the forward test.
                    return;
                }
            }
            checked[0]++;
            MaxPool pool = op(w, oneD, 0);
            for (Kernels k : BOTH) {
                OpHarness.checkGradients(pool, OpHarness.gradCheck().kernels(k).maxElements(64), x);
            }
            // With the Indices output declared too (its gradient is ignored; it is piecewise constant).
            OpHarness.checkGradients(pool, OpHarness.gradCheck().outputs(2), x);
        });
        assertTrue(checked[0] >= 10, "too few gradient cases had non-empty windows: " + checked[0]);
    }

    @Test
    void handComputedCase() {
        Tensor x = Tensor.of(new float[] {
            0, 1, 2, 3,
            4, 5, 6, 7,
            8, 9, 10, 11,
            12, 13, 14, 15}, 1, 1, 4, 4);
        Tensor[] y = OpHarness.runAll(MaxPool.of(2, 2), 2, OpHarness.JAVA, false, x);
        assertArrayEquals(new float[] {5, 7, 13, 15}, y[0].data());
        assertArrayEquals(new float[] {5, 7, 13, 15}, y[1].data());
        // Column-major positions: (h, w) -> w·H + h.
        Tensor[] col = OpHarness.runAll(MaxPool.builder().kernelShape(2, 2).strides(2, 2).storageOrder(1).build(), 2,
                OpHarness.JAVA, false, x);
        assertArrayEquals(new float[] {5, 13, 7, 15}, col[1].data());
        // Ties: the first maximum in window order wins and receives the gradient.
        Tensor ties = Tensor.of(new float[] {3, 3, 1, 3}, 1, 1, 1, 4);
        MaxPool pool = MaxPool.builder().kernelShape(1, 4).build();
        Trace t = OpHarness.graph(pool, 1, ties).run().record().forward(Map.of("in0", ties));
        assertArrayEquals(new float[] {3}, t.output("out0").data());
        assertArrayEquals(new float[] {2, 0, 0, 0}, t.gradient("out0", Tensor.full(2f, 1, 1, 1, 1), "in0").data());
        // Ceil mode keeps a partial last window but drops one that would start in the end padding:
        // in 5, kernel 2, stride 2, pads 1/1 -> windows start at -1, 1, 3 (not 5).
        Tensor row = Tensor.of(new float[] {1, 5, 2, 4, 3}, 1, 1, 5);
        Tensor[] ceil = OpHarness.runAll(MaxPool.builder().kernelShape(2).strides(2).pads(1, 1).ceilMode(true).build(),
                2, OpHarness.JAVA, false, row);
        assertArrayEquals(new float[] {1, 5, 4}, ceil[0].data());
        assertArrayEquals(new float[] {0, 1, 3}, ceil[1].data());
    }

    @Test
    void autoPadMatchesExplicitPads() {
        SplittableRandom r = new SplittableRandom(11);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 3, 6, 7);
        // kernel 3, stride 2: H 6 -> out 3, total pad 1; W 7 -> out 4, total pad 2.
        MaxPool upper = MaxPool.builder().kernelShape(3, 3).strides(2, 2).autoPad(AutoPad.SAME_UPPER).build();
        MaxPool lower = MaxPool.builder().kernelShape(3, 3).strides(2, 2).autoPad(AutoPad.SAME_LOWER).build();
        MaxPool valid = MaxPool.builder().kernelShape(3, 3).strides(2, 2).autoPad(AutoPad.VALID).pads(1, 1, 1, 1).build();
        assertClose(OpHarness.run(MaxPool.builder().kernelShape(3, 3).strides(2, 2).pads(0, 1, 1, 1).build(), x),
                OpHarness.run(upper, x), 0, 0, "SAME_UPPER");
        assertClose(OpHarness.run(MaxPool.builder().kernelShape(3, 3).strides(2, 2).pads(1, 1, 0, 1).build(), x),
                OpHarness.run(lower, x), 0, 0, "SAME_LOWER");
        assertTrue(OpHarness.run(upper, x).hasShape(2, 3, 3, 4));
        assertTrue(OpHarness.run(valid, x).hasShape(2, 3, 2, 3), "VALID overrides explicit pads");
    }

    @Test
    void kernelsAgreeOnLargerInput() {
        SplittableRandom r = new SplittableRandom(13);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 16, 30, 30);
        OpHarness.assertKernelsAgree(MaxPool.of(2, 2), 2, x);
        OpHarness.assertKernelsAgree(MaxPool.builder().kernelShape(3, 3).strides(2, 2).pads(1, 1, 1, 1).ceilMode(true)
                .build(), 2, x);
    }

    @Test
    void retainsOnlyTheArgmax() {
        MaxPool pool = MaxPool.of(2, 2);
        assertFalse(pool.retainsInput(0));
        assertFalse(pool.retainsOutput(0));
        Tensor x = NaivePooling.distinct(new SplittableRandom(1), 1, 2, 4, 4);
        Trace t = OpHarness.graph(pool, 1, x).run().record().forward(Map.of("in0", x));
        assertEquals(1, t.memory().heldTensors(), "only the output stays held after the forward pass");
        Tensor gx = t.gradients(Map.of("out0", Tensor.full(1f, 1, 2, 2, 2)), List.of("in0")).get("in0");
        float sum = 0;
        for (float v : gx.data()) {
            sum += v;
        }
        assertEquals(8f, sum);
    }

    @Test
    void describesItself() {
        MaxPool pool = MaxPool.builder().kernelShape(3, 3).strides(2, 2).pads(1, 1, 1, 1).ceilMode(true).build();
        assertEquals("MaxPool", pool.type());
        assertEquals(OpCategory.POOLING, pool.category());
        assertArrayEquals(new int[] {3, 3}, (int[]) pool.attributes().get("kernel_shape"));
        assertEquals(1, pool.attributes().get("ceil_mode"));
        assertEquals(0, pool.attributes().get("storage_order"));
        assertEquals("MaxPool(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, storage_order=0)",
                pool.toString());
    }

    @Test
    void badAttributesAndShapesAreRejectedWithClearMessages() {
        assertMessage(() -> MaxPool.builder().build(), "MaxPool needs kernel_shape");
        assertMessage(() -> MaxPool.builder().kernelShape(2, 2, 2).build(), "1 or 2 entries");
        assertMessage(() -> MaxPool.builder().kernelShape(0, 2).build(), "kernel_shape must all be >= 1");
        assertMessage(() -> MaxPool.builder().kernelShape(2, 2).strides(2).build(), "strides must have 2 entries");
        assertMessage(() -> MaxPool.builder().kernelShape(2, 2).strides(0, 1).build(), "strides must all be >= 1");
        assertMessage(() -> MaxPool.builder().kernelShape(2, 2).pads(1, 1).build(), "pads (all beginnings, then all ends) must have 4");
        assertMessage(() -> MaxPool.builder().kernelShape(2, 2).pads(0, 0, -1, 0).build(), "pads must be >= 0");
        assertMessage(() -> MaxPool.builder().kernelShape(2, 2).dilations(1, 0).build(), "dilations must all be >= 1");
        assertMessage(() -> MaxPool.builder().kernelShape(2, 2).storageOrder(2).build(), "storage_order must be 0");
        assertMessage(() -> OpHarness.run(MaxPool.of(2, 2), Tensor.zeros(1, 2, 5)), "needs a 4-D input [N, C, H, W]");
        assertMessage(() -> OpHarness.run(MaxPool.of(5, 1), Tensor.zeros(1, 2, 4, 4)), "empty output");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), () -> "message '" + ex.getMessage() + "' should contain '" + part + "'");
    }
}
