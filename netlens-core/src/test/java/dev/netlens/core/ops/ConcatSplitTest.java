package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.RandomCases.between;
import static dev.netlens.core.ops.ShapeOpTesting.assertInvalid;
import static dev.netlens.core.ops.ShapeOpTesting.assertRejected;
import static dev.netlens.core.ops.ShapeOpTesting.forEachIndex;
import static dev.netlens.core.ops.ShapeOpTesting.iota;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConcatSplitTest {

    /** Reference concatenation: each output element looked up in the input its axis coordinate falls in. */
    static Tensor naiveConcat(int axis, Tensor... xs) {
        int[] shape = xs[0].shape();
        int a = axis < 0 ? axis + shape.length : axis;
        for (int i = 1; i < xs.length; i++) {
            shape[a] += xs[i].dim(a);
        }
        Tensor y = Tensor.zeros(shape);
        forEachIndex(shape, idx -> {
            int[] src = idx.clone();
            int k = 0;
            while (src[a] >= xs[k].dim(a)) {
                src[a] -= xs[k].dim(a);
                k++;
            }
            y.set(xs[k].get(src), idx);
        });
        return y;
    }

    /** Reference split: output k holds axis coordinates [offset_k, offset_k + size_k). */
    static Tensor[] naiveSplit(Tensor x, int axis, int[] sizes) {
        int a = axis < 0 ? axis + x.rank() : axis;
        Tensor[] out = new Tensor[sizes.length];
        int offset = 0;
        for (int k = 0; k < sizes.length; k++) {
            int[] s = x.shape();
            s[a] = sizes[k];
            Tensor y = Tensor.zeros(s);
            int off = offset;
            forEachIndex(s, idx -> {
                int[] src = idx.clone();
                src[a] += off;
                y.set(x.get(src), idx);
            });
            out[k] = y;
            offset += sizes[k];
        }
        return out;
    }

    @Test
    void concatMatchesReferenceAndItsVjpSplitsTheGradient() {
        RandomCases.forAll("concat = reference", 40, 100, r -> {
            int rank = between(r, 1, 4);
            int axis = between(r, -rank, rank - 1);
            int a = axis < 0 ? axis + rank : axis;
            int n = between(r, 1, 4);
            int[] base = ShapeOpTesting.randomShape(r, rank, 1, 4);
            Tensor[] xs = new Tensor[n];
            int[] sizes = new int[n];
            for (int i = 0; i < n; i++) {
                int[] s = base.clone();
                s[a] = between(r, 0, 3);
                sizes[i] = s[a];
                xs[i] = Tensor.randomNormal(r, 1f, s);
            }
            Concat op = new Concat(axis);
            Tensor y = ShapeOpTesting.forward(op, 1, xs)[0];
            assertBitIdentical(naiveConcat(axis, xs), y, "concat");
            Tensor seed = Tensor.randomNormal(r, 1f, y.shape());
            Tensor[] g = ShapeOpTesting.vjp(op, 1, false, new Tensor[] {seed}, xs);
            Tensor[] expected = naiveSplit(seed, axis, sizes);
            for (int i = 0; i < n; i++) {
                assertBitIdentical(expected[i], g[i], "gradient of input " + i);
            }
        });
    }

    @Test
    void concatHandCasesAndFiniteDifferences() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {5, 6}, 2, 1);
        assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, ShapeOpTesting.forward(new Concat(1), 1, a, b)[0].data());
        assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4},
                ShapeOpTesting.forward(new Concat(-2), 1, a, a)[0].data());
        Tensor y = ShapeOpTesting.forward(new Concat(0), 1, a, b.reshape(1, 2))[0];
        assertArrayEquals(new int[] {3, 2}, y.shape());
        SplittableRandom r = new SplittableRandom(4);
        ShapeOpTesting.checkLinearGradients(new Concat(1), 1, Tensor.randomNormal(r, 1f, 2, 3, 2),
                Tensor.randomNormal(r, 1f, 2, 1, 2), Tensor.randomNormal(r, 1f, 2, 2, 2));
    }

    @Test
    void concatRejectsBadShapesAndAxes() {
        Tensor a = Tensor.zeros(2, 3);
        assertRejected(new Concat(1), 1, new Tensor[] {a, Tensor.zeros(3, 3)}, "Concat", "[3, 3]", "[2, 3]");
        assertRejected(new Concat(0), 1, new Tensor[] {a, Tensor.zeros(2, 3, 1)}, "rank 2");
        assertRejected(new Concat(2), 1, new Tensor[] {a, a}, "Concat", "axis 2", "-2 … 1");
        assertRejected(new Concat(0), 1, new Tensor[] {Tensor.scalar(1), Tensor.scalar(2)}, "Concat", "rank 0");
        assertFalse(new Concat(0).retainsInput(0));
    }

    @Test
    void splitMatchesReferenceForExplicitAndEqualSizes() {
        RandomCases.forAll("split = reference", 40, 200, r -> {
            int rank = between(r, 1, 4);
            int axis = between(r, -rank, rank - 1);
            int a = axis < 0 ? axis + rank : axis;
            int[] shape = ShapeOpTesting.randomShape(r, rank, 1, 4);
            shape[a] = between(r, 1, 9);
            Tensor x = Tensor.randomNormal(r, 1f, shape);
            Split op;
            int[] sizes;
            if (r.nextBoolean()) {
                int n = between(r, 1, 4);
                sizes = new int[n];
                int left = shape[a];
                for (int k = 0; k < n - 1; k++) {
                    sizes[k] = between(r, 0, left);
                    left -= sizes[k];
                }
                sizes[n - 1] = left;
                op = Split.of(axis, sizes);
            } else {
                int n = between(r, 1, shape[a]);
                int chunk = (shape[a] + n - 1) / n;
                if (chunk * (n - 1) > shape[a]) {
                    return; // not splittable into n pieces of ceil(d/n); covered by the error test
                }
                sizes = new int[n];
                for (int k = 0; k < n; k++) {
                    sizes[k] = k < n - 1 ? chunk : shape[a] - chunk * (n - 1);
                }
                op = Split.equal(axis, n);
            }
            assertArrayEquals(sizes, op.sizes(shape[a]));
            int n = sizes.length;
            Tensor[] ys = ShapeOpTesting.forward(op, n, x);
            Tensor[] expected = naiveSplit(x, axis, sizes);
            for (int k = 0; k < n; k++) {
                assertBitIdentical(expected[k], ys[k], "piece " + k);
            }
            // VJP: concatenation of the output gradients, zeros for an unseeded output.
            Tensor[] seeds = new Tensor[n];
            Tensor[] parts = new Tensor[n];
            int skip = r.nextInt(n);
            for (int k = 0; k < n; k++) {
                parts[k] = Tensor.randomNormal(r, 1f, ys[k].shape());
                seeds[k] = n > 1 && k == skip ? null : parts[k];
                if (seeds[k] == null) {
                    parts[k] = Tensor.zeros(ys[k].shape());
                }
            }
            Tensor g = ShapeOpTesting.vjp(op, n, false, seeds, x)[0];
            assertBitIdentical(naiveConcat(axis, parts), g, "split gradient");
        });
    }

    @Test
    void splitHandCasesAndFiniteDifferences() {
        Tensor x = iota(7);
        Tensor[] ys = ShapeOpTesting.forward(Split.equal(0, 3), 3, x);
        assertArrayEquals(new float[] {0, 1, 2}, ys[0].data());
        assertArrayEquals(new float[] {3, 4, 5}, ys[1].data());
        assertArrayEquals(new float[] {6}, ys[2].data());
        ys = ShapeOpTesting.forward(Split.of(-1, 1, 3), 2, iota(2, 4));
        assertArrayEquals(new float[] {0, 4}, ys[0].data());
        assertArrayEquals(new float[] {1, 2, 3, 5, 6, 7}, ys[1].data());
        assertEquals(3, Split.equal(0, 3).outputCount());
        SplittableRandom r = new SplittableRandom(5);
        ShapeOpTesting.checkLinearGradients(Split.of(1, 2, 1, 3), 3, Tensor.randomNormal(r, 1f, 2, 6, 3));
        ShapeOpTesting.checkLinearGradients(Split.equal(2, 2), 2, Tensor.randomNormal(r, 1f, 2, 3, 5));
    }

    @Test
    void splitRejectsBadSizes() {
        Tensor x = Tensor.zeros(2, 5);
        assertRejected(Split.of(1, 2, 2), 2, new Tensor[] {x}, "Split", "[2, 2]", "sums to 4", "extent 5");
        assertRejected(Split.equal(1, 4), 4, new Tensor[] {x}, "Split", "4 pieces", "last piece");
        assertRejected(Split.of(2, 5), 1, new Tensor[] {x}, "Split", "axis 2", "-2 … 1");
        assertInvalid(() -> Split.of(0, 3, -1), "Split", "negative");
        assertInvalid(() -> Split.equal(0, 0), "num_outputs");
        assertInvalid(() -> Split.of(0), "at least one");
    }
}
