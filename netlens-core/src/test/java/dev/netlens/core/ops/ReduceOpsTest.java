package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpTestSupport.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ReduceSum, ReduceMean, ReduceMax and ReduceMin: forward and VJP against a naive reference for
 * random shapes and axis sets (negative axes, keepdims, noop_with_empty_axes), ties, finite
 * differences, hand-computed values, determinism and validation.
 */
class ReduceOpsTest {

    enum Kind { SUM, MEAN, MAX, MIN }

    static ReduceOp make(Kind k, int[] axes, boolean keepdims, boolean noop) {
        return switch (k) {
            case SUM -> ReduceSum.of(axes, keepdims, noop);
            case MEAN -> ReduceMean.of(axes, keepdims, noop);
            case MAX -> ReduceMax.of(axes, keepdims, noop);
            case MIN -> ReduceMin.of(axes, keepdims, noop);
        };
    }

    /** Reference: {output shape, y, gx}, by mapping every input index to its output index. */
    static Object[] reference(Kind k, Tensor x, Tensor g, int[] axes, boolean keepdims, boolean noop) {
        int[] in = x.shape();
        int rank = in.length;
        boolean[] red = new boolean[rank];
        boolean identity = false;
        if (axes == null || axes.length == 0) {
            if (noop) {
                identity = true;
            } else {
                Arrays.fill(red, true);
            }
        } else {
            for (int a : axes) {
                red[(a + rank) % rank] = true;
            }
        }
        List<Integer> outDims = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (!red[d]) {
                outDims.add(in[d]);
            } else if (keepdims || identity) {
                outDims.add(1);
            }
        }
        int[] out = outDims.stream().mapToInt(Integer::intValue).toArray();
        int[] compact = new int[rank];
        for (int d = 0; d < rank; d++) {
            compact[d] = red[d] ? 1 : in[d];
        }
        int ny = Shapes.size(compact);
        int[] map = new int[x.size()];
        for (int i = 0; i < x.size(); i++) {
            int[] idx = OpTestSupport.unravel(i, in);
            int o = 0;
            for (int d = 0; d < rank; d++) {
                o = o * compact[d] + (red[d] ? 0 : idx[d]);
            }
            map[i] = o;
        }
        double[] y = new double[ny];
        int[] count = new int[ny];
        if (k == Kind.MAX || k == Kind.MIN) {
            Arrays.fill(y, k == Kind.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        for (int i = 0; i < x.size(); i++) {
            double v = x.data()[i];
            int o = map[i];
            count[o]++;
            y[o] = switch (k) {
                case SUM, MEAN -> y[o] + v;
                case MAX -> Math.max(y[o], v);
                case MIN -> Math.min(y[o], v);
            };
        }
        if (k == Kind.MEAN) {
            for (int o = 0; o < ny; o++) {
                y[o] /= count[o];
            }
        }
        double[] gx = new double[x.size()];
        if (g != null) {
            int[] ties = new int[ny];
            for (int i = 0; i < x.size(); i++) {
                if (x.data()[i] == y[map[i]]) {
                    ties[map[i]]++;
                }
            }
            for (int i = 0; i < x.size(); i++) {
                int o = map[i];
                double go = g.data()[o];
                gx[i] = switch (k) {
                    case SUM -> go;
                    case MEAN -> go / count[o];
                    case MAX, MIN -> x.data()[i] == y[o] ? go / ties[o] : 0;
                };
            }
        }
        return new Object[] {out, y, gx};
    }

    /** A random set of distinct axes, each written in its positive or negative form. */
    static int[] randomAxes(SplittableRandom r, int rank) {
        List<Integer> axes = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (r.nextInt(2) == 0) {
                axes.add(r.nextBoolean() ? d : d - rank);
            }
        }
        java.util.Collections.shuffle(axes, new java.util.Random(r.nextLong()));
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void check(Kind k, Tensor x, int[] axes, boolean keepdims, boolean noop, SplittableRandom r) {
        ReduceOp op = make(k, axes, keepdims, noop);
        Object[] ref = reference(k, x, null, axes, keepdims, noop);
        int[] out = (int[]) ref[0];
        Tensor g = Tensor.randomNormal(r, 1f, out);
        ref = reference(k, x, g, axes, keepdims, noop);
        String what = op + " on " + Shapes.toString(x.shape());
        Tensor y = OpHarness.run(op, x);
        assertAllClose((double[]) ref[1], out, y, 1e-6, 1e-6, what + " forward");
        assertAllClose((double[]) ref[2], x.shape(), OpTestSupport.vjp(op, g, x)[0], 1e-6, 1e-7, what + " vjp");
    }

    @Test
    void randomShapesAndAxesMatchReference() {
        RandomCases.forAll("reductions = reference", 50, 1100, r -> {
            int[] shape = OpTestSupport.randomShape(r, 0, 4, 4);
            int[] axes = r.nextInt(5) == 0 ? (r.nextBoolean() ? null : new int[0]) : randomAxes(r, shape.length);
            boolean keepdims = r.nextBoolean();
            boolean noop = r.nextInt(3) == 0;
            Tensor normal = Tensor.randomNormal(r, 1f, shape);
            Tensor ties = OpTestSupport.tieProne(r, shape);
            for (Kind k : Kind.values()) {
                check(k, normal, axes, keepdims, noop, r);
                check(k, ties, axes, keepdims, noop, r);
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RandomCases.forAll("reduction vjp = finite differences", 8, 1200, r -> {
            int[] shape = OpTestSupport.randomShape(r, 1, 4, 4);
            int[] axes = randomAxes(r, shape.length);
            boolean keepdims = r.nextBoolean();
            Tensor x = OpTestSupport.distinct(r, 0.05f, shape);
            for (Kind k : Kind.values()) {
                OpHarness.checkGradients(make(k, axes, keepdims, false),
                        OpHarness.gradCheck().eps(1e-2f).seed(r.nextLong()).maxElements(24), x);
            }
        });
    }

    @Test
    void handComputedValues() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertAllClose(new double[] {5, 7, 9}, new int[] {1, 3}, OpHarness.run(ReduceSum.over(0), x), 0, 0, "sum axis 0");
        assertAllClose(new double[] {2, 5}, new int[] {2}, OpHarness.run(ReduceMean.of(new int[] {-1}, false, false), x), 0, 0,
                "mean last axis, dropped");
        assertAllClose(new double[] {6}, new int[] {1, 1}, OpHarness.run(ReduceMax.all(), x), 0, 0, "max of all");
        assertAllClose(new double[] {1}, new int[] {}, OpHarness.run(ReduceMin.of(null, false, false), x), 0, 0, "min to scalar");
        assertAllClose(new double[] {21}, new int[] {1, 1}, OpHarness.run(ReduceSum.over(), x), 0, 0, "empty axes = all");
        assertAllClose(new double[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, OpHarness.run(ReduceSum.of(new int[0], true, true), x),
                0, 0, "noop_with_empty_axes");
        // Gradients: mean spreads 1/n; max splits among ties.
        assertAllClose(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, new int[] {2, 3},
                OpTestSupport.vjp(ReduceMean.over(0), Tensor.full(1f, 1, 3), x)[0], 0, 0, "mean vjp");
        Tensor t = Tensor.of(new float[] {3, 1, 3, 2, 2, 2}, 2, 3);
        assertAllClose(new double[] {3, 2}, new int[] {2, 1}, OpHarness.run(ReduceMax.over(1), t), 0, 0, "max with ties");
        assertAllClose(new double[] {0.5, 0, 0.5, 1 / 3.0, 1 / 3.0, 1 / 3.0}, new int[] {2, 3},
                OpTestSupport.vjp(ReduceMax.over(1), Tensor.full(1f, 2, 1), t)[0], 1e-7, 0, "max vjp with ties");
        assertAllClose(new double[] {0, 1, 0, 0, 0, 0}, new int[] {2, 3},
                OpTestSupport.vjp(ReduceMin.all(), Tensor.full(1f, 1, 1), t)[0], 0, 0, "min vjp, unique arg-min");
        // Global average pooling: ReduceMean over H, W of NCHW.
        Tensor img = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        assertAllClose(new double[] {2.5, 25}, new int[] {1, 2, 1, 1}, OpHarness.run(ReduceMean.over(2, 3), img), 0, 0, "GAP");
        // NaN propagates through max; empty reductions.
        assertTrue(Float.isNaN(OpHarness.run(ReduceMax.all(), Tensor.of(new float[] {1, Float.NaN, 2}, 3)).item()));
        assertEquals(0f, OpHarness.run(ReduceSum.over(1), Tensor.zeros(2, 0)).data()[0]);
        assertTrue(Float.isNaN(OpHarness.run(ReduceMean.over(1), Tensor.zeros(2, 0)).data()[0]));
        assertEquals(Float.NEGATIVE_INFINITY, OpHarness.run(ReduceMax.over(1), Tensor.zeros(2, 0)).data()[0]);
    }

    @Test
    void largeReductionIsAccurateAndDeterministic() {
        SplittableRandom r = new SplittableRandom(8);
        Tensor x = Tensor.randomUniform(r, 0f, 1f, 4, 300_000);
        Tensor a = OpHarness.run(ReduceSum.over(1), x);
        Tensor b = OpHarness.run(ReduceSum.over(1), x);
        OpHarness.assertBitIdentical(a, b, "ReduceSum twice");
        Object[] ref = reference(Kind.SUM, x, null, new int[] {1}, true, false);
        assertAllClose((double[]) ref[1], new int[] {4, 1}, a, 1e-7, 0, "double accumulation");
        Tensor m = OpHarness.run(ReduceMean.over(0), x);
        assertAllClose((double[]) reference(Kind.MEAN, x, null, new int[] {0}, true, false)[1], new int[] {1, 300_000}, m,
                1e-6, 0, "mean over the outer axis");
    }

    @Test
    void attributesAndToString() {
        ReduceMean op = ReduceMean.of(new int[] {2, 3}, false, false);
        assertArrayEquals(new int[] {2, 3}, (int[]) op.attributes().get("axes"));
        assertEquals(0, op.attributes().get("keepdims"));
        assertEquals(0, op.attributes().get("noop_with_empty_axes"));
        assertFalse(ReduceSum.all().attributes().containsKey("axes"));
        assertEquals(1, ReduceSum.all().attributes().get("keepdims"));
        assertEquals("ReduceMean{axes=[2, 3], keepdims=0}", op.toString());
        assertEquals("ReduceSum{axes=all, keepdims=1}", ReduceSum.all().toString());
        assertEquals("ReduceMax{axes=[], keepdims=1, noop_with_empty_axes=1}",
                ReduceMax.of(new int[0], true, true).toString());
        for (ReduceOp r : List.of(ReduceSum.all(), ReduceMean.all(), ReduceMax.all(), ReduceMin.all())) {
            assertEquals(OpCategory.REDUCTION, r.category());
            assertEquals(r.getClass().getSimpleName(), r.type());
        }
        assertFalse(ReduceSum.all().retainsInput(0), "sum needs only shapes");
        assertFalse(ReduceMean.all().retainsInput(0), "mean needs only shapes");
        assertTrue(ReduceMax.all().retainsInput(0) && ReduceMax.all().retainsOutput(0));
    }

    @Test
    void badAxesAreRejectedWithClearMessages() {
        Tensor x = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(ReduceSum.over(2), x));
        assertTrue(e.getMessage().contains("ReduceSum: axis 2 is out of range for input of shape [2, 3] (valid: -2 … 1)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpHarness.run(ReduceMax.over(1, -1), x));
        assertTrue(e.getMessage().contains("ReduceMax: axes [1, -1] name axis 1 more than once"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpHarness.run(ReduceMean.over(0), Tensor.scalar(1)));
        assertTrue(e.getMessage().contains("a scalar has no axes"), e.getMessage());
    }
}
