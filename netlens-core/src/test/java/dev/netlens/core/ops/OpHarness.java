package dev.netlens.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test support for ops: runs an op as a one-node graph (so tests exercise the executor too),
 * checks VJPs against central finite differences, compares tensors and the two kernel sets.
 *
 * <p>Inputs are graph inputs named in0, in1, … (null = absent optional input); outputs out0, out1, …
 */
public final class OpHarness {
    public static final Kernels JAVA = Kernels.java();
    public static final Kernels OPENBLAS = Kernels.openblas();
    public static final List<Kernels> BOTH = List.of(JAVA, OPENBLAS);

    private OpHarness() {
    }

    /** A graph with one node applying {@code op} to inputs in0… producing out0… */
    public static Graph graph(Op op, int outputs, Tensor... inputs) {
        Graph.Builder b = Graph.builder();
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                in.add("");
            } else {
                b.input("in" + i, inputs[i].shape());
                in.add("in" + i);
            }
        }
        List<String> out = new ArrayList<>();
        for (int o = 0; o < outputs; o++) {
            out.add("out" + o);
        }
        b.node("node", op, in, out);
        b.output(out.toArray(new String[0]));
        return b.build();
    }

    private static Map<String, Tensor> feeds(Tensor... inputs) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                m.put("in" + i, inputs[i]);
            }
        }
        return m;
    }

    /** Runs a one-output op in inference mode. */
    public static Tensor run(Op op, Kernels kernels, Tensor... inputs) {
        return runAll(op, 1, kernels, false, inputs)[0];
    }

    /** Runs a one-output op with the default kernels. */
    public static Tensor run(Op op, Tensor... inputs) {
        return run(op, OPENBLAS, inputs);
    }

    /** Runs an op with {@code outputs} outputs. */
    public static Tensor[] runAll(Op op, int outputs, Kernels kernels, boolean training, Tensor... inputs) {
        Trace t = graph(op, outputs, inputs).run().kernels(kernels).training(training).forward(feeds(inputs));
        Tensor[] out = new Tensor[outputs];
        for (int o = 0; o < outputs; o++) {
            out[o] = t.output("out" + o);
        }
        return out;
    }

    /** Options of a finite-difference check. */
    public static final class GradCheck {
        int outputs = 1;
        boolean training;
        float eps = 1e-2f;
        double rtol = 1e-2;
        double atol = 1e-3;
        int maxElements = 48;
        int[] wrt;
        Kernels kernels = OPENBLAS;
        long seed = 1;

        public GradCheck outputs(int n) {
            outputs = n;
            return this;
        }

        public GradCheck training(boolean t) {
            training = t;
            return this;
        }

        public GradCheck eps(float e) {
            eps = e;
            return this;
        }

        public GradCheck tolerance(double rtol, double atol) {
            this.rtol = rtol;
            this.atol = atol;
            return this;
        }

        /** Input indices to check (default: all present inputs). */
        public GradCheck wrt(int... indices) {
            wrt = indices;
            return this;
        }

        public GradCheck kernels(Kernels k) {
            kernels = k;
            return this;
        }

        public GradCheck maxElements(int n) {
            maxElements = n;
            return this;
        }

        public GradCheck seed(long s) {
            seed = s;
            return this;
        }
    }

    public static GradCheck gradCheck() {
        return new GradCheck();
    }

    /**
     * Checks the op's VJP against central differences of L = Σ_o Σ v_o ⊙ y_o with random v_o,
     * on up to {@code maxElements} randomly chosen elements of each checked input.
     */
    public static void checkGradients(Op op, GradCheck opt, Tensor... inputs) {
        Graph g = graph(op, opt.outputs, inputs);
        Trace t = g.run().record().training(opt.training).kernels(opt.kernels).seed(opt.seed).forward(feeds(inputs));
        SplittableRandom r = new SplittableRandom(opt.seed);
        Map<String, Tensor> seeds = new LinkedHashMap<>();
        for (int o = 0; o < opt.outputs; o++) {
            seeds.put("out" + o, Tensor.randomNormal(r, 1f, t.output("out" + o).shape()));
        }
        List<String> wrt = new ArrayList<>();
        int[] indices = opt.wrt;
        if (indices == null) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] != null) {
                    all.add(i);
                }
            }
            indices = all.stream().mapToInt(Integer::intValue).toArray();
        }
        for (int i : indices) {
            wrt.add("in" + i);
        }
        Map<String, Tensor> analytic = t.gradients(seeds, wrt);
        for (int i : indices) {
            Tensor x = inputs[i];
            Tensor ga = analytic.get("in" + i);
            assertTrue(Arrays.equals(x.shape(), ga.shape()), "gradient shape of input " + i);
            int n = x.size();
            int[] elems = pick(n, opt.maxElements, r);
            double scale = 0;
            for (float v : ga.data()) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int e : elems) {
                Tensor[] plus = perturbed(inputs, i, e, opt.eps);
                Tensor[] minus = perturbed(inputs, i, e, -opt.eps);
                double lp = objective(g, opt, plus, seeds);
                double lm = objective(g, opt, minus, seeds);
                double numeric = (lp - lm) / (2.0 * opt.eps);
                double a = ga.data()[e];
                double tol = opt.atol + opt.rtol * Math.max(scale, Math.abs(numeric));
                assertTrue(Math.abs(numeric - a) <= tol, () -> op + ": d/d input " + i + " element " + e
                        + " (shape " + Shapes.toString(x.shape()) + "): analytic " + a + " vs numeric " + numeric
                        + " (tolerance " + tol + ")");
            }
        }
    }

    private static double objective(Graph g, GradCheck opt, Tensor[] inputs, Map<String, Tensor> seeds) {
        Trace t = g.run().training(opt.training).kernels(opt.kernels).seed(opt.seed).forward(feeds(inputs));
        double l = 0;
        for (Map.Entry<String, Tensor> s : seeds.entrySet()) {
            float[] y = t.output(s.getKey()).data();
            float[] v = s.getValue().data();
            for (int k = 0; k < y.length; k++) {
                l += (double) y[k] * v[k];
            }
        }
        return l;
    }

    private static Tensor[] perturbed(Tensor[] inputs, int which, int element, float delta) {
        Tensor[] copy = inputs.clone();
        Tensor x = inputs[which].copy();
        x.data()[element] += delta;
        copy[which] = x;
        return copy;
    }

    private static int[] pick(int n, int max, SplittableRandom r) {
        if (n <= max) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        return r.ints(0, n).distinct().limit(max).toArray();
    }

    /** max |expected − actual| ≤ atol + rtol · max |expected|, with a message locating the worst element. */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertTrue(Arrays.equals(expected.shape(), actual.shape()), () -> what + ": shape " + Shapes.toString(actual.shape())
                + " expected " + Shapes.toString(expected.shape()));
        float[] e = expected.data();
        float[] a = actual.data();
        double maxRef = 0;
        for (float v : e) {
            maxRef = Math.max(maxRef, Math.abs(v));
        }
        double tol = atol + rtol * maxRef;
        int worst = -1;
        double worstDiff = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (d > worstDiff || Double.isNaN(d) && !(Float.isNaN(e[i]) && Float.isNaN(a[i]))) {
                if (Float.isNaN(e[i]) && Float.isNaN(a[i])) {
                    continue;
                }
                worstDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                worst = i;
            }
        }
        int w = worst;
        double wd = worstDiff;
        assertTrue(wd <= tol, () -> what + ": element " + w + " differs: expected " + e[w] + ", got " + a[w]
                + " (|Δ| = " + wd + ", tolerance " + tol + ")");
    }

    /** Runs the op with both kernel sets and checks that all outputs agree within 1e-5 relative. */
    public static void assertKernelsAgree(Op op, int outputs, Tensor... inputs) {
        Tensor[] j = runAll(op, outputs, JAVA, false, inputs);
        Tensor[] o = runAll(op, outputs, OPENBLAS, false, inputs);
        for (int k = 0; k < outputs; k++) {
            assertClose(j[k], o[k], 1e-5, 1e-6, op + " output " + k + " java vs openblas");
        }
    }

    /** A standard-normal tensor whose entries keep at least {@code margin} away from each of {@code kinks}. */
    public static Tensor awayFrom(SplittableRandom r, float margin, float[] kinks, int... shape) {
        Tensor t = Tensor.randomNormal(r, 1f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            for (float k : kinks) {
                if (Math.abs(d[i] - k) < margin) {
                    d[i] = k + (d[i] >= k ? margin : -margin) * (1 + (float) r.nextDouble());
                }
            }
        }
        return t;
    }

    /** Asserts that two tensors are bit-identical. */
    public static void assertBitIdentical(Tensor a, Tensor b, String what) {
        assertEquals(Shapes.toString(a.shape()), Shapes.toString(b.shape()), what + " shape");
        for (int i = 0; i < a.size(); i++) {
            int ia = Float.floatToRawIntBits(a.data()[i]);
            int ib = Float.floatToRawIntBits(b.data()[i]);
            if (ia != ib) {
                throw new AssertionError(what + ": element " + i + " differs: " + a.data()[i] + " vs " + b.data()[i]);
            }
        }
    }
}
