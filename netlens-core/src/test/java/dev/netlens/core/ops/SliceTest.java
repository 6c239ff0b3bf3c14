package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.RandomCases.between;
import static dev.netlens.core.ops.ShapeOpTesting.assertInvalid;
import static dev.netlens.core.ops.ShapeOpTesting.assertRejected;
import static dev.netlens.core.ops.ShapeOpTesting.forEachIndex;
import static dev.netlens.core.ops.ShapeOpTesting.iota;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SliceTest {
    private static final long MAX = Long.MAX_VALUE;
    private static final long MIN = Long.MIN_VALUE;

    /**
     * The indices ONNX Slice selects on an axis of length n, following the operator text literally:
     * negative starts/ends get n added; starts are clamped to [0, n] (step > 0) or [0, n-1]
     * (step < 0), ends to [0, n] or [-1, n-1]; then start, start+step, … while before end. (This
     * differs from numpy only for a negative step with start < -n: numpy selects nothing, ONNX
     * starts at 0.)
     */
    static int[] onnxSliceIndices(long start, long end, long step, int n) {
        long s = start < 0 ? start + n : start;
        long e = end < 0 ? end + n : end;
        if (step > 0) {
            s = Math.min(Math.max(s, 0), n);
            e = Math.min(Math.max(e, 0), n);
        } else {
            s = Math.min(Math.max(s, 0), n - 1);
            e = Math.min(Math.max(e, -1), n - 1);
        }
        List<Integer> picked = new ArrayList<>();
        for (long i = s; step > 0 ? i < e : i > e; ) {
            picked.add((int) i);
            if (step > 0 ? e - i <= step : i - e <= -step) {
                break; // the next index reaches end (stepping on could overflow for huge steps)
            }
            i += step;
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reference slice: one index list per axis, output element = input at the listed indices. */
    static Tensor naiveSlice(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps) {
        int rank = x.rank();
        int[][] picks = new int[rank][];
        for (int d = 0; d < rank; d++) {
            picks[d] = onnxSliceIndices(0, MAX, 1, x.dim(d));
        }
        for (int i = 0; i < starts.length; i++) {
            int axis = (int) (axes == null ? i : axes[i] < 0 ? axes[i] + rank : axes[i]);
            picks[axis] = onnxSliceIndices(starts[i], ends[i], steps == null ? 1 : steps[i], x.dim(axis));
        }
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = picks[d].length;
        }
        Tensor y = Tensor.zeros(out);
        forEachIndex(out, idx -> {
            int[] src = new int[rank];
            for (int d = 0; d < rank; d++) {
                src[d] = picks[d][idx[d]];
            }
            y.set(x.get(src), idx);
        });
        return y;
    }

    /** Reference VJP: each output gradient element added at its source position. */
    static Tensor naiveSliceAdjoint(Tensor g, int[] inShape, long[] starts, long[] ends, long[] axes, long[] steps) {
        Tensor positions = naiveSlice(iota(inShape), starts, ends, axes, steps);
        Tensor gx = Tensor.zeros(inShape);
        for (int i = 0; i < g.size(); i++) {
            gx.data()[(int) positions.data()[i]] += g.data()[i];
        }
        return gx;
    }

    private static long randomBound(SplittableRandom r, int n) {
        return switch (r.nextInt(8)) {
            case 0 -> MAX;
            case 1 -> MIN;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> -(long) Integer.MAX_VALUE;
            default -> between(r, -n - 3, n + 3);
        };
    }

    @Test
    void forwardAndVjpMatchReferenceOnRandomAttributes() {
        RandomCases.forAll("slice = ONNX slicing", 50, 300, r -> {
            int rank = between(r, 1, 4);
            int[] shape = ShapeOpTesting.randomShape(r, rank, 1, 6);
            int k = between(r, 1, rank);
            boolean withAxes = r.nextBoolean();
            boolean withSteps = r.nextBoolean();
            long[] starts = new long[k];
            long[] ends = new long[k];
            long[] axes = withAxes ? new long[k] : null;
            long[] steps = withSteps ? new long[k] : null;
            List<Integer> free = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                free.add(d);
            }
            for (int i = 0; i < k; i++) {
                int axis = withAxes ? free.remove(r.nextInt(free.size())) : i;
                if (withAxes) {
                    axes[i] = r.nextBoolean() ? axis : axis - rank;
                }
                starts[i] = randomBound(r, shape[axis]);
                ends[i] = randomBound(r, shape[axis]);
                if (withSteps) {
                    steps[i] = r.nextInt(6) == 0 ? (r.nextBoolean() ? MAX : MIN) : between(r, 1, 3) * (r.nextBoolean() ? 1 : -1);
                }
            }
            Tensor x = Tensor.randomNormal(r, 1f, shape);
            Slice op = new Slice(starts, ends, axes, steps);
            Tensor expected = naiveSlice(x, starts, ends, axes, steps);
            Tensor y = ShapeOpTesting.forward(op, 1, x)[0];
            assertBitIdentical(expected, y, op.toString());
            Tensor seed = Tensor.randomNormal(r, 1f, y.shape());
            assertBitIdentical(naiveSliceAdjoint(seed, shape, starts, ends, axes, steps),
                    ShapeOpTesting.vjp(op, seed, x), "gradient of " + op);
        });
    }

    @Test
    void handComputedCases() {
        Tensor x = iota(2, 3, 4);
        // x[:, 1:, ::2]
        Slice a = new Slice(new long[] {1, 0}, new long[] {MAX, MAX}, new long[] {1, 2}, new long[] {1, 2});
        assertArrayEquals(new float[] {4, 6, 8, 10, 16, 18, 20, 22}, ShapeOpTesting.forward(a, 1, x)[0].data());
        // Reverse the last axis: starts -1, ends INT64_MIN, step -1.
        Slice rev = new Slice(new long[] {-1}, new long[] {MIN}, new long[] {-1}, new long[] {-1});
        Tensor y = ShapeOpTesting.forward(rev, 1, iota(2, 3))[0];
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3}, y.data());
        // Leading axes without axes: x[0:1, -2:] -> rows 1..2 of the first block.
        Slice lead = new Slice(new long[] {0, -2}, new long[] {1, 100});
        y = ShapeOpTesting.forward(lead, 1, x)[0];
        assertArrayEquals(new int[] {1, 2, 4}, y.shape());
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, y.data());
        // Empty result when start >= end.
        assertArrayEquals(new int[] {2, 0, 4}, ShapeOpTesting.forward(Slice.of(1, 2, 1), 1, x)[0].shape());
        // ONNX test "slice_neg_steps": 20x10x5, starts [20, 10, 4], ends [0, 0, 1], steps [-1, -3, -2].
        Slice neg = new Slice(new long[] {20, 10, 4}, new long[] {0, 0, 1}, new long[] {0, 1, 2}, new long[] {-1, -3, -2});
        Tensor big = iota(20, 10, 5);
        y = ShapeOpTesting.forward(neg, 1, big)[0];
        assertArrayEquals(new int[] {19, 3, 2}, y.shape());
        assertEquals(big.get(19, 9, 4), y.get(0, 0, 0));
        assertEquals(big.get(1, 3, 2), y.get(18, 2, 1));
        // Gradient: scattered into the sliced positions, zeros elsewhere.
        Tensor g = ShapeOpTesting.vjp(rev, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), iota(2, 3));
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, g.data());
        g = ShapeOpTesting.vjp(Slice.of(0, 1, 2), Tensor.of(new float[] {7, 8}, 1, 2), iota(3, 2));
        assertArrayEquals(new float[] {0, 0, 7, 8, 0, 0}, g.data());
    }

    @Test
    void finiteDifferences() {
        SplittableRandom r = new SplittableRandom(11);
        ShapeOpTesting.checkLinearGradients(new Slice(new long[] {-1, 1}, new long[] {MIN, 5}, new long[] {2, 0},
                new long[] {-2, 2}), 1, Tensor.randomNormal(r, 1f, 6, 2, 5));
        ShapeOpTesting.checkLinearGradients(Slice.of(-1, 1, -1), 1, Tensor.randomNormal(r, 1f, 3, 4));
    }

    @Test
    void badAttributesAreRejected() {
        Tensor x = Tensor.zeros(3, 4);
        assertInvalid(() -> new Slice(new long[] {0}, new long[] {1, 2}), "Slice", "starts", "ends", "same length");
        assertInvalid(() -> new Slice(new long[] {0}, new long[] {1}, new long[] {0, 1}, null), "Slice", "axes");
        assertInvalid(() -> new Slice(new long[] {0}, new long[] {1}, null, new long[] {0}), "Slice", "steps", "non-zero");
        assertInvalid(() -> new Slice(new long[] {0}, new long[] {1}, null, new long[] {1, 1}), "Slice", "steps");
        assertRejected(new Slice(new long[] {0, 0}, new long[] {1, 1}, new long[] {1, -1}, null), 1,
                new Tensor[] {x}, "Slice", "more than once");
        assertRejected(Slice.of(2, 0, 1), 1, new Tensor[] {x}, "Slice", "axes entry 2", "-2 … 1");
        assertRejected(new Slice(new long[] {0, 0, 0}, new long[] {1, 1, 1}), 1, new Tensor[] {x}, "Slice", "rank >= 3");
    }
}
