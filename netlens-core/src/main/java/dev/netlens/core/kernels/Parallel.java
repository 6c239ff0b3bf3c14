package dev.netlens.core.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Deterministic data-parallel loops for the hot loops.
 *
 * <p>A range [0, n) is cut into at most {@link #threads()} contiguous chunks whose bounds depend
 * only on n, the grain and the thread count. The calling thread runs the first chunk and worker
 * threads the others; a chunk whose worker has not started it when the caller has finished its
 * own (a parked worker takes tens of microseconds to wake up) is run by the caller instead —
 * the same chunk, so results do not depend on which thread ran it. When the workers are busy (a loop started from inside a loop, or from a
 * second application thread at the same time) the caller runs all chunks itself, one after the
 * other — the same chunks, so results that are combined per chunk are bit-identical either way.
 *
 * <p>Workers spin briefly after each chunk before parking: convolutions issue several short
 * parallel phases back to back, and waking a parked thread cost tens to hundreds of microseconds
 * per phase on the 2-core machines this was measured on.
 *
 * <p>The thread count is the system property {@code netlens.threads} (default: available
 * processors), read once. OpenBLAS runs single-threaded under these loops (see
 * {@link OpenBlasKernels}), so threads never exceed cores.
 */
public final class Parallel {
    /** Body of a parallel loop over a chunk [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** How long a worker keeps polling for the next chunk before it parks. */
    private static final long SPIN_NANOS = 200_000;

    private static final int THREADS = readThreads();
    private static final Worker[] WORKERS = startWorkers(THREADS - 1);
    private static final AtomicBoolean BUSY = new AtomicBoolean();

    private Parallel() {
    }

    private static int readThreads() {
        String p = System.getProperty("netlens.threads");
        if (p == null || p.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(p.trim());
            if (t < 1) {
                throw new NumberFormatException();
            }
            return t;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("netlens.threads must be a positive integer, got '" + p + "'");
        }
    }

    private static Worker[] startWorkers(int count) {
        Worker[] workers = new Worker[Math.max(0, count)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
        return workers;
    }

    /** Number of threads parallel loops use (including the caller). */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over [0, n) in contiguous chunks of at least {@code grain} items each.
     */
    public static void range(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(THREADS, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        if (Thread.currentThread() instanceof Worker || !BUSY.compareAndSet(false, true)) {
            for (int c = 0; c < chunks; c++) {
                body.run(bound(n, chunks, c), bound(n, chunks, c + 1));
            }
            return;
        }
        try {
            Job job = new Job(body, n, chunks);
            for (int c = 1; c < chunks; c++) {
                WORKERS[c - 1].assign(job, c);
            }
            try {
                body.run(0, bound(n, chunks, 1));
            } catch (Throwable t) {
                job.fail(t);
            }
            for (int c = 1; c < chunks; c++) {
                job.runIfUnclaimed(c);
            }
            job.awaitWorkers();
            job.rethrow();
        } finally {
            BUSY.set(false);
        }
    }

    /**
     * Runs {@code body} over [0, n) in blocks of {@code grain} items claimed by whichever thread is
     * free, so that a thread slowed down (by another process on its core) takes fewer blocks. Only
     * for loops whose items are independent — each item computed the same way whichever thread runs
     * it — since which thread gets which block depends on timing.
     */
    public static void dynamic(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        if (THREADS == 1 || n <= g) {
            body.run(0, n);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        range(Math.min(THREADS, (n + g - 1) / g), 1, (from, to) -> {
            for (int s = next.getAndAdd(g); s < n; s = next.getAndAdd(g)) {
                body.run(s, Math.min(n, s + g));
            }
        });
    }

    static int bound(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    /** One parallel loop: its body, its chunking and the chunks still running on workers. */
    private static final class Job {
        final RangeBody body;
        final int n;
        final int chunks;
        final AtomicInteger pending;
        /** Which chunks a thread has taken (1): each runs exactly once, on whichever thread takes it. */
        final AtomicIntegerArray claimed;
        final Thread caller = Thread.currentThread();
        volatile Throwable failure;

        Job(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.pending = new AtomicInteger(chunks - 1);
            this.claimed = new AtomicIntegerArray(chunks);
        }

        /** Takes chunk c if no thread has; returns whether this call did. */
        private boolean claim(int c) {
            return claimed.get(c) == 0 && claimed.compareAndSet(c, 0, 1);
        }

        /** Runs chunk c here when its worker has not taken it yet (a parked worker wakes up late). */
        void runIfUnclaimed(int c) {
            if (claim(c)) {
                runClaimed(c);
            }
        }

        /** A worker's chunk: run unless the caller took it first. */
        void runChunk(int c) {
            if (claim(c)) {
                runClaimed(c);
            }
        }

        private void runClaimed(int c) {
            try {
                body.run(bound(n, chunks, c), bound(n, chunks, c + 1));
            } catch (Throwable t) {
                fail(t);
            } finally {
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }

        void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }

        void awaitWorkers() {
            long spins = 0;
            while (pending.get() > 0) {
                if (++spins < 20_000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 50_000);
                }
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** One chunk of one job, handed to a worker. */
    private record Assignment(Job job, int chunk) {
    }

    /**
     * A daemon thread that runs one chunk at a time, spinning briefly between chunks. An assignment
     * the worker has not taken before the next one arrives is replaced: its chunk was run by the
     * caller ({@link Job#runIfUnclaimed}), since a loop returns only when all its chunks are done.
     */
    private static final class Worker extends Thread {
        private final AtomicReference<Assignment> next = new AtomicReference<>();

        Worker(int index) {
            super("netlens-worker-" + index);
            setDaemon(true);
        }

        void assign(Job j, int c) {
            next.set(new Assignment(j, c));
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                Assignment a = awaitJob();
                a.job().runChunk(a.chunk());
            }
        }

        private Assignment awaitJob() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            Assignment a;
            while ((a = next.getAndSet(null)) == null) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    deadline = System.nanoTime() + SPIN_NANOS;
                }
            }
            return a;
        }
    }
}
