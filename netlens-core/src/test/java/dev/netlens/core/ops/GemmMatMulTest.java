package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.BOTH;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static dev.netlens.core.ops.RandomCases.between;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmMatMulTest {

    private static double at(Tensor t, boolean trans, int i, int j) {
        return trans ? t.get(j, i) : t.get(i, j);
    }

    @Test
    void gemmMatchesNaiveReference() {
        RandomCases.forAll("gemm = naive", 60, 3000, r -> {
            int m = between(r, 1, 40);
            int n = between(r, 1, 40);
            int k = between(r, 1, 70);
            boolean ta = r.nextBoolean();
            boolean tb = r.nextBoolean();
            float alpha = (float) (r.nextDouble() * 2 - 0.5);
            float beta = (float) (r.nextDouble() * 2 - 0.5);
            Tensor a = Tensor.randomNormal(r, 1f, ta ? k : m, ta ? m : k);
            Tensor b = Tensor.randomNormal(r, 1f, tb ? n : k, tb ? k : n);
            int[][] cShapes = {{m, n}, {n}, {1, n}, {m, 1}, {1}, {}};
            int[] cs = cShapes[r.nextInt(cShapes.length)];
            Tensor c = r.nextInt(4) == 0 ? null : Tensor.randomNormal(r, 1f, cs);
            Tensor expected = Tensor.zeros(m, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += at(a, ta, i, p) * at(b, tb, p, j);
                    }
                    double cv = 0;
                    if (c != null) {
                        int ci = cs.length == 2 && cs[0] != 1 ? i : 0;
                        int cj = cs.length >= 1 && cs[cs.length - 1] != 1 ? j : 0;
                        cv = c.data()[cs.length == 2 ? ci * cs[1] + cj : cj];
                    }
                    expected.set((float) (alpha * s + beta * cv), i, j);
                }
            }
            Gemm gemm = new Gemm(alpha, beta, ta, tb);
            for (Kernels kern : BOTH) {
                assertClose(expected, OpHarness.run(gemm, kern, a, b, c), 1e-5, 1e-5, "gemm " + kern.name());
            }
        });
    }

    @Test
    void gemmGradients() {
        SplittableRandom r = new SplittableRandom(1);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = Tensor.randomNormal(r, 1f, ta ? 5 : 4, ta ? 4 : 5);
                Tensor b = Tensor.randomNormal(r, 1f, tb ? 3 : 5, tb ? 5 : 3);
                Tensor c = Tensor.randomNormal(r, 1f, 3);
                for (Kernels k : BOTH) {
                    OpHarness.checkGradients(new Gemm(0.7f, 1.3f, ta, tb), OpHarness.gradCheck().kernels(k), a, b, c);
                }
            }
        }
    }

    /** Naive batched matmul with NumPy broadcasting and 1-D promotion. */
    static Tensor naiveMatMul(Tensor a, Tensor b) {
        int[] as = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape();
        int[] bs = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] batch = Shapes.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int count = Shapes.size(batch);
        float[] out = new float[count * m * n];
        int[] idx = new int[batch.length];
        for (int bi = 0; bi < count; bi++) {
            int ao = offset(as, batch, idx) * m * k;
            int bo = offset(bs, batch, idx) * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) a.data()[ao + i * k + p] * b.data()[bo + p * n + j];
                    }
                    out[(bi * m + i) * n + j] = (float) s;
                }
            }
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        Tensor y = Tensor.of(out, shape);
        if (a.rank() == 1 && b.rank() == 1) {
            return y.reshape();
        }
        if (a.rank() == 1) {
            int[] s2 = Arrays.copyOf(batch, batch.length + 1);
            s2[batch.length] = n;
            return y.reshape(s2);
        }
        if (b.rank() == 1) {
            int[] s2 = Arrays.copyOf(batch, batch.length + 1);
            s2[batch.length] = m;
            return y.reshape(s2);
        }
        return y;
    }

    private static int offset(int[] opShape, int[] batch, int[] idx) {
        int rank = opShape.length - 2;
        int off = 0;
        for (int d = 0; d < rank; d++) {
            int bd = d + batch.length - rank;
            off = off * opShape[d] + (opShape[d] == 1 ? 0 : idx[bd]);
        }
        return off;
    }

    @Test
    void matMulMatchesNaiveReference() {
        int[][][] cases = {
            {{3, 4}, {4, 5}}, {{4}, {4, 5}}, {{3, 4}, {4}}, {{4}, {4}},
            {{2, 3, 4}, {4, 5}}, {{2, 3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {5, 4, 2}}, {{1, 3, 4}, {6, 4, 2}},
            {{2, 3, 4}, {4}}, {{4}, {2, 4, 3}},
        };
        SplittableRandom r = new SplittableRandom(4);
        for (int[][] c : cases) {
            Tensor a = Tensor.randomNormal(r, 1f, c[0]);
            Tensor b = Tensor.randomNormal(r, 1f, c[1]);
            Tensor expected = naiveMatMul(a, b);
            for (Kernels k : BOTH) {
                String what = "matmul " + Arrays.toString(c[0]) + "x" + Arrays.toString(c[1]) + " " + k.name();
                assertClose(expected, OpHarness.run(new MatMul(), k, a, b), 1e-5, 1e-5, what);
                OpHarness.checkGradients(new MatMul(), OpHarness.gradCheck().kernels(k), a, b);
            }
        }
    }

    @Test
    void largeGemmAgreesAcrossKernels() {
        SplittableRandom r = new SplittableRandom(8);
        Tensor a = Tensor.randomNormal(r, 1f, 70, 300);
        Tensor b = Tensor.randomNormal(r, 1f, 90, 300);
        OpHarness.assertKernelsAgree(Gemm.linear(), 1, a, b, Tensor.randomNormal(r, 1f, 90));
    }

    @Test
    void mismatchedInnerDimensionsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(new MatMul(), Tensor.zeros(2, 3), Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(Gemm.linear(), Tensor.zeros(2, 3), Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("inner dimensions"), e.getMessage());
    }
}
