package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.RandomCases.between;
import static dev.netlens.core.ops.ShapeOpTesting.assertInvalid;
import static dev.netlens.core.ops.ShapeOpTesting.assertRejected;
import static dev.netlens.core.ops.ShapeOpTesting.forEachIndex;
import static dev.netlens.core.ops.ShapeOpTesting.iota;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransposeTest {

    /** Reference: y[i_0, …, i_{r-1}] = x[j] with j[perm[d]] = i_d. */
    static Tensor naiveTranspose(Tensor x, int[] perm) {
        int[] out = new int[perm.length];
        for (int d = 0; d < perm.length; d++) {
            out[d] = x.dim(perm[d]);
        }
        Tensor y = Tensor.zeros(out);
        forEachIndex(out, idx -> {
            int[] src = new int[perm.length];
            for (int d = 0; d < perm.length; d++) {
                src[perm[d]] = idx[d];
            }
            y.set(x.get(src), idx);
        });
        return y;
    }

    static int[] randomPerm(SplittableRandom r, int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = i;
        }
        for (int i = rank - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Test
    void forwardAndVjpMatchReference() {
        RandomCases.forAll("transpose = reference", 40, 400, r -> {
            int rank = between(r, 0, 5);
            int[] shape = ShapeOpTesting.randomShape(r, rank, 1, 4);
            Tensor x = Tensor.randomNormal(r, 1f, shape);
            boolean dflt = r.nextInt(4) == 0;
            int[] perm = randomPerm(r, rank);
            if (dflt) {
                for (int d = 0; d < rank; d++) {
                    perm[d] = rank - 1 - d;
                }
            }
            Transpose op = dflt ? new Transpose() : new Transpose(perm);
            Tensor y = ShapeOpTesting.forward(op, 1, x)[0];
            assertBitIdentical(naiveTranspose(x, perm), y, op.toString());
            Tensor seed = Tensor.randomNormal(r, 1f, y.shape());
            int[] inverse = new int[rank];
            for (int d = 0; d < rank; d++) {
                inverse[perm[d]] = d;
            }
            assertBitIdentical(naiveTranspose(seed, inverse), ShapeOpTesting.vjp(op, seed, x), "gradient");
        });
    }

    @Test
    void handCasesAndFiniteDifferences() {
        Tensor x = iota(2, 3);
        Tensor y = ShapeOpTesting.forward(new Transpose(), 1, x)[0];
        assertArrayEquals(new int[] {3, 2}, y.shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, y.data());
        y = ShapeOpTesting.forward(new Transpose(0, 2, 3, 1), 1, iota(1, 2, 2, 2))[0]; // NCHW -> NHWC
        assertArrayEquals(new float[] {0, 4, 1, 5, 2, 6, 3, 7}, y.data());
        SplittableRandom r = new SplittableRandom(2);
        ShapeOpTesting.checkLinearGradients(new Transpose(2, 0, 1), 1, Tensor.randomNormal(r, 1f, 2, 3, 4));
    }

    @Test
    void badPermutationsAreRejected() {
        assertInvalid(() -> new Transpose(0, 0, 1), "Transpose", "[0, 0, 1]", "permutation");
        assertInvalid(() -> new Transpose(0, 2), "Transpose", "permutation of 0 … 1");
        assertRejected(new Transpose(1, 0), 1, new Tensor[] {Tensor.zeros(2, 3, 4)}, "Transpose", "rank 3", "perm");
    }
}
