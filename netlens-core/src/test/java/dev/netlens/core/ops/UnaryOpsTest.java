package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpTestSupport.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The element-wise unary ops: forward against double references written here, VJP against the
 * analytic derivative and against central finite differences, hand-computed cases, attributes,
 * categories, retention and validation.
 */
class UnaryOpsTest {

    /** How inputs are drawn: scaled normals nudged away from kinks, or positive, or away from 0. */
    enum Domain { ANY, POSITIVE, NONZERO }

    /** One op configuration with its reference f and f′ (in double) and where its kinks are. */
    record Case(Op op, DoubleUnaryOperator f, DoubleUnaryOperator df, Domain domain, float scale, float... kinks) {
        Tensor input(SplittableRandom r, int[] shape) {
            Tensor t = Tensor.randomNormal(r, scale, shape);
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                switch (domain) {
                    case POSITIVE -> d[i] = 0.1f + (float) (4 * r.nextDouble());
                    case NONZERO -> d[i] = Math.abs(d[i]) < 0.2f ? Math.copySign(0.2f + (float) r.nextDouble(), d[i]) : d[i];
                    default -> {
                    }
                }
                for (float k : kinks) {
                    if (Math.abs(d[i] - k) < 0.05f) {
                        d[i] = k + (d[i] >= k ? 0.05f : -0.05f) * (1 + (float) r.nextDouble());
                    }
                }
            }
            return t;
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double erf(double x) {
        return ErfMathTest.referenceErf(x);
    }

    /** Φ(x) by the quadrature reference, keeping relative precision in the lower tail. */
    static double phi(double x) {
        return x < -1.5 ? 0.5 * ErfMathTest.referenceErfc(-x / Math.sqrt(2)) : 0.5 * (1 + erf(x / Math.sqrt(2)));
    }

    static final double K = Math.sqrt(2 / Math.PI);

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(K * (x + 0.044715 * x * x * x)));
    }

    static List<Case> cases() {
        double a01 = 0.01f;
        double a2 = 0.2f;
        double sa = Selu.DEFAULT_ALPHA;
        double sg = Selu.DEFAULT_GAMMA;
        double sixth = 1 / 6.0;
        return List.of(
            new Case(new Relu(), x -> Math.max(x, 0), x -> x > 0 ? 1 : 0, Domain.ANY, 1f, 0f),
            new Case(new LeakyRelu(), x -> x >= 0 ? x : a01 * x, x -> x > 0 ? 1 : a01, Domain.ANY, 1f, 0f),
            new Case(new LeakyRelu(0.2f), x -> x >= 0 ? x : a2 * x, x -> x > 0 ? 1 : a2, Domain.ANY, 1f, 0f),
            new Case(new Elu(), x -> x >= 0 ? x : Math.exp(x) - 1, x -> x > 0 ? 1 : Math.exp(x), Domain.ANY, 2f, 0f),
            new Case(new Elu(0.5f), x -> x >= 0 ? x : 0.5 * (Math.exp(x) - 1), x -> x > 0 ? 1 : 0.5 * Math.exp(x),
                    Domain.ANY, 2f, 0f),
            new Case(new Selu(), x -> x > 0 ? sg * x : sg * sa * (Math.exp(x) - 1), x -> x > 0 ? sg : sg * sa * Math.exp(x),
                    Domain.ANY, 2f, 0f),
            new Case(new Selu(1.5f, 2f), x -> x > 0 ? 2 * x : 3 * (Math.exp(x) - 1), x -> x > 0 ? 2 : 3 * Math.exp(x),
                    Domain.ANY, 2f, 0f),
            new Case(new Sigmoid(), UnaryOpsTest::sigmoid, x -> sigmoid(x) * (1 - sigmoid(x)), Domain.ANY, 3f),
            new Case(new Tanh(), Math::tanh, x -> 1 - Math.tanh(x) * Math.tanh(x), Domain.ANY, 2f),
            new Case(Clip.between(-0.5f, 0.75f), x -> Math.min(Math.max(x, -0.5), 0.75),
                    x -> x >= -0.5 && x <= 0.75 ? 1 : 0, Domain.ANY, 1f, -0.5f, 0.75f),
            new Case(Clip.atLeast(0.25f), x -> Math.max(x, 0.25), x -> x >= 0.25 ? 1 : 0, Domain.ANY, 1f, 0.25f),
            new Case(Clip.atMost(-0.25f), x -> Math.min(x, -0.25), x -> x <= -0.25 ? 1 : 0, Domain.ANY, 1f, -0.25f),
            new Case(Clip.of(null, null), x -> x, x -> 1, Domain.ANY, 1f),
            new Case(new HardSigmoid(), x -> Math.max(0, Math.min(1, a2 * x + 0.5)),
                    x -> Math.abs(x) < 2.5 ? a2 : 0, Domain.ANY, 3f, -2.5f, 2.5f),
            new Case(new HardSigmoid(0.5f, 0.25f), x -> Math.max(0, Math.min(1, 0.5 * x + 0.25)),
                    x -> x > -0.5 && x < 1.5 ? 0.5 : 0, Domain.ANY, 1.5f, -0.5f, 1.5f),
            new Case(new HardSwish(), x -> x * Math.max(0, Math.min(1, x * sixth + 0.5)),
                    x -> x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) * sixth, Domain.ANY, 3f, -3f, 3f),
            new Case(new Softplus(), x -> Math.log(1 + Math.exp(x)), UnaryOpsTest::sigmoid, Domain.ANY, 4f),
            new Case(new Gelu(), x -> x * phi(x), x -> phi(x) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI),
                    Domain.ANY, 2.5f),
            new Case(Gelu.tanhApproximation(), UnaryOpsTest::geluTanh, x -> {
                double t = Math.tanh(K * (x + 0.044715 * x * x * x));
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * 0.044715 * x * x);
            }, Domain.ANY, 2.5f),
            new Case(new Erf(), UnaryOpsTest::erf, x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x), Domain.ANY, 1.5f),
            new Case(new Neg(), x -> -x, x -> -1, Domain.ANY, 1f),
            new Case(new Abs(), Math::abs, Math::signum, Domain.ANY, 1f, 0f),
            new Case(new Exp(), Math::exp, Math::exp, Domain.ANY, 1.5f),
            new Case(new Log(), Math::log, x -> 1 / x, Domain.POSITIVE, 1f),
            new Case(new Sqrt(), Math::sqrt, x -> 0.5 / Math.sqrt(x), Domain.POSITIVE, 1f),
            new Case(new Reciprocal(), x -> 1 / x, x -> -1 / (x * x), Domain.NONZERO, 2f));
    }

    private static double[] map(Tensor x, DoubleUnaryOperator f) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(x.data()[i]);
        }
        return out;
    }

    @Test
    void forwardMatchesReference() {
        RandomCases.forAll("unary forward = reference", 30, 100, r -> {
            int[] shape = OpTestSupport.randomShape(r, 0, 4, 5);
            for (Case c : cases()) {
                Tensor x = c.input(r, shape);
                Tensor y = OpHarness.run(c.op(), x);
                assertAllClose(map(x, c.f()), shape, y, 1e-6, 1e-7, c.op() + " forward");
            }
        });
    }

    @Test
    void vjpMatchesAnalyticDerivative() {
        RandomCases.forAll("unary vjp = g·f′(x)", 30, 200, r -> {
            int[] shape = OpTestSupport.randomShape(r, 0, 4, 5);
            for (Case c : cases()) {
                Tensor x = c.input(r, shape);
                Tensor g = Tensor.randomNormal(r, 1f, shape);
                Tensor gx = OpTestSupport.vjp(c.op(), g, x)[0];
                double[] expected = map(x, c.df());
                for (int i = 0; i < expected.length; i++) {
                    expected[i] *= g.data()[i];
                }
                assertAllClose(expected, shape, gx, 1e-5, 1e-7, c.op() + " vjp");
            }
        });
    }

    @Test
    void vjpMatchesFiniteDifferences() {
        RandomCases.forAll("unary vjp = finite differences", 4, 300, r -> {
            int[] shape = OpTestSupport.randomShape(r, 1, 3, 4);
            for (Case c : cases()) {
                OpHarness.checkGradients(c.op(), OpHarness.gradCheck().eps(1e-2f).seed(r.nextLong()), c.input(r, shape));
            }
        });
    }

    @Test
    void largeTensorsUseTheParallelPathWithIdenticalResults() {
        // Above the parallel grain the loops run in chunks; every element must equal the serial result.
        SplittableRandom r = new SplittableRandom(5);
        int n = 100_000;
        int piece = 10_000;
        for (Case c : cases()) {
            Tensor x = c.input(r, new int[] {n});
            Tensor g = Tensor.randomNormal(r, 1f, n);
            Tensor y = OpHarness.run(c.op(), x);
            Tensor gx = OpTestSupport.vjp(c.op(), g, x)[0];
            for (int from = 0; from < n; from += piece) {
                Tensor xs = Tensor.of(java.util.Arrays.copyOfRange(x.data(), from, from + piece), piece);
                Tensor gs = Tensor.of(java.util.Arrays.copyOfRange(g.data(), from, from + piece), piece);
                Tensor ys = OpHarness.run(c.op(), xs);
                Tensor gxs = OpTestSupport.vjp(c.op(), gs, xs)[0];
                for (int i = 0; i < piece; i++) {
                    if (ys.data()[i] != y.data()[from + i] || gxs.data()[i] != gx.data()[from + i]) {
                        assertEquals(ys.data()[i], y.data()[from + i], 0f, c.op() + " forward element " + (from + i));
                        assertEquals(gxs.data()[i], gx.data()[from + i], 0f, c.op() + " vjp element " + (from + i));
                    }
                }
            }
        }
    }

    private static Tensor vec(float... v) {
        return Tensor.of(v, v.length);
    }

    private static void assertValues(Op op, float[] x, double[] y, double[] dy) {
        Tensor in = vec(x);
        assertAllClose(y, new int[] {x.length}, OpHarness.run(op, in), 1e-7, 0, op + " hand-computed forward");
        Tensor ones = Tensor.full(1f, x.length);
        assertAllClose(dy, new int[] {x.length}, OpTestSupport.vjp(op, ones, in)[0], 1e-6, 0,
                op + " hand-computed derivative");
    }

    @Test
    void handComputedValues() {
        double ln2 = Math.log(2);
        assertValues(new LeakyRelu(0.1f), new float[] {-2, 0, 3}, new double[] {-0.2f * 1.0, 0, 3},
                new double[] {0.1f, 0.1f, 1});
        assertValues(new Elu(), new float[] {0, (float) -ln2, 2}, new double[] {0, Math.expm1((float) -ln2), 2},
                new double[] {1, Math.exp((float) -ln2), 1});
        assertValues(new Selu(), new float[] {1, 0}, new double[] {Selu.DEFAULT_GAMMA, 0},
                new double[] {Selu.DEFAULT_GAMMA, (double) Selu.DEFAULT_GAMMA * Selu.DEFAULT_ALPHA});
        assertValues(new Sigmoid(), new float[] {0, 100, -100, 20}, new double[] {0.5, 1, (float) Math.exp(-100), sigmoid(20)},
                new double[] {0.25, (float) Math.exp(-100), (float) Math.exp(-100), Math.exp(-20) / Math.pow(1 + Math.exp(-20), 2)});
        assertValues(new Tanh(), new float[] {0, 20}, new double[] {0, 1},
                new double[] {1, 1 / Math.pow(Math.cosh(20), 2)});
        assertValues(Clip.between(-1, 1), new float[] {-2, -1, 0, 1, 2}, new double[] {-1, -1, 0, 1, 1},
                new double[] {0, 1, 1, 1, 0});
        assertValues(Clip.between(0, 6), new float[] {-1, 7, 3}, new double[] {0, 6, 3}, new double[] {0, 0, 1});
        assertValues(Clip.between(2, 1), new float[] {0, 1.5f, 3}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        assertValues(new HardSigmoid(), new float[] {0, -3, 3}, new double[] {0.5, 0, 1},
                new double[] {0.2f, 0, 0});
        assertValues(new HardSwish(), new float[] {-4, 4, 0, 1, 3, -3}, new double[] {0, 4, 0, 2.0 / 3, 3, 0},
                new double[] {0, 1, 0.5, 5.0 / 6, 1.5, -0.5});
        assertValues(new Softplus(), new float[] {0, 100, -100}, new double[] {ln2, 100, (float) Math.exp(-100)},
                new double[] {0.5, 1, (float) Math.exp(-100)});
        assertValues(new Gelu(), new float[] {0, 1, -1, -5, 2.5f},
                new double[] {0, 0.84134474606854295, -0.15865525393145705, -1.4332578593959696e-6, 2.4844758366855597},
                new double[] {0.5, 0.84134474606854295 + 0.24197072451914337, 0.15865525393145705 - 0.24197072451914337,
                    phi(-5) - 5 * Math.exp(-12.5) / Math.sqrt(2 * Math.PI),
                    phi(2.5) + 2.5 * Math.exp(-3.125) / Math.sqrt(2 * Math.PI)});
        assertValues(Gelu.of("tanh"), new float[] {0, 1, -1, -5},
                new double[] {0, 0.8411919906082767, -0.1588080093917233, -2.291796196629506e-7},
                new double[] {0.5, 1.0829640838457826, -0.082964083845782555, -1.5463619875325946e-6});
        assertValues(new Erf(), new float[] {0.5f, 1, 2, -1.5f},
                new double[] {0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9661051464753108},
                new double[] {2 / Math.sqrt(Math.PI) * Math.exp(-0.25), 2 / Math.sqrt(Math.PI) * Math.exp(-1),
                    2 / Math.sqrt(Math.PI) * Math.exp(-4), 2 / Math.sqrt(Math.PI) * Math.exp(-2.25)});
        assertValues(new Neg(), new float[] {1, -2, 0}, new double[] {-1, 2, 0}, new double[] {-1, -1, -1});
        assertValues(new Abs(), new float[] {-2, 0, 3}, new double[] {2, 0, 3}, new double[] {-1, 0, 1});
        assertValues(new Exp(), new float[] {0, 1}, new double[] {1, (float) Math.E}, new double[] {1, (float) Math.E});
        assertValues(new Log(), new float[] {1, (float) Math.E, 0.5f}, new double[] {0, Math.log((float) Math.E), -ln2},
                new double[] {1, 1 / (float) Math.E, 2});
        assertValues(new Sqrt(), new float[] {4, 0.25f, 0}, new double[] {2, 0.5, 0},
                new double[] {0.25, 1, Double.POSITIVE_INFINITY});
        assertValues(new Reciprocal(), new float[] {4, -0.5f, 0}, new double[] {0.25, -2, Double.POSITIVE_INFINITY},
                new double[] {-1.0 / 16, -4, Double.NEGATIVE_INFINITY});
    }

    @Test
    void nanPropagates() {
        for (Case c : cases()) {
            Tensor y = OpHarness.run(c.op(), vec(Float.NaN));
            assertTrue(Float.isNaN(y.data()[0]), c.op() + " of NaN is " + y.data()[0]);
        }
    }

    @Test
    void typesCategoriesAttributesAndRetention() {
        assertEquals(Map.of("alpha", 0.01f), new LeakyRelu().attributes());
        assertEquals(Map.of("alpha", 1f), new Elu().attributes());
        assertEquals(Map.of("alpha", 1.67326319217681884765625f, "gamma", 1.05070102214813232421875f),
                new Selu().attributes());
        assertEquals(Map.of("alpha", 0.2f, "beta", 0.5f), new HardSigmoid().attributes());
        assertEquals(Map.of("max", 6f), Clip.atMost(6).attributes());
        assertEquals(Map.of("min", 0f, "max", 6f), Clip.between(0, 6).attributes());
        assertEquals(Map.of(), Clip.of(null, null).attributes());
        assertEquals(Map.of("approximate", "none"), new Gelu().attributes());
        assertEquals(Map.of("approximate", "tanh"), Gelu.of("tanh").attributes());
        assertEquals("LeakyRelu(alpha=0.2)", new LeakyRelu(0.2f).toString());
        assertEquals("Clip(min=0.0, max=6.0)", Clip.between(0, 6).toString());
        for (Case c : cases()) {
            Op op = c.op();
            assertEquals(op.getClass().getSimpleName(), op.type());
            List<String> arithmetic = List.of("Erf", "Neg", "Abs", "Exp", "Log", "Sqrt", "Reciprocal");
            assertEquals(arithmetic.contains(op.type()) ? OpCategory.ELEMENTWISE : OpCategory.ACTIVATION, op.category(),
                    op.type());
        }
        // Derivatives from the output retain only the output; Neg retains nothing.
        for (Op op : List.of(new Exp(), new Sqrt(), new Reciprocal())) {
            assertFalse(op.retainsInput(0), op.type());
            assertTrue(op.retainsOutput(0), op.type());
        }
        assertFalse(new Neg().retainsInput(0));
        assertFalse(new Neg().retainsOutput(0));
        for (Op op : List.of(new Sigmoid(), new Tanh(), new Gelu(), new Log(), Clip.between(0, 1))) {
            assertTrue(op.retainsInput(0), op.type());
            assertFalse(op.retainsOutput(0), op.type());
        }
    }

    @Test
    void invalidAttributesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gelu.of("erf"));
        assertTrue(e.getMessage().contains("Gelu") && e.getMessage().contains("\"none\" or \"tanh\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LeakyRelu(Float.NaN));
        assertTrue(e.getMessage().contains("LeakyRelu") && e.getMessage().contains("alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Selu(1f, Float.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("gamma"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Clip.of(Float.NaN, 1f));
        assertTrue(e.getMessage().contains("Clip"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(new Sigmoid(), Tensor.zeros(2), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("Sigmoid takes 1"), e.getMessage());
    }
}
