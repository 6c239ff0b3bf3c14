package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.RandomCases.between;
import static dev.netlens.core.ops.ShapeOpTesting.assertInvalid;
import static dev.netlens.core.ops.ShapeOpTesting.assertRejected;
import static dev.netlens.core.ops.ShapeOpTesting.iota;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Reshape, Flatten, Squeeze, Unsqueeze and Identity: the same data under another shape. */
class ReshapeFamilyTest {

    /** Checks y has {@code shape}, the input's values in order, x untouched, and the VJP is the seed reshaped. */
    private static void checkView(Op op, Tensor x, int... shape) {
        Tensor before = x.copy();
        Tensor y = ShapeOpTesting.forward(op, 1, x)[0];
        assertArrayEquals(shape, y.shape(), op.toString());
        assertArrayEquals(x.data(), y.data(), op.toString());
        assertBitIdentical(before, x, "input of " + op);
        SplittableRandom r = new SplittableRandom(x.size());
        Tensor seed = Tensor.randomNormal(r, 1f, shape);
        Tensor g = ShapeOpTesting.vjp(op, seed, x);
        assertArrayEquals(x.shape(), g.shape());
        assertArrayEquals(seed.data(), g.data());
        assertFalse(op.retainsInput(0));
        assertEquals(OpCategory.SHAPE == op.category() || OpCategory.IDENTITY == op.category(), true);
    }

    @Test
    void reshapeResolvesZeroAndMinusOne() {
        Tensor x = iota(2, 3, 4);
        checkView(new Reshape(4, 6), x, 4, 6);
        checkView(new Reshape(0, -1), x, 2, 12);
        checkView(new Reshape(-1, 0, 2), x, 4, 3, 2);
        checkView(new Reshape(0, 0, 0), x, 2, 3, 4);
        checkView(new Reshape(24), x, 24);
        checkView(new Reshape(new int[] {0, 4}, true), Tensor.zeros(0, 3), 0, 4);
        checkView(new Reshape(new int[] {2, 12}, true), x, 2, 12);
        checkView(new Reshape(), Tensor.scalar(3), new int[0]);
        checkView(new Reshape(1, 1), Tensor.scalar(3), 1, 1);
    }

    @Test
    void reshapeMatchesRandomFactorisations() {
        RandomCases.forAll("reshape keeps the data", 30, 500, r -> {
            int[] shape = ShapeOpTesting.randomShape(r, between(r, 1, 4), 1, 4);
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            // Random target: factor n, then replace one entry by -1 and copied prefix entries by 0.
            List<Integer> target = new ArrayList<>();
            int left = n;
            while (left > 1) {
                int f = 2;
                while (left % f != 0) {
                    f++;
                }
                int g = r.nextBoolean() && left / f > 1 && (left / f) % 2 == 0 ? f * 2 : f;
                target.add(g);
                left /= g;
            }
            if (target.isEmpty() || r.nextBoolean()) {
                target.add(1);
            }
            int[] t = target.stream().mapToInt(Integer::intValue).toArray();
            int[] expected = t.clone();
            int[] spec = t.clone();
            spec[r.nextInt(spec.length)] = -1;
            for (int d = 0; d < Math.min(spec.length, shape.length); d++) {
                if (spec[d] == shape[d] && r.nextBoolean()) {
                    spec[d] = 0;
                }
            }
            checkView(new Reshape(spec), Tensor.randomNormal(r, 1f, shape), expected);
        });
    }

    @Test
    void reshapeErrors() {
        assertInvalid(() -> new Reshape(-1, -1), "Reshape", "more than one -1");
        assertInvalid(() -> new Reshape(2, -3), "Reshape", "-3", ">= 0 or -1");
        assertInvalid(() -> new Reshape(new int[] {0, -1}, true), "Reshape", "allowzero", "both 0 and -1");
        assertRejected(new Reshape(5, 5), 1, new Tensor[] {Tensor.zeros(2, 3)}, "Reshape", "[2, 3]", "[5, 5]");
        assertRejected(new Reshape(-1, 4), 1, new Tensor[] {Tensor.zeros(2, 3)}, "Reshape", "[-1, 4]");
        assertRejected(new Reshape(0, 0, 0), 1, new Tensor[] {Tensor.zeros(6)}, "Reshape", "rank 1");
    }

    @Test
    void flattenCollapsesAroundTheAxis() {
        Tensor x = iota(2, 3, 4, 5);
        checkView(new Flatten(), x, 2, 60);
        checkView(new Flatten(0), x, 1, 120);
        checkView(new Flatten(4), x, 120, 1);
        checkView(new Flatten(-1), x, 24, 5);
        checkView(new Flatten(-4), x, 1, 120);
        checkView(new Flatten(2), x, 6, 20);
        checkView(new Flatten(0), Tensor.scalar(2), 1, 1);
        assertRejected(new Flatten(5), 1, new Tensor[] {x}, "Flatten", "axis 5", "-4 … 4");
        assertRejected(new Flatten(-5), 1, new Tensor[] {x}, "Flatten", "axis -5");
        assertEquals(1, new Flatten().attributes().get("axis"));
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor x = iota(1, 3, 1, 2, 1);
        checkView(new Squeeze(), x, 3, 2);
        checkView(new Squeeze(new int[0]), x, 3, 2);
        checkView(new Squeeze(0), x, 3, 1, 2, 1);
        checkView(new Squeeze(-1, 2), x, 1, 3, 2);
        checkView(new Squeeze(), Tensor.zeros(1, 1), new int[0]);
        checkView(new Unsqueeze(0), iota(3, 2), 1, 3, 2);
        checkView(new Unsqueeze(-1), iota(3, 2), 3, 2, 1);
        checkView(new Unsqueeze(3, 0), iota(3, 2), 1, 3, 2, 1);
        checkView(new Unsqueeze(1, -2), iota(3, 2), 3, 1, 1, 2);
        checkView(new Unsqueeze(0, 1), Tensor.scalar(4), 1, 1);
        assertRejected(new Squeeze(1), 1, new Tensor[] {x}, "Squeeze", "axis 1", "extent 3", "extent 1");
        assertRejected(new Squeeze(5), 1, new Tensor[] {x}, "Squeeze", "-5 … 4");
        assertRejected(new Squeeze(0, -5), 1, new Tensor[] {x}, "Squeeze", "more than once");
        assertRejected(new Unsqueeze(4), 1, new Tensor[] {iota(3, 2)}, "Unsqueeze", "out of range", "output rank");
        assertRejected(new Unsqueeze(0, -3), 1, new Tensor[] {iota(3)}, "Unsqueeze", "more than once");
        assertInvalid(Unsqueeze::new, "Unsqueeze", "at least one axis");
    }

    @Test
    void squeezeAndUnsqueezeInvertEachOther() {
        RandomCases.forAll("unsqueeze then squeeze is the identity", 25, 600, r -> {
            int[] shape = ShapeOpTesting.randomShape(r, between(r, 0, 3), 2, 4);
            int k = between(r, 1, 3);
            int rank = shape.length + k;
            List<Integer> positions = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                positions.add(d);
            }
            int[] axes = new int[k];
            for (int i = 0; i < k; i++) {
                int p = positions.remove(r.nextInt(positions.size()));
                axes[i] = r.nextBoolean() ? p : p - rank;
            }
            Tensor x = Tensor.randomNormal(r, 1f, shape);
            Tensor u = ShapeOpTesting.forward(new Unsqueeze(axes), 1, x)[0];
            assertEquals(rank, u.rank());
            for (int a : axes) {
                assertEquals(1, u.dim(a));
            }
            Tensor s = ShapeOpTesting.forward(new Squeeze(axes), 1, u)[0];
            assertBitIdentical(x, s, "round trip");
        });
    }

    @Test
    void identityPassesThrough() {
        Tensor x = Tensor.randomNormal(new SplittableRandom(1), 1f, 2, 3);
        checkView(new Identity(), x, 2, 3);
        assertEquals(OpCategory.IDENTITY, new Identity().category());
        assertEquals("Identity", new Identity().toString());
        ShapeOpTesting.checkLinearGradients(new Identity(), 1, x);
    }
}
