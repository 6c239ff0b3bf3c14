package dev.netlens.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Helpers for the element-wise, softmax and reduction op tests: VJPs through a one-node graph with
 * a given upstream gradient, per-element comparison against double references, random shapes and
 * naive broadcasting index arithmetic (written independently of the ops).
 */
final class OpTestSupport {
    private OpTestSupport() {
    }

    static Map<String, Tensor> feeds(Tensor... inputs) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            m.put("in" + i, inputs[i]);
        }
        return m;
    }

    /** Gradients of Σ gout ⊙ op(inputs) w.r.t. every input, recorded with minimal retention. */
    static Tensor[] vjp(Op op, Tensor gout, Tensor... inputs) {
        Trace t = OpHarness.graph(op, 1, inputs).run().record().forward(feeds(inputs));
        List<String> wrt = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            wrt.add("in" + i);
        }
        Map<String, Tensor> g = t.gradients(Map.of("out0", gout), wrt);
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = g.get("in" + i);
        }
        return out;
    }

    /** A shape of rank in [minRank, maxRank] with extents in [1, maxExtent]. */
    static int[] randomShape(SplittableRandom r, int minRank, int maxRank, int maxExtent) {
        int[] s = new int[RandomCases.between(r, minRank, maxRank)];
        for (int d = 0; d < s.length; d++) {
            s[d] = RandomCases.between(r, 1, maxExtent);
        }
        return s;
    }

    /** A shape broadcastable to {@code out}: some leading dimensions dropped, some extents set to 1. */
    static int[] broadcastableTo(SplittableRandom r, int[] out) {
        int drop = r.nextInt(out.length + 1);
        int[] s = Arrays.copyOfRange(out, drop, out.length);
        for (int d = 0; d < s.length; d++) {
            if (r.nextInt(3) == 0) {
                s[d] = 1;
            }
        }
        return s;
    }

    /** The multi-index of flat position {@code flat} in {@code shape}. */
    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /** Flat position in {@code in} of the element broadcast to output multi-index {@code outIdx}. */
    static int broadcastSource(int[] outIdx, int[] in) {
        int shift = outIdx.length - in.length;
        int flat = 0;
        for (int d = 0; d < in.length; d++) {
            int i = in[d] == 1 ? 0 : outIdx[d + shift];
            flat = flat * in[d] + i;
        }
        return flat;
    }

    /** NumPy broadcast of several shapes, computed naively. */
    static int[] broadcastShape(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int d = 0; d < s.length; d++) {
                int o = d + rank - s.length;
                if (s[d] != 1) {
                    out[o] = s[d];
                }
            }
        }
        return out;
    }

    static double[] toDouble(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.data()[i];
        }
        return d;
    }

    /** Per element: |actual − expected| ≤ atol + rtol·|expected| (NaN must match NaN). */
    static void assertAllClose(double[] expected, int[] shape, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(shape, actual.shape(), () -> what + ": shape " + Shapes.toString(actual.shape())
                + ", expected " + Shapes.toString(shape));
        float[] a = actual.data();
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double v = a[i];
            if (Double.isNaN(e) || Double.isNaN(v)) {
                int k = i;
                assertTrue(Double.isNaN(e) && Double.isNaN(v), () -> what + ": element " + k + " is " + v
                        + ", expected " + e);
                continue;
            }
            if (Double.isInfinite(e) || Double.isInfinite(v)) {
                int k = i;
                assertTrue(e == v, () -> what + ": element " + k + " is " + v + ", expected " + e);
                continue;
            }
            double tol = atol + rtol * Math.abs(e);
            int k = i;
            assertTrue(Math.abs(v - e) <= tol, () -> what + ": element " + k + " (index "
                    + Arrays.toString(unravel(k, shape)) + ") is " + v + ", expected " + e + " (|Δ| = "
                    + Math.abs(v - e) + ", tolerance " + tol + ")");
        }
    }

    /** Standard normal entries, each at least {@code margin} away from every value in {@code kinks}. */
    static Tensor awayFrom(SplittableRandom r, float margin, float[] kinks, int[] shape) {
        return OpHarness.awayFrom(r, margin, kinks, shape);
    }

    /** Entries spaced ≥ {@code step} apart in random order: no ties and no near-ties. */
    static Tensor distinct(SplittableRandom r, float step, int[] shape) {
        int n = Shapes.size(shape);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (i - n / 2) * step;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return Tensor.of(d, shape);
    }

    /** Entries drawn from a few values, so that ties are frequent. */
    static Tensor tieProne(SplittableRandom r, int[] shape) {
        float[] choices = {-1f, -0.5f, 0f, 0.5f, 1f};
        float[] d = new float[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = choices[r.nextInt(choices.length)];
        }
        return Tensor.of(d, shape);
    }
}
