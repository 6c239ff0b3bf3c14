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
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Sub, Mul, Div, Pow and PRelu: forward and VJP against naive broadcasting references in double on
 * random and hand-picked broadcast shapes, finite differences, hand-computed cases (including Pow's
 * conventions at 0⁰ and non-positive bases) and validation.
 */
class BinaryOpsTest {

    /** f(a, b) and its partial derivatives, in double. */
    interface Fn {
        double f(double a, double b);

        double da(double a, double b);

        double db(double a, double b);
    }

    /** An op with its reference and its input generators. */
    record Case(Op op, Fn fn, BiFunction<SplittableRandom, int[], Tensor> genA,
                BiFunction<SplittableRandom, int[], Tensor> genB, boolean unidirectional) {
    }

    static Tensor normal(SplittableRandom r, int[] s) {
        return Tensor.randomNormal(r, 1f, s);
    }

    static Tensor awayFromZero(SplittableRandom r, int[] s) {
        return OpHarness.awayFrom(r, 0.3f, new float[] {0f}, s);
    }

    static Tensor positive(SplittableRandom r, int[] s) {
        return Tensor.randomUniform(r, 0.2f, 3f, s);
    }

    static List<Case> cases() {
        return List.of(
            new Case(new Sub(), new Fn() {
                public double f(double a, double b) {
                    return a - b;
                }

                public double da(double a, double b) {
                    return 1;
                }

                public double db(double a, double b) {
                    return -1;
                }
            }, BinaryOpsTest::normal, BinaryOpsTest::normal, false),
            new Case(new Mul(), new Fn() {
                public double f(double a, double b) {
                    return a * b;
                }

                public double da(double a, double b) {
                    return b;
                }

                public double db(double a, double b) {
                    return a;
                }
            }, BinaryOpsTest::normal, BinaryOpsTest::normal, false),
            new Case(new Div(), new Fn() {
                public double f(double a, double b) {
                    return a / b;
                }

                public double da(double a, double b) {
                    return 1 / b;
                }

                public double db(double a, double b) {
                    return -a / (b * b);
                }
            }, BinaryOpsTest::normal, BinaryOpsTest::awayFromZero, false),
            new Case(new Pow(), new Fn() {
                public double f(double a, double b) {
                    return Math.exp(b * Math.log(a));
                }

                public double da(double a, double b) {
                    return b * Math.exp((b - 1) * Math.log(a));
                }

                public double db(double a, double b) {
                    return Math.exp(b * Math.log(a)) * Math.log(a);
                }
            }, BinaryOpsTest::positive, BinaryOpsTest::normal, false),
            new Case(new PRelu(), new Fn() {
                public double f(double x, double s) {
                    return x >= 0 ? x : s * x;
                }

                public double da(double x, double s) {
                    return x > 0 ? 1 : s;
                }

                public double db(double x, double s) {
                    return x > 0 ? 0 : x;
                }
            }, BinaryOpsTest::awayFromZero, (r, s) -> Tensor.randomUniform(r, -0.5f, 0.5f, s), true));
    }

    /** Hand-picked shape pairs: trailing alignment, scalars, rank differences, both sides stretched. */
    static final int[][][] SHAPE_PAIRS = {
        {{2, 3, 4, 5}, {3, 1, 1}}, {{2, 3, 4, 5}, {1}}, {{2, 3, 4, 5}, {}}, {{2, 3, 4, 5}, {5}},
        {{3, 1, 1}, {2, 3, 4, 5}}, {{}, {2, 3}}, {{}, {}}, {{5}, {5}}, {{4}, {3, 1}}, {{2, 1, 4}, {1, 3, 1}},
        {{1, 1}, {1}}, {{6, 1, 2}, {6, 7, 2}},
    };

    /** For PRelu the slope must broadcast to X: pairs (X, slope). */
    static final int[][][] PRELU_PAIRS = {
        {{2, 3, 4, 5}, {3, 1, 1}}, {{2, 3, 4, 5}, {1}}, {{2, 3, 4, 5}, {}}, {{2, 3, 4, 5}, {5}},
        {{2, 3}, {2, 3}}, {{4, 3}, {1, 3}}, {{3}, {1}},
    };

    static double[][] reference(Fn fn, Tensor a, Tensor b, Tensor g) {
        int[] out = broadcastShape(a.shape(), b.shape());
        int n = Shapes.size(out);
        double[] y = new double[n];
        double[] ga = new double[a.size()];
        double[] gb = new double[b.size()];
        for (int i = 0; i < n; i++) {
            int[] idx = unravel(i, out);
            int ia = broadcastSource(idx, a.shape());
            int ib = broadcastSource(idx, b.shape());
            double av = a.data()[ia];
            double bv = b.data()[ib];
            y[i] = fn.f(av, bv);
            if (g != null) {
                ga[ia] += g.data()[i] * fn.da(av, bv);
                gb[ib] += g.data()[i] * fn.db(av, bv);
            }
        }
        return new double[][] {y, ga, gb};
    }

    private static void check(Case c, Tensor a, Tensor b, SplittableRandom r) {
        int[] out = broadcastShape(a.shape(), b.shape());
        Tensor g = Tensor.randomNormal(r, 1f, out);
        double[][] ref = reference(c.fn(), a, b, g);
        String what = c.op() + " " + Shapes.toString(a.shape()) + " ∘ " + Shapes.toString(b.shape());
        assertAllClose(ref[0], out, OpHarness.run(c.op(), a, b), 1e-6, 1e-6, what + " forward");
        Tensor[] grads = OpTestSupport.vjp(c.op(), g, a, b);
        assertAllClose(ref[1], a.shape(), grads[0], 1e-5, 1e-5, what + " d/da");
        assertAllClose(ref[2], b.shape(), grads[1], 1e-5, 1e-5, what + " d/db");
    }

    @Test
    void handPickedBroadcastShapesMatchReference() {
        SplittableRandom r = new SplittableRandom(11);
        for (Case c : cases()) {
            for (int[][] p : c.unidirectional() ? PRELU_PAIRS : SHAPE_PAIRS) {
                check(c, c.genA().apply(r, p[0]), c.genB().apply(r, p[1]), r);
            }
        }
    }

    /**
     * Tensors large enough that a single merged row (same shapes, or a scalar operand) is split over
     * the parallel threads; with one thread the same code runs in one piece.
     */
    @Test
    void largeSingleRowOperandsMatchReference() {
        SplittableRandom r = new SplittableRandom(12);
        for (Case c : cases()) {
            int[] big = {3, 5, 71, 97};
            check(c, c.genA().apply(r, big), c.genB().apply(r, big), r);
            if (!c.unidirectional()) {
                check(c, c.genA().apply(r, big), c.genB().apply(r, new int[] {1}), r);
            }
        }
    }

    @Test
    void randomBroadcastShapesMatchReference() {
        RandomCases.forAll("binary forward and vjp = broadcasting reference", 40, 500, r -> {
            int[] out = OpTestSupport.randomShape(r, 0, 5, 4);
            for (Case c : cases()) {
                int[] sa = c.unidirectional() ? out : OpTestSupport.broadcastableTo(r, out);
                int[] sb = OpTestSupport.broadcastableTo(r, out);
                if (!c.unidirectional() && r.nextBoolean()) {
                    int[] t = sa;
                    sa = sb;
                    sb = t;
                }
                check(c, c.genA().apply(r, sa), c.genB().apply(r, sb), r);
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(12);
        for (Case c : cases()) {
            for (int[][] p : c.unidirectional() ? PRELU_PAIRS : SHAPE_PAIRS) {
                Tensor a = c.genA().apply(r, p[0]);
                Tensor b = c.genB().apply(r, p[1]);
                OpHarness.checkGradients(c.op(), OpHarness.gradCheck().seed(r.nextLong()).maxElements(24), a, b);
            }
        }
    }

    private static Tensor vec(float... v) {
        return Tensor.of(v, v.length);
    }

    @Test
    void handComputedValues() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = vec(10, 20, 30);
        assertAllClose(new double[] {-9, -18, -27, -6, -15, -24}, new int[] {2, 3}, OpHarness.run(new Sub(), a, b), 0, 0, "Sub");
        assertAllClose(new double[] {10, 40, 90, 40, 100, 180}, new int[] {2, 3}, OpHarness.run(new Mul(), a, b), 0, 0, "Mul");
        assertAllClose(new double[] {0.5, 1}, new int[] {2}, OpHarness.run(new Div(), vec(1, 3), vec(2, 3)), 0, 0, "Div");
        Tensor ones = Tensor.full(1f, 2, 3);
        Tensor[] g = OpTestSupport.vjp(new Sub(), ones, a, b);
        assertAllClose(new double[] {-2, -2, -2}, new int[] {3}, g[1], 0, 0, "Sub d/db summed over rows");
        g = OpTestSupport.vjp(new Mul(), ones, a, b);
        assertAllClose(new double[] {5, 7, 9}, new int[] {3}, g[1], 0, 0, "Mul d/db = column sums of a");
        g = OpTestSupport.vjp(new Div(), vec(1), vec(3), vec(2));
        assertAllClose(new double[] {0.5}, new int[] {1}, g[0], 1e-7, 0, "Div d/da");
        assertAllClose(new double[] {-0.75}, new int[] {1}, g[1], 1e-7, 0, "Div d/db");
        // Div by zero follows IEEE.
        Tensor q = OpHarness.run(new Div(), vec(1, -1, 0), vec(0, 0, 0));
        assertEquals(Float.POSITIVE_INFINITY, q.data()[0]);
        assertEquals(Float.NEGATIVE_INFINITY, q.data()[1]);
        assertTrue(Float.isNaN(q.data()[2]));
    }

    @Test
    void powConventions() {
        // 2³ = 8: d/da = 3·2² = 12, d/db = 8·ln 2.
        Tensor[] g = OpTestSupport.vjp(new Pow(), vec(1), vec(2), vec(3));
        assertAllClose(new double[] {8}, new int[] {1}, OpHarness.run(new Pow(), vec(2), vec(3)), 0, 0, "2^3");
        assertAllClose(new double[] {12}, new int[] {1}, g[0], 1e-7, 0, "d 2^3 / da");
        assertAllClose(new double[] {8 * Math.log(2)}, new int[] {1}, g[1], 1e-7, 0, "d 2^3 / db");
        // 0⁰ = 1 with both gradients 0 (PyTorch masks exponent == 0 for the base gradient).
        Tensor base = vec(0, 0, -2, -2, 0);
        Tensor exp = vec(0, 2, 2, 3, -1);
        Tensor y = OpHarness.run(new Pow(), base, exp);
        assertAllClose(new double[] {1, 0, 4, -8, Double.POSITIVE_INFINITY}, new int[] {5}, y, 0, 0, "Pow special bases");
        g = OpTestSupport.vjp(new Pow(), Tensor.full(1f, 5), base, exp);
        // d/da = b·a^(b−1): 0 (b = 0), 0, 2·(−2) = −4, 3·4 = 12, −1·0^−2 = −∞.
        assertAllClose(new double[] {0, 0, -4, 12, Double.NEGATIVE_INFINITY}, new int[] {5}, g[0], 0, 0, "Pow d/da");
        // d/db is defined as 0 wherever a ≤ 0 (PyTorch: 0 at a = 0, b ≥ 0; NaN for a < 0; −∞ at a = 0, b < 0).
        assertAllClose(new double[] {0, 0, 0, 0, 0}, new int[] {5}, g[1], 0, 0, "Pow d/db for a <= 0");
        // A negative base with a fractional exponent is NaN, as C's pow.
        assertTrue(Float.isNaN(OpHarness.run(new Pow(), vec(-2), vec(0.5f)).data()[0]));
    }

    @Test
    void preluHandComputed() {
        // X [1, 2, 2] (N, C, W) with per-channel slope [2, 1].
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4}, 1, 2, 2);
        Tensor s = Tensor.of(new float[] {0.1f, 0.5f}, 2, 1);
        assertAllClose(new double[] {-0.1f, 2, -1.5, 4}, new int[] {1, 2, 2}, OpHarness.run(new PRelu(), x, s), 1e-7, 0,
                "PRelu");
        Tensor[] g = OpTestSupport.vjp(new PRelu(), Tensor.full(1f, 1, 2, 2), x, s);
        assertAllClose(new double[] {0.1f, 1, 0.5, 1}, new int[] {1, 2, 2}, g[0], 1e-7, 0, "PRelu d/dx");
        assertAllClose(new double[] {-1, -3}, new int[] {2, 1}, g[1], 0, 0, "PRelu d/dslope");
        assertEquals(OpCategory.ACTIVATION, new PRelu().category());
    }

    @Test
    void typesCategoriesAndRetention() {
        for (Case c : cases()) {
            assertEquals(c.op().getClass().getSimpleName(), c.op().type());
            assertEquals(c.op().type(), c.op().toString());
            assertTrue(c.op().attributes().isEmpty());
        }
        assertEquals(OpCategory.ELEMENTWISE, new Sub().category());
        assertEquals(OpCategory.ELEMENTWISE, new Pow().category());
        assertTrue(!new Sub().retainsInput(0) && !new Sub().retainsInput(1), "Sub's VJP reads no tensors");
        assertTrue(new Mul().retainsInput(0) && new Mul().retainsInput(1));
    }

    @Test
    void badShapesAreRejectedWithClearMessages() {
        for (Op op : List.of(new Sub(), new Mul(), new Div(), new Pow())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> op.forward(null, Tensor.zeros(2, 3), Tensor.zeros(4)));
            assertTrue(e.getMessage().startsWith(op.type() + ": input shapes [2, 3] and [4] cannot be broadcast"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> OpHarness.run(op, Tensor.zeros(2)));
            assertTrue(e.getMessage().contains(op.type() + " takes 2 inputs"), e.getMessage());
        }
        // PRelu: the slope must not stretch X.
        for (int[][] bad : new int[][][] {{{3}, {2, 3}}, {{2, 3}, {2}}, {{2, 1}, {2, 3}}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OpHarness.run(new PRelu(), Tensor.zeros(bad[0]), Tensor.zeros(bad[1])));
            assertTrue(e.getMessage().contains("PRelu: slope of shape " + Shapes.toString(bad[1])
                    + " is not unidirectionally broadcastable to X of shape " + Shapes.toString(bad[0])), e.getMessage());
        }
    }
}
