package dev.netlens.core.kernels;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deterministic data-parallel loops for the pure-Java hot loops.
 *
 * <p>A range [0, n) is cut into at most {@link #threads()} contiguous chunks whose bounds depend
 * only on n, the grain and the thread count, so results that are combined per chunk are
 * bit-identical from run to run at a fixed thread count. The calling thread runs the first chunk;
 * a loop started from inside a worker runs serially (no nested oversubscription).
 *
 * <p>The thread count is the system property {@code netlens.threads} (default: available
 * processors), read once. BLAS calls are never made from inside a parallel loop, so BLAS threads
 * and these threads never run at the same time.
 */
public final class Parallel {
    /** Body of a parallel loop over a chunk [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final int THREADS = readThreads();
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = THREADS > 1 ? Executors.newFixedThreadPool(THREADS - 1, new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(() -> {
                IN_WORKER.set(true);
                r.run();
            }, "netlens-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }) : null;

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
        if (chunks <= 1 || POOL == null || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = bound(n, chunks, c);
            int to = bound(n, chunks, c + 1);
            futures[c - 1] = POOL.submit(() -> body.run(from, to));
        }
        Throwable failure = null;
        try {
            body.run(0, bound(n, chunks, 1));
        } catch (Throwable t) {
            failure = t;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private static int bound(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }
}
