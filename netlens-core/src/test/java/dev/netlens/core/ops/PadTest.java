package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static dev.netlens.core.ops.RandomCases.between;
import static dev.netlens.core.ops.ShapeOpTesting.assertInvalid;
import static dev.netlens.core.ops.ShapeOpTesting.assertRejected;
import static dev.netlens.core.ops.ShapeOpTesting.forEachIndex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PadTest {

    /**
     * The source index of each output position along one axis, built the way numpy describes the
     * modes (-1 = constant): the axis' indices with copies prepended/appended, or cut for negative pads.
     */
    static int[] sourceIndices(String mode, int n, int begin, int end) {
        List<Integer> core = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            core.add(i);
        }
        List<Integer> left = new ArrayList<>();
        List<Integer> right = new ArrayList<>();
        switch (mode) {
            case "constant" -> {
                for (int k = 0; k < begin; k++) {
                    left.add(-1);
                }
                for (int k = 0; k < end; k++) {
                    right.add(-1);
                }
            }
            case "edge" -> {
                for (int k = 0; k < begin; k++) {
                    left.add(0);
                }
                for (int k = 0; k < end; k++) {
                    right.add(n - 1);
                }
            }
            case "reflect" -> {
                // Walk outward from each edge, bouncing off the far ends (an axis of 1 repeats its element).
                int pos = 0;
                int dir = 1;
                for (int k = 0; k < begin; k++) {
                    if (n > 1) {
                        if (pos + dir < 0 || pos + dir > n - 1) {
                            dir = -dir;
                        }
                        pos += dir;
                    }
                    left.add(0, pos);
                }
                pos = n - 1;
                dir = -1;
                for (int k = 0; k < end; k++) {
                    if (n > 1) {
                        if (pos + dir < 0 || pos + dir > n - 1) {
                            dir = -dir;
                        }
                        pos += dir;
                    }
                    right.add(pos);
                }
            }
            case "wrap" -> {
                // Tile the axis enough times and cut the window [copies·n − begin, copies·n + n + end).
                int copies = begin / n + 2;
                List<Integer> tiled = new ArrayList<>();
                for (int c = 0; c < 2 * copies + end / n + 2; c++) {
                    tiled.addAll(core);
                }
                int from = copies * n - begin;
                return tiled.subList(from, from + begin + n + end).stream().mapToInt(Integer::intValue).toArray();
            }
            default -> throw new AssertionError(mode);
        }
        List<Integer> all = new ArrayList<>(left);
        all.addAll(core);
        all.addAll(right);
        int from = begin < 0 ? -begin : 0;
        int to = all.size() - (end < 0 ? -end : 0);
        return all.subList(from, to).stream().mapToInt(Integer::intValue).toArray();
    }

    static int[][] sources(String mode, int[] shape, int[] pads) {
        int r = shape.length;
        int[][] s = new int[r][];
        for (int d = 0; d < r; d++) {
            s[d] = sourceIndices(mode, shape[d], pads[d], pads[d + r]);
        }
        return s;
    }

    static Tensor naivePad(Tensor x, String mode, int[] pads, float value) {
        int[][] src = sources(mode, x.shape(), pads);
        int[] out = new int[src.length];
        for (int d = 0; d < out.length; d++) {
            out[d] = src[d].length;
        }
        Tensor y = Tensor.zeros(out);
        forEachIndex(out, idx -> {
            int[] s = new int[idx.length];
            boolean inside = true;
            for (int d = 0; d < idx.length; d++) {
                s[d] = src[d][idx[d]];
                inside &= s[d] >= 0;
            }
            y.set(inside ? x.get(s) : value, idx);
        });
        return y;
    }

    static Tensor naivePadAdjoint(Tensor g, int[] inShape, String mode, int[] pads) {
        int[][] src = sources(mode, inShape, pads);
        Tensor gx = Tensor.zeros(inShape);
        forEachIndex(g.shape(), idx -> {
            int[] s = new int[idx.length];
            for (int d = 0; d < idx.length; d++) {
                s[d] = src[d][idx[d]];
                if (s[d] < 0) {
                    return;
                }
            }
            gx.set(gx.get(s) + g.get(idx), s);
        });
        return gx;
    }

    @Test
    void forwardAndVjpMatchReference() {
        String[] modes = {"constant", "reflect", "edge", "wrap"};
        RandomCases.forAll("pad = reference", 50, 700, r -> {
            int rank = between(r, 1, 4);
            int[] shape = ShapeOpTesting.randomShape(r, rank, 1, 5);
            String mode = modes[r.nextInt(modes.length)];
            int[] pads = new int[2 * rank];
            for (int d = 0; d < rank; d++) {
                for (int side = 0; side < 2; side++) {
                    int p = switch (mode) {
                        case "constant" -> between(r, -shape[d] / 2, 3);
                        case "reflect" -> between(r, 0, r.nextBoolean() ? shape[d] - 1 : 3 * shape[d]);
                        case "wrap" -> between(r, 0, 2 * shape[d] + 1);
                        default -> between(r, 0, 3);
                    };
                    pads[d + side * rank] = p;
                }
            }
            float value = r.nextBoolean() ? 0f : (float) r.nextGaussian();
            Tensor x = Tensor.randomNormal(r, 1f, shape);
            Pad op = Pad.of(mode, pads, value, null);
            Tensor y = ShapeOpTesting.forward(op, 1, x)[0];
            assertBitIdentical(naivePad(x, mode, pads, value), y, op.toString());
            Tensor seed = Tensor.randomNormal(r, 1f, y.shape());
            assertClose(naivePadAdjoint(seed, shape, mode, pads), ShapeOpTesting.vjp(op, seed, x), 1e-6, 1e-6,
                    "gradient of " + op);
        });
    }

    @Test
    void onnxDocumentationExamples() {
        Tensor x = Tensor.of(new float[] {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}, 3, 2);
        int[] pads = {0, 2, 0, 0};
        assertArrayEquals(new float[] {0, 0, 1.0f, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f},
                ShapeOpTesting.forward(new Pad(pads), 1, x)[0].data());
        assertArrayEquals(new float[] {1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f},
                ShapeOpTesting.forward(Pad.reflect(pads), 1, x)[0].data());
        assertArrayEquals(new float[] {1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f},
                ShapeOpTesting.forward(Pad.edge(pads), 1, x)[0].data());
        assertArrayEquals(new float[] {1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f},
                ShapeOpTesting.forward(Pad.wrap(pads), 1, x)[0].data());
    }

    @Test
    void handCasesCroppingAxesAndGradients() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // Crop one column on the left, pad one on the right with 9.
        Tensor y = ShapeOpTesting.forward(Pad.constant(9f, 0, -1, 0, 1), 1, x)[0];
        assertArrayEquals(new float[] {2, 3, 9, 5, 6, 9}, y.data());
        // Axes: pad only the last axis (given as -1), edge mode.
        y = ShapeOpTesting.forward(new Pad(Pad.Mode.EDGE, new int[] {1, 2}, 0f, new int[] {-1}), 1, x)[0];
        assertArrayEquals(new float[] {1, 1, 2, 3, 3, 3, 4, 4, 5, 6, 6, 6}, y.data());
        // Reflect gradient: position 1 receives its own and its mirror's gradient.
        // Reflect beyond extent − 1 keeps mirroring: [a b c] padded by 5 on the left.
        y = ShapeOpTesting.forward(Pad.reflect(5, 0), 1, Tensor.of(new float[] {1, 2, 3}, 3))[0];
        assertArrayEquals(new float[] {2, 1, 2, 3, 2, 1, 2, 3}, y.data());
        Tensor g = ShapeOpTesting.vjp(Pad.reflect(1, 1), Tensor.of(new float[] {1, 10, 100, 1000, 10000}, 5),
                Tensor.of(new float[] {7, 8, 9}, 3));
        assertArrayEquals(new float[] {10, 1 + 100 + 10000, 1000}, g.data());
        // Edge gradient accumulates at the ends.
        g = ShapeOpTesting.vjp(Pad.edge(2, 1), Tensor.of(new float[] {1, 2, 3, 4, 5}, 5), Tensor.of(new float[] {7, 8}, 2));
        assertArrayEquals(new float[] {6, 9}, g.data());
        SplittableRandom r = new SplittableRandom(3);
        Tensor z = Tensor.randomNormal(r, 1f, 1, 2, 4, 5);
        for (Pad p : new Pad[] {Pad.reflect(0, 0, 2, 3, 0, 0, 3, 1), Pad.edge(0, 1, 1, 2, 0, 0, 2, 1),
            Pad.constant(0.5f, 0, 0, -1, 2, 0, 0, 1, -2), Pad.wrap(0, 0, 5, 1, 0, 0, 2, 6)}) {
            ShapeOpTesting.checkLinearGradients(p, 1, z);
        }
        assertEquals(0.5f, Pad.constant(0.5f, 1, 1).attributes().get("constant_value"));
        assertEquals("Pad{mode=reflect, pads=[1, 1]}", Pad.reflect(1, 1).toString());
    }

    @Test
    void badAttributesAreRejected() {
        Tensor x = Tensor.zeros(2, 3);
        assertInvalid(() -> Pad.reflect(0, -1, 0, 0), "Pad", "negative", "constant mode only");
        assertInvalid(() -> new Pad(1, 2, 3), "Pad", "even length");
        assertInvalid(() -> new Pad(Pad.Mode.CONSTANT, new int[] {1, 1}, 0f, new int[] {0, 1}), "Pad", "2 entries per axis");
        assertInvalid(() -> Pad.of("symmetric", new int[] {1, 1}, 0f, null), "Pad", "symmetric", "constant, reflect, edge, wrap");
        assertRejected(new Pad(1, 1), 1, new Tensor[] {x}, "Pad", "needs 4", "[2, 3]");
        assertRejected(Pad.edge(0, 1, 0, 0), 1, new Tensor[] {Tensor.zeros(2, 0)}, "Pad", "empty axis 1");
        assertRejected(Pad.constant(0f, 0, -2, 0, -2), 1, new Tensor[] {x}, "Pad", "remove more than");
        assertRejected(new Pad(Pad.Mode.CONSTANT, new int[] {1, 1}, 0f, new int[] {2}), 1, new Tensor[] {x}, "Pad",
                "axes entry 2");
    }
}
