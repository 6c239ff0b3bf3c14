package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#range}: every index runs exactly once, in the chunks the bounds rule gives,
 * whether a worker takes its chunk or the caller runs it because the worker is still waking up
 * (after a pause longer than the workers' spin, they are parked) — many loops back to back, so
 * that assignments the workers have not taken yet are replaced by later ones.
 */
class ParallelTest {
    private static void assertEachIndexOnce(int n, int grain) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        AtomicIntegerArray chunkStarts = new AtomicIntegerArray(n + 1);
        Parallel.range(n, grain, (from, to) -> {
            chunkStarts.incrementAndGet(from);
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen.get(i), "index " + i + " of " + n + " (grain " + grain + ")");
        }
        int chunks = Math.min(Parallel.threads(), Math.max(1, n / Math.max(1, grain)));
        for (int c = 0; c < chunks; c++) {
            assertEquals(1, chunkStarts.get(Parallel.bound(n, chunks, c)), "chunk " + c + " of " + chunks);
        }
    }

    @Test
    void everyIndexRunsOnceBackToBack() {
        for (int rep = 0; rep < 3000; rep++) {
            assertEachIndexOnce(1 + rep % 97, 1 + rep % 5);
        }
    }

    @Test
    void everyIndexRunsOnceAfterTheWorkersParked() {
        for (int rep = 0; rep < 40; rep++) {
            LockSupport.parkNanos(1_000_000); // longer than the workers' spin: they park
            assertEachIndexOnce(2 + rep, 1);
        }
    }

    @Test
    void aFailingChunkIsRethrownAndTheNextLoopRuns() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> Parallel.range(64, 1, (from, to) -> {
            if (to == 64) {
                throw new IllegalStateException("last chunk");
            }
        }));
        assertTrue(e.getMessage().contains("last chunk"), e.getMessage());
        assertEachIndexOnce(64, 1);
    }
}
