package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpTestSupport.assertAllClose;
import static dev.netlens.core.ops.OpTestSupport.broadcastShape;
import static dev.netlens.core.ops.OpTestSupport.broadcastSource;
import static dev.netlens.core.ops.OpTestSupport.unravel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The variadic Max and Min: forward and VJP (split equally among tied inputs) against a naive
 * reference for 1–4 broadcast inputs, finite differences away from ties, hand-computed cases and
 * validation.
 */
class MaxMinTest {

    static double[][] reference(boolean max, Tensor[] xs, Tensor g) {
        int[][] shapes = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            shapes[i] = xs[i].shape();
        }
        int[] out = broadcastShape(shapes);
        int n = Shapes.size(out);
        double[][] res = new double[xs.length + 1][];
        res[0] = new double[n];
        for (int i = 0; i < xs.length; i++) {
            res[i + 1] = new double[xs[i].size()];
        }
        for (int o = 0; o < n; o++) {
            int[] idx = unravel(o, out);
            double best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            for (Tensor x : xs) {
                double v = x.data()[broadcastSource(idx, x.shape())];
                best = max ? Math.max(best, v) : Math.min(best, v);
            }
            res[0][o] = best;
            int ties = 0;
            for (Tensor x : xs) {
                if (x.data()[broadcastSource(idx, x.shape())] == best) {
                    ties++;
                }
            }
            for (int i = 0; i < xs.length; i++) {
                int src = broadcastSource(idx, xs[i].shape());
                if (xs[i].data()[src] == best) {
                    res[i + 1][src] += g.data()[o] / ties;
                }
            }
        }
        return res;
    }

    @Test
    void forwardAndVjpMatchReferenceWithTies() {
        RandomCases.forAll("Max/Min = reference (ties split equally)", 50, 700, r -> {
            int[] out = OpTestSupport.randomShape(r, 0, 4, 4);
            Tensor[] xs = new Tensor[RandomCases.between(r, 1, 4)];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = OpTestSupport.tieProne(r, OpTestSupport.broadcastableTo(r, out));
            }
            for (ExtremumOp op : List.of(new Max(), new Min())) {
                int[][] shapes = new int[xs.length][];
                for (int i = 0; i < xs.length; i++) {
                    shapes[i] = xs[i].shape();
                }
                int[] yShape = broadcastShape(shapes);
                Tensor g = Tensor.randomNormal(r, 1f, yShape);
                double[][] ref = reference(op instanceof Max, xs, g);
                assertAllClose(ref[0], yShape, OpHarness.run(op, xs), 0, 0, op + " forward");
                Tensor[] grads = OpTestSupport.vjp(op, g, xs);
                for (int i = 0; i < xs.length; i++) {
                    assertAllClose(ref[i + 1], xs[i].shape(), grads[i], 1e-6, 1e-6, op + " d/d input " + i);
                }
            }
        });
    }

    /** Values on a 0.2 grid shifted by 0.03·k for input k: never tied, never within 0.03. */
    static Tensor separated(SplittableRandom r, int k, int[] shape) {
        float[] d = new float[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.2f * RandomCases.between(r, -10, 10) + 0.03f * k;
        }
        return Tensor.of(d, shape);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RandomCases.forAll("Max/Min vjp = finite differences", 12, 800, r -> {
            int[] out = OpTestSupport.randomShape(r, 1, 3, 4);
            Tensor[] xs = new Tensor[RandomCases.between(r, 1, 4)];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = separated(r, i, OpTestSupport.broadcastableTo(r, out));
            }
            for (Op op : List.of(new Max(), new Min())) {
                OpHarness.checkGradients(op, OpHarness.gradCheck().eps(5e-3f).seed(r.nextLong()).maxElements(24), xs);
            }
        });
    }

    private static Tensor vec(float... v) {
        return Tensor.of(v, v.length);
    }

    @Test
    void handComputedValues() {
        Tensor a = vec(1, 3);
        Tensor b = vec(2, 3);
        assertAllClose(new double[] {2, 3}, new int[] {2}, OpHarness.run(new Max(), a, b), 0, 0, "Max");
        Tensor[] g = OpTestSupport.vjp(new Max(), vec(1, 1), a, b);
        assertAllClose(new double[] {0, 0.5}, new int[] {2}, g[0], 0, 0, "Max d/da (tie halves, as torch.maximum)");
        assertAllClose(new double[] {1, 0.5}, new int[] {2}, g[1], 0, 0, "Max d/db");
        g = OpTestSupport.vjp(new Min(), vec(3), vec(1), vec(1), vec(1));
        for (Tensor t : g) {
            assertEquals(1f, t.data()[0], 1e-7f, "three-way tie splits in thirds");
        }
        Tensor m = Tensor.of(new float[] {1, 5, 4, 2}, 2, 2);
        Tensor three = Tensor.scalar(3);
        assertAllClose(new double[] {3, 5, 4, 3}, new int[] {2, 2}, OpHarness.run(new Max(), m, three), 0, 0, "Max with scalar");
        assertAllClose(new double[] {1, 3, 3, 2}, new int[] {2, 2}, OpHarness.run(new Min(), m, three), 0, 0, "Min with scalar");
        g = OpTestSupport.vjp(new Max(), Tensor.full(1f, 2, 2), m, three);
        assertEquals(2f, g[1].item(), "the scalar wins twice");
        assertTrue(g[1].hasShape());
        // One input: the identity.
        Tensor x = vec(4, -1);
        assertAllClose(new double[] {4, -1}, new int[] {2}, OpHarness.run(new Min(), x), 0, 0, "Min of one input");
        assertAllClose(new double[] {2, 3}, new int[] {2}, OpTestSupport.vjp(new Min(), vec(2, 3), x)[0], 0, 0,
                "Min of one input: gradient passes");
        // NaN propagates.
        Tensor y = OpHarness.run(new Max(), vec(Float.NaN, 1), vec(0, Float.NaN));
        assertTrue(Float.isNaN(y.data()[0]) && Float.isNaN(y.data()[1]));
    }

    @Test
    void attributesAndValidation() {
        assertEquals("Max", new Max().type());
        assertEquals("Min", new Min().toString());
        assertEquals(OpCategory.ELEMENTWISE, new Max().category());
        assertTrue(new Max().attributes().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Max().forward(null));
        assertTrue(e.getMessage().contains("Max takes 1 or more inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(new Min(), Tensor.zeros(2, 3), Tensor.zeros(3), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("Min: input shapes [2, 3], [3], [2] cannot be broadcast together"),
                e.getMessage());
    }
}
