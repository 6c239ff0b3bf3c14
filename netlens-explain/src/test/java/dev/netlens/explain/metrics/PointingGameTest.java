package dev.netlens.explain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PointingGameTest {
    /** A 4×4 image whose object is the 2×2 block at rows 1–2, columns 1–2. */
    private static ObjectMask square() {
        boolean[] m = new boolean[16];
        m[5] = m[6] = m[9] = m[10] = true;
        return new ObjectMask(4, 4, m);
    }

    @Test
    void hitWhenTheMaximumIsInsideTheObject() {
        float[] map = new float[16];
        map[6] = 3;
        map[0] = 2;
        assertTrue(PointingGame.exact().hit(map, square()));
        map[15] = 4;
        assertFalse(PointingGame.exact().hit(map, square()));
        // pixel 15 = (3,3) is √2 from (2,2): a hit with tolerance 2, not 1
        assertFalse(PointingGame.withTolerance(1).hit(map, square()));
        assertTrue(PointingGame.withTolerance(2).hit(map, square()));
    }

    @Test
    void aFlatMapHitsOnlyWhenTheObjectCoversMostOfTheImage() {
        assertFalse(PointingGame.exact().hit(new float[16], square()));
        boolean[] big = new boolean[16];
        java.util.Arrays.fill(big, 0, 9, true);
        assertTrue(PointingGame.exact().hit(new float[16], new ObjectMask(4, 4, big)));
    }

    @Test
    void energyIsThePositiveShareInsideTheObject() {
        float[] map = new float[16];
        map[5] = 1;
        map[10] = 2;
        map[0] = 1;
        map[3] = -5;
        assertEquals(0.75, PointingGame.energy(map, square()), 1e-12);
        assertEquals(0, PointingGame.energy(new float[16], square()));
        assertEquals(0.25, square().fraction());
    }

    @Test
    void mapsAreSummedOverChannelsAndResizedToTheMask() {
        boolean[] corner = new boolean[16];
        corner[10] = corner[11] = corner[14] = corner[15] = true;
        ObjectMask bottomRight = new ObjectMask(4, 4, corner);
        // [1, 1, 2, 2] maps, resized bilinearly to 4×4: the maximum stays in its quadrant
        assertTrue(PointingGame.exact().hit(Tensor.of(new float[] {0, 0, 0, 1}, 1, 1, 2, 2), bottomRight));
        assertFalse(PointingGame.exact().hit(Tensor.of(new float[] {1, 0, 0, 0}, 1, 1, 2, 2), bottomRight));
        // channel sums: pixel 5 = 2 + 1 = 3 (inside), pixel 0 = −3 + 1 = −2, pixel 15 = 1 (outside)
        float[] rgb = new float[48];
        rgb[5] = 2;
        rgb[16 + 5] = 1;
        rgb[16] = -3;
        rgb[32] = 1;
        rgb[32 + 15] = 1;
        assertEquals(0.75, PointingGame.energy(Tensor.of(rgb, 1, 3, 4, 4), square()), 1e-9);
    }

    @Test
    void regionPointingGameUsesTheBestSegment() {
        // 4×4 image, object = top-left 2×2 block; segments: left column pair (0), right half (1), bottom-left (2).
        boolean[] object = new boolean[16];
        object[0] = object[1] = object[4] = object[5] = true;
        ObjectMask mask = new ObjectMask(4, 4, object);
        float[] labels = {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 1, 1, 2, 2, 1, 1};
        Tensor segments = Tensor.of(labels, 1, 1, 4, 4);
        // segment 1 (the right half, outside the object) has the largest mean although segment 0 has the largest pixel
        float[] a = {5, 0, 2, 2, 0, 0, 2, 2, 0, 0, 2, 2, 0, 0, 2, 2};
        assertFalse(PointingGame.regionHit(Tensor.of(a, 1, 1, 4, 4), segments, mask));
        assertTrue(PointingGame.exact().hit(a, mask), "the pixel pointing game would hit");
        float[] b = {3, 3, 2, 2, 3, 3, 2, 2, 0, 0, 2, 2, 0, 0, 2, 2};
        assertTrue(PointingGame.regionHit(Tensor.of(b, 1, 1, 4, 4), segments, mask));
        assertEquals(1 / 3.0, PointingGame.regionChance(segments, mask), 1e-12, "one of three segments touches the object");
    }

    @Test
    void tallyAggregates() {
        PointingGame.Tally t = new PointingGame.Tally();
        t.add(true, 0.5, 0.25);
        t.add(false, 0.1, 0.25);
        t.add(true, 0.9, 0.1);
        assertEquals(3, t.count());
        assertEquals(2.0 / 3, t.hitRate(), 1e-12);
        assertEquals(0.5, t.meanEnergy(), 1e-12);
        assertEquals(0.2, t.meanMaskFraction(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PointingGame.exact().hit(new float[3], square()));
    }
}
