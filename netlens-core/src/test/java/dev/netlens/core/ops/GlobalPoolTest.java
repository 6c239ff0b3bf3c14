package dev.netlens.core.ops;

import static dev.netlens.core.ops.MaxPoolTest.assertMessage;
import static dev.netlens.core.ops.OpHarness.BOTH;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static dev.netlens.core.ops.RandomCases.between;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GlobalAveragePool and GlobalMaxPool over 1 to 3 spatial axes. */
class GlobalPoolTest {

    private static int[] randomShape(SplittableRandom r) {
        int spatial = between(r, 1, 3);
        int[] shape = new int[2 + spatial];
        shape[0] = between(r, 1, 3);
        shape[1] = between(r, 1, 4);
        for (int i = 0; i < spatial; i++) {
            shape[2 + i] = between(r, 1, 6);
        }
        return shape;
    }

    /** Mean or max of each (n, c) plane in double; a maximum's ties go to the first. */
    private static Tensor reference(Tensor x, boolean max) {
        int[] s = x.shape();
        int planes = s[0] * s[1];
        int area = Shapes.size(s, 2, s.length);
        int[] out = s.clone();
        for (int i = 2; i < out.length; i++) {
            out[i] = 1;
        }
        Tensor y = Tensor.zeros(out);
        for (int p = 0; p < planes; p++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int i = 0; i < area; i++) {
                double v = x.data()[p * area + i];
                acc = max ? Math.max(acc, v) : acc + v;
            }
            y.data()[p] = (float) (max ? acc : acc / area);
        }
        return y;
    }

    @Test
    void forwardMatchesNaiveReference() {
        RandomCases.forAll("global pools = naive reference", 40, 6000, r -> {
            Tensor x = Tensor.randomNormal(r, 1f, randomShape(r));
            for (Kernels k : BOTH) {
                assertClose(reference(x, false), OpHarness.run(new GlobalAveragePool(), k, x), 1e-5, 1e-6, "GAP " + k.name());
                assertClose(reference(x, true), OpHarness.run(new GlobalMaxPool(), k, x), 0, 0, "GMP " + k.name());
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RandomCases.forAll("global pools VJP = finite differences", 10, 7000, r -> {
            int[] shape = randomShape(r);
            Tensor x = NaivePooling.distinct(r, shape);
            for (Kernels k : BOTH) {
                OpHarness.checkGradients(new GlobalAveragePool(), OpHarness.gradCheck().kernels(k), x);
                OpHarness.checkGradients(new GlobalMaxPool(), OpHarness.gradCheck().kernels(k), x);
            }
        });
    }

    @Test
    void handComputedCasesAndTies() {
        Tensor x = Tensor.of(new float[] {3, 1, 3, 2, -1, -4, -2, -1}, 2, 1, 2, 2);
        assertArrayEquals(new float[] {2.25f, -2}, OpHarness.run(new GlobalAveragePool(), x).data());
        assertArrayEquals(new float[] {3, -1}, OpHarness.run(new GlobalMaxPool(), x).data());
        Trace t = OpHarness.graph(new GlobalMaxPool(), 1, x).run().record().forward(Map.of("in0", x));
        Tensor gx = t.gradient("out0", Tensor.of(new float[] {5, 7}, 2, 1, 1, 1), "in0");
        // First maximum wins: element 0 (not 2) of the first plane, element 4 (not 7) of the second.
        assertArrayEquals(new float[] {5, 0, 0, 0, 7, 0, 0, 0}, gx.data());
        Trace a = OpHarness.graph(new GlobalAveragePool(), 1, x).run().record().forward(Map.of("in0", x));
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2},
                a.gradient("out0", Tensor.of(new float[] {4, 8}, 2, 1, 1, 1), "in0").data());
    }

    @Test
    void kernelsAgreeRetentionAndDescription() {
        Tensor x = Tensor.randomNormal(new SplittableRandom(19), 1f, 2, 32, 14, 14);
        OpHarness.assertKernelsAgree(new GlobalAveragePool(), 1, x);
        OpHarness.assertKernelsAgree(new GlobalMaxPool(), 1, x);
        for (Op op : new Op[] {new GlobalAveragePool(), new GlobalMaxPool()}) {
            assertEquals(OpCategory.POOLING, op.category());
            assertFalse(op.retainsInput(0));
            assertEquals(op.type() + "()", op.toString());
            Trace t = OpHarness.graph(op, 1, x).run().record().forward(Map.of("in0", x));
            assertEquals(1, t.memory().heldTensors(), op + " holds only its output");
        }
        assertEquals("GlobalAveragePool", new GlobalAveragePool().type());
        assertEquals("GlobalMaxPool", new GlobalMaxPool().type());
    }

    @Test
    void badShapesAreRejectedWithClearMessages() {
        assertMessage(() -> OpHarness.run(new GlobalAveragePool(), Tensor.zeros(2, 3)), "GlobalAveragePool needs an input");
        assertMessage(() -> OpHarness.run(new GlobalMaxPool(), Tensor.zeros(2, 3)), "at least one spatial axis");
        assertMessage(() -> OpHarness.run(new GlobalMaxPool(), Tensor.zeros(2, 3, 0)), "non-empty spatial axes");
    }
}
