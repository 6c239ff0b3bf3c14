package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpTestSupport.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Softmax and LogSoftmax in both axis semantics (opset ≥ 13 along one axis; opset &lt; 13 coerced
 * to 2-D): forward and VJP against a reference that gathers each line by multi-index arithmetic,
 * finite differences, stability with huge inputs, hand-computed values and validation.
 */
class SoftmaxTest {

    /**
     * Reference: the lines are the sets of elements that agree on every dimension outside
     * [axis, axisEnd). Returns {y, gx} for upstream gradient g (log = LogSoftmax).
     */
    static double[][] reference(Tensor x, Tensor g, int axis, int axisEnd, boolean log) {
        int[] shape = x.shape();
        int n = x.size();
        double[] y = new double[n];
        double[] gx = new double[n];
        boolean[] done = new boolean[n];
        for (int start = 0; start < n; start++) {
            if (done[start]) {
                continue;
            }
            int[] key = OpTestSupport.unravel(start, shape);
            // Collect the line through 'start'.
            int[] members = new int[n];
            int m = 0;
            for (int j = 0; j < n; j++) {
                int[] idx = OpTestSupport.unravel(j, shape);
                boolean same = true;
                for (int d = 0; d < shape.length; d++) {
                    if ((d < axis || d >= axisEnd) && idx[d] != key[d]) {
                        same = false;
                        break;
                    }
                }
                if (same) {
                    members[m++] = j;
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < m; k++) {
                max = Math.max(max, x.data()[members[k]]);
            }
            double sum = 0;
            for (int k = 0; k < m; k++) {
                sum += Math.exp(x.data()[members[k]] - max);
            }
            double dot = 0;
            double gsum = 0;
            for (int k = 0; k < m; k++) {
                int j = members[k];
                double p = Math.exp(x.data()[j] - max) / sum;
                y[j] = log ? x.data()[j] - max - Math.log(sum) : p;
                dot += g.data()[j] * p;
                gsum += g.data()[j];
                done[j] = true;
            }
            for (int k = 0; k < m; k++) {
                int j = members[k];
                double p = Math.exp(x.data()[j] - max) / sum;
                gx[j] = log ? g.data()[j] - p * gsum : p * (g.data()[j] - dot);
            }
        }
        return new double[][] {y, gx};
    }

    private static void check(SoftmaxFamilyOp op, Tensor x, SplittableRandom r) {
        int rank = x.rank();
        int a = op.axis() < 0 ? op.axis() + rank : op.axis();
        int end = op.legacyCoerced() ? rank : a + 1;
        Tensor g = Tensor.randomNormal(r, 1f, x.shape());
        double[][] ref = reference(x, g, a, end, op instanceof LogSoftmax);
        String what = op + " on " + Shapes.toString(x.shape());
        assertAllClose(ref[0], x.shape(), OpHarness.run(op, x), 1e-6, 1e-7, what + " forward");
        assertAllClose(ref[1], x.shape(), OpTestSupport.vjp(op, g, x)[0], 1e-5, 1e-6, what + " vjp");
    }

    @Test
    void randomShapesAndAxesMatchReference() {
        RandomCases.forAll("softmax family = reference", 40, 900, r -> {
            int[] shape = OpTestSupport.randomShape(r, 1, 4, 5);
            int rank = shape.length;
            Tensor x = Tensor.randomNormal(r, 3f, shape);
            int axis = RandomCases.between(r, -rank, rank - 1);
            int legacyAxis = RandomCases.between(r, -rank, rank);
            check(Softmax.along(axis), x, r);
            check(LogSoftmax.along(axis), x, r);
            check(Softmax.legacyCoerced(legacyAxis), x, r);
            check(LogSoftmax.legacyCoerced(legacyAxis), x, r);
        });
    }

    @Test
    void defaults() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 3, 4);
        assertEquals(-1, new Softmax().axis());
        assertFalse(new Softmax().legacyCoerced());
        check(new Softmax(), x, r);
        check(new LogSoftmax(), x, r);
        check(Softmax.legacyCoerced(1), x, r);
        // Softmax over a 2-D input: both semantics agree for axis 1.
        Tensor m = Tensor.randomNormal(r, 1f, 3, 5);
        OpHarness.assertBitIdentical(OpHarness.run(Softmax.along(1), m), OpHarness.run(Softmax.legacyCoerced(1), m),
                "2-D softmax in both modes");
    }

    @Test
    void largeInputsUseTheParallelPathWithIdenticalResults() {
        SplittableRandom r = new SplittableRandom(6);
        int rows = 64;
        int n = 1000;
        Tensor x = Tensor.randomNormal(r, 2f, rows, n);
        Tensor g = Tensor.randomNormal(r, 1f, rows, n);
        for (SoftmaxFamilyOp op : new SoftmaxFamilyOp[] {Softmax.along(1), LogSoftmax.along(-1), Softmax.legacyCoerced(1)}) {
            Tensor y = OpHarness.run(op, x);
            Tensor gx = OpTestSupport.vjp(op, g, x)[0];
            for (int row = 0; row < rows; row++) {
                Tensor xr = Tensor.of(java.util.Arrays.copyOfRange(x.data(), row * n, row * n + n), 1, n);
                Tensor gr = Tensor.of(java.util.Arrays.copyOfRange(g.data(), row * n, row * n + n), 1, n);
                float[] yr = OpHarness.run(op, xr).data();
                float[] gxr = OpTestSupport.vjp(op, gr, xr)[0].data();
                for (int j = 0; j < n; j++) {
                    if (yr[j] != y.data()[row * n + j] || gxr[j] != gx.data()[row * n + j]) {
                        throw new AssertionError(op + ": row " + row + " element " + j + " differs from the serial run");
                    }
                }
            }
        }
        // Along axis 0 the lines are strided; compare with the transposed problem.
        Tensor xt = Tensor.zeros(n, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                xt.data()[j * rows + i] = x.data()[i * n + j];
            }
        }
        Tensor yt = OpHarness.run(Softmax.along(0), xt);
        Tensor y = OpHarness.run(Softmax.along(1), x);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(y.data()[i * n + j], yt.data()[j * rows + i], 0f);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(4);
        Tensor x = Tensor.randomNormal(r, 1.5f, 2, 3, 4);
        for (int axis = -3; axis < 3; axis++) {
            OpHarness.checkGradients(Softmax.along(axis), OpHarness.gradCheck().seed(axis + 10), x);
            OpHarness.checkGradients(LogSoftmax.along(axis), OpHarness.gradCheck().seed(axis + 20), x);
        }
        for (int axis = 0; axis <= 3; axis++) {
            OpHarness.checkGradients(Softmax.legacyCoerced(axis), OpHarness.gradCheck().seed(axis + 30), x);
            OpHarness.checkGradients(LogSoftmax.legacyCoerced(axis), OpHarness.gradCheck().seed(axis + 40), x);
        }
    }

    @Test
    void handComputedAndStable() {
        Tensor x = Tensor.of(new float[] {0, (float) Math.log(3)}, 1, 2);
        assertAllClose(new double[] {0.25, 0.75}, new int[] {1, 2}, OpHarness.run(new Softmax(), x), 1e-7, 0, "softmax");
        assertAllClose(new double[] {Math.log(0.25), Math.log(0.75)}, new int[] {1, 2}, OpHarness.run(new LogSoftmax(), x),
                1e-7, 0, "log-softmax");
        // Huge logits: subtracting the maximum avoids overflow.
        Tensor big = Tensor.of(new float[] {1000, 1000, -1000}, 3);
        assertAllClose(new double[] {0.5, 0.5, 0}, new int[] {3}, OpHarness.run(new Softmax(), big), 1e-7, 0, "stable");
        assertAllClose(new double[] {-Math.log(2), -Math.log(2), -2000 - Math.log(2)}, new int[] {3},
                OpHarness.run(new LogSoftmax(), big), 1e-7, 0, "stable log");
        // Softmax VJP of a uniform upstream gradient is zero; LogSoftmax VJP of e_0 is e_0 − p.
        Tensor p = OpHarness.run(new Softmax(), x);
        assertAllClose(new double[] {0, 0}, new int[] {1, 2}, OpTestSupport.vjp(new Softmax(), Tensor.full(1f, 1, 2), x)[0],
                0, 1e-7, "softmax vjp of ones");
        assertAllClose(new double[] {1 - p.data()[0], -p.data()[1]}, new int[] {1, 2},
                OpTestSupport.vjp(new LogSoftmax(), Tensor.of(new float[] {1, 0}, 1, 2), x)[0], 1e-6, 0, "logsoftmax vjp");
        // Legacy axis = rank: every line has one element.
        assertAllClose(new double[] {1, 1}, new int[] {1, 2}, OpHarness.run(Softmax.legacyCoerced(2), x), 0, 0,
                "legacy axis = rank");
    }

    @Test
    void attributesAndValidation() {
        assertEquals(Map.of("axis", 1), Softmax.along(1).attributes());
        assertEquals(Map.of("axis", 1), LogSoftmax.legacyCoerced(1).attributes());
        assertEquals("Softmax{axis=-1}", new Softmax().toString());
        assertEquals("LogSoftmax{axis=1, coerced to 2-D (opset < 13)}", LogSoftmax.legacyCoerced(1).toString());
        assertEquals(OpCategory.NORMALIZATION, new Softmax().category());
        assertEquals("LogSoftmax", new LogSoftmax().type());
        assertFalse(new Softmax().retainsInput(0));
        assertTrue(new LogSoftmax().retainsOutput(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(Softmax.along(3), Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("Softmax: axis 3 is out of range for input of shape [2, 3, 4] (valid: -3 … 2)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(LogSoftmax.legacyCoerced(-4), Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("(valid: -3 … 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpHarness.run(new Softmax(), Tensor.scalar(1)));
        assertTrue(e.getMessage().contains("Softmax: input must have rank >= 1"), e.getMessage());
    }
}
