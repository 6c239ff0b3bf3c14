package dev.netlens.core.graph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** When a pass needs position-uniform convolutions: a flat 2×2 patch in every channel, and a maximum in the graph. */
class ExactTiesTest {
    @Test
    void aFlatPatchMustBeFlatInEveryChannel() {
        Tensor t = Tensor.randomNormal(new SplittableRandom(1), 1f, 2, 3, 6, 7);
        assertFalse(ExactTies.hasFlatPatch(t), "random values");
        // the second image, pixels (3, 4), (3, 5), (4, 4), (4, 5): flat in channels 0 and 1 only
        for (int c = 0; c < 2; c++) {
            fill(t, 1, c, 3, 4, 0.25f * c);
        }
        assertFalse(ExactTies.hasFlatPatch(t), "flat in two of three channels");
        fill(t, 1, 2, 3, 4, -1f);
        assertTrue(ExactTies.hasFlatPatch(t), "flat in every channel");
        // NaN never makes a patch flat; other ranks have no patches
        Tensor nan = Tensor.zeros(1, 1, 2, 2);
        java.util.Arrays.fill(nan.data(), Float.NaN);
        assertFalse(ExactTies.hasFlatPatch(nan));
        assertFalse(ExactTies.hasFlatPatch(Tensor.zeros(4, 8)));
        assertTrue(ExactTies.hasFlatPatch(Tensor.zeros(1, 1, 2, 2)));
    }

    @Test
    void onlyGraphsThatDecideByAMaximumNeedIt() {
        Graph pooled = Graph.builder().input("x", -1, 1, 4, 4).node("pool", MaxPool.of(2, 2), java.util.List.of("x"),
                java.util.List.of("y")).output("y").build();
        Graph relu = Graph.builder().input("x", -1, 1, 4, 4).node("r", new Relu(), java.util.List.of("x"),
                java.util.List.of("y")).output("y").build();
        Tensor flat = Tensor.zeros(1, 1, 4, 4);
        assertTrue(ExactTies.needed(pooled, flat));
        assertFalse(ExactTies.needed(relu, flat));
        assertFalse(ExactTies.needed(pooled, Tensor.randomNormal(new SplittableRandom(2), 1f, 1, 1, 4, 4)));
    }

    private static void fill(Tensor t, int n, int c, int y, int x, float v) {
        int[] s = t.shape();
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                t.data()[((n * s[1] + c) * s[2] + y + dy) * s[3] + x + dx] = v;
            }
        }
    }
}
