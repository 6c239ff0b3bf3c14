package dev.netlens.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BatchLoaderTest {

    /**
     * {@code size} examples of shape [1, 1, 3]: (index, label, a draw from the example's random
     * stream), so batches show both which example came and which random state it saw.
     */
    static class Synthetic implements Dataset {
        final int size;
        final int failAt;

        Synthetic(int size, int failAt) {
            this.size = size;
            this.failAt = failAt;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public List<String> classNames() {
            return List.of("even", "odd", "three");
        }

        @Override
        public int[] imageShape() {
            return new int[] {1, 1, 3};
        }

        @Override
        public int label(int index) {
            return index % 3;
        }

        @Override
        public Example get(int index, SplittableRandom random) {
            if (index == failAt) {
                throw new IllegalArgumentException("cannot read example " + index);
            }
            return new Example(new float[] {index, label(index), (float) random.nextDouble()}, label(index));
        }
    }

    private static BatchLoader.Options.Builder base() {
        return BatchLoader.options().batchSize(8).shuffle(true).seed(42);
    }

    private static List<Batch> all(Dataset ds, BatchLoader.Options options, int epoch, int start) {
        List<Batch> out = new ArrayList<>();
        try (BatchLoader loader = BatchLoader.open(ds, options, epoch, start)) {
            while (loader.hasNext()) {
                int expected = loader.nextBatchIndex();
                out.add(loader.next());
                assertEquals(expected + 1, loader.nextBatchIndex());
            }
            assertThrows(NoSuchElementException.class, loader::next);
        }
        return out;
    }

    private static int[] order(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
    }

    private static void assertSameBatches(List<Batch> expected, List<Batch> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).indices(), actual.get(i).indices(), "batch " + i);
            assertArrayEquals(expected.get(i).labels(), actual.get(i).labels(), "batch " + i);
            assertArrayEquals(expected.get(i).images().shape(), actual.get(i).images().shape(), "batch " + i);
            assertArrayEquals(expected.get(i).images().data(), actual.get(i).images().data(), "batch " + i);
        }
    }

    @Test
    void everyIndexExactlyOncePerEpochWithConsistentContents() {
        Synthetic ds = new Synthetic(50, -1);
        for (boolean shuffle : new boolean[] {false, true}) {
            List<Batch> batches = all(ds, base().shuffle(shuffle).build(), 3, 0);
            assertEquals(7, batches.size());
            assertEquals(2, batches.get(6).size(), "the last batch keeps the remainder");
            int[] seen = order(batches);
            int[] sorted = seen.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < 50; i++) {
                assertEquals(i, sorted[i]);
            }
            if (!shuffle) {
                assertArrayEquals(sorted, seen, "without shuffling the order is the dataset's");
            }
            for (Batch b : batches) {
                float[] px = b.images().data();
                assertArrayEquals(new int[] {b.size(), 1, 1, 3}, b.images().shape());
                for (int i = 0; i < b.size(); i++) {
                    assertEquals(b.indices()[i], (int) px[3 * i]);
                    assertEquals(b.indices()[i] % 3, b.labels()[i]);
                    assertEquals(b.labels()[i], (int) px[3 * i + 1]);
                    double expectedDraw = RandomStreams.forExample(42, 3, b.indices()[i]).nextDouble();
                    assertEquals((float) expectedDraw, px[3 * i + 2], "example random from (seed, epoch, index)");
                }
            }
        }
    }

    @Test
    void dropLastLeavesOutTheIncompleteBatch() {
        Synthetic ds = new Synthetic(50, -1);
        List<Batch> batches = all(ds, base().dropLast(true).build(), 0, 0);
        assertEquals(6, batches.size());
        assertEquals(48, order(batches).length);
        assertEquals(48, Arrays.stream(order(batches)).distinct().count());
        assertEquals(0, all(new Synthetic(5, -1), base().dropLast(true).build(), 0, 0).size());
        assertEquals(1, all(new Synthetic(5, -1), base().build(), 0, 0).size());
    }

    @Test
    void orderIsAPureFunctionOfSeedAndEpoch() {
        Synthetic ds = new Synthetic(100, -1);
        BatchLoader.Options options = base().build();
        assertSameBatches(all(ds, options, 1, 0), all(ds, base().build(), 1, 0));
        int[] epoch0 = order(all(ds, options, 0, 0));
        int[] epoch1 = order(all(ds, options, 1, 0));
        int[] otherSeed = order(all(ds, base().seed(43).build(), 0, 0));
        assertFalse(Arrays.equals(epoch0, epoch1), "epochs differ");
        assertFalse(Arrays.equals(epoch0, otherSeed), "seeds differ");
        assertArrayEquals(options.order(100, 1), epoch1);
    }

    @Test
    void resultsDoNotDependOnThreads() {
        Synthetic ds = new Synthetic(61, -1);
        List<Batch> reference = all(ds, base().prefetch(0).build(), 2, 0);
        assertSameBatches(reference, all(ds, base().prefetch(1).build(), 2, 0));
        assertSameBatches(reference, all(ds, base().prefetch(3).workers(3).build(), 2, 0));
    }

    @Test
    void resumingFromBatchKGivesTheRemainingBatches() {
        Synthetic ds = new Synthetic(50, -1);
        for (int prefetch : new int[] {0, 2}) {
            BatchLoader.Options options = base().prefetch(prefetch).build();
            List<Batch> uninterrupted = all(ds, options, 5, 0);
            for (int k = 0; k <= uninterrupted.size(); k++) {
                assertSameBatches(uninterrupted.subList(k, uninterrupted.size()), all(ds, options, 5, k));
            }
        }
        // with real transforms on real-shaped data: images equal too
        Dataset augmented = new Synthetic(40, -1).transformed(Transforms.compose(Transforms.resize(4, 6),
                Transforms.randomCrop(4, 6, 2), Transforms.randomHorizontalFlip()));
        BatchLoader.Options options = base().batchSize(6).build();
        List<Batch> full = all(augmented, options, 1, 0);
        assertSameBatches(full.subList(3, full.size()), all(augmented, options, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.open(ds, options, 0, 99));
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.open(ds, options, -1, 0));
    }

    @Test
    void backgroundExceptionIsRethrownAtTheFailingBatch() {
        Synthetic ds = new Synthetic(40, 21);
        for (int workers : new int[] {1, 2}) {
            BatchLoader.Options options = base().shuffle(false).prefetch(2).workers(workers).build();
            try (BatchLoader loader = BatchLoader.open(ds, options, 0, 0)) {
                loader.next();
                loader.next(); // batches 0 and 1 hold indices 0..15
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loader::next);
                assertEquals("cannot read example 21", e.getMessage());
                assertThrows(IllegalStateException.class, loader::next, "a failed loader is closed");
            }
        }
        BatchLoader sync = BatchLoader.open(ds, base().shuffle(false).prefetch(0).build(), 0, 2);
        assertThrows(IllegalArgumentException.class, sync::next);
        sync.close();
    }

    @Test
    void closeStopsTheBackgroundThread() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Dataset slow = new Synthetic(10_000, -1) {
            @Override
            public Example get(int index, SplittableRandom random) {
                started.countDown();
                return super.get(index, random);
            }
        };
        BatchLoader loader = BatchLoader.open(slow, base().prefetch(2).build(), 0, 0);
        Thread producer = loader.producerThread();
        assertNotNull(producer);
        assertTrue(producer.isDaemon());
        assertTrue(started.await(10, TimeUnit.SECONDS));
        loader.next();
        loader.close();
        assertFalse(producer.isAlive(), "the prefetch thread has ended");
        assertFalse(loader.hasNext());
        assertThrows(IllegalStateException.class, loader::next);
        loader.close(); // idempotent
    }

    @Test
    void optionsValidateAndDescribeThemselves() {
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.options().batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.options().prefetch(-1));
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.options().workers(0));
        assertEquals("BatchOptions(batchSize=8, shuffle=true, seed=42, dropLast=false)", base().build().toString());
        assertEquals(7, base().build().batchCount(50));
        assertEquals(6, base().dropLast(true).build().batchCount(50));
    }

    @Test
    void subsetAndLimitAreViews() {
        Synthetic ds = new Synthetic(10, -1);
        Dataset sub = ds.subset(new int[] {7, 2, 7});
        assertEquals(3, sub.size());
        assertEquals(1, sub.label(0));
        assertEquals(7f, sub.get(2, new SplittableRandom(1)).image()[0]);
        assertEquals(4, ds.limit(4).size());
        assertEquals(3f, ds.limit(4).get(3, new SplittableRandom(1)).image()[0]);
        assertSame(ds, ds.limit(20));
        assertThrows(IllegalArgumentException.class, () -> ds.subset(new int[] {10}));
        assertThrows(IndexOutOfBoundsException.class, () -> sub.label(3));
    }
}
