package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BenchWarmupTest {
    @Test
    void aCountRunsExactlyThatOften() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        assertEquals(7, BenchWarmup.parse("7").run(calls::incrementAndGet));
        assertEquals(7, calls.get());
        assertEquals(0, BenchWarmup.parse(" 0 ").run(calls::incrementAndGet));
        assertEquals(7, calls.get());
    }

    @Test
    void autoStopsAtTheCountForFastRunsAndAtTheMinimumForSlowOnes() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BenchWarmup auto = BenchWarmup.parse("AUTO");
        assertTrue(auto.auto());
        assertEquals(BenchWarmup.MAX_RUNS, auto.run(calls::incrementAndGet));
        assertEquals(BenchWarmup.MAX_RUNS, calls.get());
        // Runs longer than the whole time limit: the minimum, no more.
        AtomicInteger slow = new AtomicInteger();
        assertEquals(BenchWarmup.MIN_RUNS, BenchWarmup.auto(20_000_000L).run(() -> {
            Thread.sleep(15);
            slow.incrementAndGet();
        }));
        assertEquals(BenchWarmup.MIN_RUNS, slow.get());
        // Between: the time limit ends it, after the minimum and before the count.
        int runs = BenchWarmup.auto(300_000_000L).run(() -> Thread.sleep(10));
        assertTrue(runs > BenchWarmup.MIN_RUNS && runs < BenchWarmup.MAX_RUNS, runs + " runs");
    }

    @Test
    void badValuesNameTheOption() {
        for (String bad : new String[] {"-1", "three", "", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchWarmup.parse(bad));
            assertTrue(e.getMessage().contains("--warmup must be auto or a count >= 0"), e.getMessage());
        }
    }
}
