package dev.netlens.explain.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentSourceTest {
    private static Tensor image(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] data = new float[2 * 3 * 24 * 24];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextDouble();
        }
        return Tensor.of(data, 2, 3, 24, 24);
    }

    @Test
    void slicRunsOncePerItemWhileThePixelsAndSettingsAreTheSame() {
        Tensor x = image(1);
        SegmentSource source = new SegmentSource(null, 10);
        Segmentation first = source.of(x, 1);
        // counting evaluations, then explaining: the same segmentation, not a second SLIC run
        assertSame(first, source.of(x, 1));
        assertSame(first, new SegmentSource(null, 10).of(x, 1));
        assertArrayEquals(Segmentation.slic(x, 1, 10).labels(), first.labels());
        // another item, changed pixels or another superpixel count: segmented afresh
        assertNotSame(first, source.of(x, 0));
        assertSame(first, source.of(x, 1));
        x.data()[x.size() - 1] += 1f;
        Segmentation changed = source.of(x, 1);
        assertNotSame(first, changed);
        assertSame(changed, source.of(x, 1));
        assertNotSame(changed, new SegmentSource(null, 6).of(x, 1));
    }
}
