package dev.netlens.data.datasets;

import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batches of one epoch, built ahead on a background thread while the caller trains.
 *
 * <pre>{@code
 * BatchLoader.Options options = BatchLoader.options().batchSize(64).shuffle(true).seed(42).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     try (BatchLoader batches = BatchLoader.open(train, options, epoch, 0)) {
 *         while (batches.hasNext()) {
 *             Batch batch = batches.next();
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Everything is a pure function of (options, epoch): the order of the epoch (Fisher–Yates with
 * {@link RandomStreams#forEpoch}, or dataset order without shuffling) and each example's random
 * transforms ({@link RandomStreams#forExample} with the example's dataset index). Hence starting
 * at batch {@code k} yields exactly the batches {@code k, k+1, …} an uninterrupted epoch would
 * have, and the number of prefetch or decoding threads never changes a result.
 *
 * <p>With a prefetch depth of at least 1, one daemon thread builds up to that many batches ahead
 * (with {@link Options#workers()} &gt; 1 it decodes the examples of a batch on a small daemon pool);
 * an exception there is rethrown by {@link #next()} when the caller reaches the batch that failed.
 * {@link #close()} stops the threads. With depth 0 batches are built in the caller's thread.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {
    private static final Object END = new Object();
    private static final AtomicInteger THREAD_COUNT = new AtomicInteger();

    private final Dataset dataset;
    private final Options options;
    private final int epoch;
    private final int[] order;
    private final int batchCount;
    private final int startBatch;
    private final Thread producer;
    private final BlockingQueue<Object> queue;
    private final ExecutorService workers;
    private int nextBatch;
    private Object pending;
    private volatile boolean closed;

    private BatchLoader(Dataset dataset, Options options, int epoch, int startBatch) {
        this.dataset = dataset;
        this.options = options;
        this.epoch = epoch;
        this.order = options.order(dataset.size(), epoch);
        this.batchCount = options.batchCount(dataset.size());
        if (startBatch < 0 || startBatch > batchCount) {
            throw new IllegalArgumentException("start batch must be in [0, " + batchCount + "] for an epoch of "
                    + batchCount + " batches, got " + startBatch);
        }
        this.startBatch = startBatch;
        this.nextBatch = startBatch;
        this.workers = options.workers() > 1 ? Executors.newFixedThreadPool(options.workers(), r -> daemon(r,
                "netlens-batch-decoder-" + THREAD_COUNT.incrementAndGet())) : null;
        if (options.prefetch() > 0) {
            this.queue = new ArrayBlockingQueue<>(options.prefetch());
            this.producer = daemon(this::produce, "netlens-batch-loader-" + THREAD_COUNT.incrementAndGet());
            this.producer.start();
        } else {
            this.queue = null;
            this.producer = null;
        }
    }

    /**
     * Starts iterating epoch {@code epoch} from batch {@code startBatch} (0 = the beginning).
     *
     * @throws IllegalArgumentException when {@code epoch} is negative or {@code startBatch} is not in
     *     {@code [0, batchCount]}
     */
    public static BatchLoader open(Dataset dataset, Options options, int epoch, int startBatch) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(options, "options");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        return new BatchLoader(dataset, options, epoch, startBatch);
    }

    /** A builder of loader options with the defaults documented on its setters. */
    public static Options.Builder options() {
        return new Options.Builder();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Number of batches in the whole epoch (including those skipped by the start batch). */
    public int batchCount() {
        return batchCount;
    }

    /** The index within the epoch of the batch {@link #next()} returns next. */
    public int nextBatchIndex() {
        return nextBatch;
    }

    /** The epoch being iterated. */
    public int epoch() {
        return epoch;
    }

    /** The producer thread (null without prefetching); visible for tests. */
    Thread producerThread() {
        return producer;
    }

    @Override
    public boolean hasNext() {
        return !closed && nextBatch < batchCount;
    }

    /**
     * The next batch.
     *
     * @throws NoSuchElementException when the epoch is exhausted
     * @throws IllegalStateException when the loader is closed
     * @throws RuntimeException whatever building the batch threw (e.g. an IllegalArgumentException
     *     naming a corrupt image file), rethrown as is
     */
    @Override
    public Batch next() {
        if (closed) {
            throw new IllegalStateException("batch loader is closed");
        }
        if (nextBatch >= batchCount) {
            throw new NoSuchElementException("epoch " + epoch + " has only " + batchCount + " batches");
        }
        Batch batch;
        if (producer == null) {
            batch = build(nextBatch);
        } else {
            Object item = take();
            if (item instanceof Failure failure) {
                close();
                throw failure.rethrowable();
            }
            batch = (Batch) item;
        }
        nextBatch++;
        return batch;
    }

    private Object take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next batch", e);
        }
    }

    /** Stops the background threads; further {@link #next()} calls fail. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (producer != null) {
            producer.interrupt();
            queue.clear();
            try {
                producer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    private void produce() {
        try {
            for (int b = startBatch; b < batchCount && !closed; b++) {
                queue.put(build(b));
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // closed: stop quietly
        } catch (Throwable t) {
            if (!closed) {
                try {
                    queue.put(new Failure(t));
                } catch (InterruptedException ignored) {
                    // closed meanwhile
                }
            }
        }
    }

    /** Builds batch {@code b} of the epoch. */
    private Batch build(int b) {
        int from = b * options.batchSize();
        int n = Math.min(options.batchSize(), order.length - from);
        int[] indices = Arrays.copyOfRange(order, from, from + n);
        int[] shape = dataset.imageShape();
        int per = shape[0] * shape[1] * shape[2];
        float[] pixels = new float[n * per];
        int[] labels = new int[n];
        if (workers == null || n < 2) {
            fill(indices, 0, n, pixels, labels, per);
        } else {
            int chunks = Math.min(options.workers(), n);
            List<Future<?>> futures = new ArrayList<>();
            for (int k = 0; k < chunks; k++) {
                int lo = (int) ((long) n * k / chunks);
                int hi = (int) ((long) n * (k + 1) / chunks);
                futures.add(workers.submit(() -> fill(indices, lo, hi, pixels, labels, per)));
            }
            await(futures);
        }
        return new Batch(Tensor.of(pixels, n, shape[0], shape[1], shape[2]), labels, indices);
    }

    private static void await(List<Future<?>> futures) {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding a batch", e);
        }
    }

    private void fill(int[] indices, int lo, int hi, float[] pixels, int[] labels, int per) {
        for (int i = lo; i < hi; i++) {
            int index = indices[i];
            Example example = dataset.get(index, RandomStreams.forExample(options.seed(), epoch, index));
            if (example.image().length != per) {
                throw new IllegalStateException("example " + index + " of " + dataset + " has " + example.image().length
                        + " values, expected " + per + " for shape " + Arrays.toString(dataset.imageShape()));
            }
            System.arraycopy(example.image(), 0, pixels, i * per, per);
            labels[i] = example.label();
        }
    }

    /** An exception from the producer, handed to the consumer. */
    private record Failure(Throwable cause) {
        RuntimeException rethrowable() {
            if (cause instanceof Error e) {
                throw e;
            }
            if (cause instanceof RuntimeException r) {
                r.addSuppressed(new IllegalStateException("rethrown from the batch loader's background thread"));
                return r;
            }
            return new IllegalStateException("building a batch failed: " + cause, cause);
        }
    }

    /**
     * How epochs are cut into batches; immutable, with a {@code toString()} fit for provenance.
     * Build with {@link BatchLoader#options()}.
     */
    public static final class Options {
        private final int batchSize;
        private final boolean shuffle;
        private final long seed;
        private final boolean dropLast;
        private final int prefetch;
        private final int workers;

        private Options(Builder b) {
            this.batchSize = b.batchSize;
            this.shuffle = b.shuffle;
            this.seed = b.seed;
            this.dropLast = b.dropLast;
            this.prefetch = b.prefetch;
            this.workers = b.workers;
        }

        /** Examples per batch (the last batch may be smaller unless {@link #dropLast()}). */
        public int batchSize() {
            return batchSize;
        }

        /** Whether each epoch visits the examples in a seeded random order. */
        public boolean shuffle() {
            return shuffle;
        }

        /** The seed of the epoch orders and of the examples' random transforms. */
        public long seed() {
            return seed;
        }

        /** Whether a final batch smaller than {@link #batchSize()} is left out. */
        public boolean dropLast() {
            return dropLast;
        }

        /** Batches built ahead on a background thread (0 = build in the caller's thread). */
        public int prefetch() {
            return prefetch;
        }

        /** Threads decoding the examples of one batch (1 = the prefetch thread alone). */
        public int workers() {
            return workers;
        }

        /** Number of batches in an epoch of a dataset of {@code size} examples. */
        public int batchCount(int size) {
            return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
        }

        /**
         * The dataset indices of epoch {@code epoch} in visiting order: {@code 0 … size−1}, or their
         * Fisher–Yates shuffle driven by {@link RandomStreams#forEpoch}{@code (seed, epoch)}.
         */
        public int[] order(int size, int epoch) {
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            if (shuffle) {
                SplittableRandom random = RandomStreams.forEpoch(seed, epoch);
                for (int i = size - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            return order;
        }

        @Override
        public String toString() {
            return "BatchOptions(batchSize=" + batchSize + ", shuffle=" + shuffle + ", seed=" + seed + ", dropLast="
                    + dropLast + ")";
        }

        /** Builder of {@link Options}; validates eagerly. */
        public static final class Builder {
            private int batchSize = 32;
            private boolean shuffle;
            private long seed;
            private boolean dropLast;
            private int prefetch = 2;
            private int workers = 1;

            private Builder() {
            }

            /** Examples per batch; default 32. */
            public Builder batchSize(int batchSize) {
                if (batchSize < 1) {
                    throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
                }
                this.batchSize = batchSize;
                return this;
            }

            /** Shuffle each epoch; default false. */
            public Builder shuffle(boolean shuffle) {
                this.shuffle = shuffle;
                return this;
            }

            /** Seed of the shuffle and the random transforms; default 0. */
            public Builder seed(long seed) {
                this.seed = seed;
                return this;
            }

            /** Leave out a final smaller batch; default false. */
            public Builder dropLast(boolean dropLast) {
                this.dropLast = dropLast;
                return this;
            }

            /** Batches built ahead on a background thread, 0 to 64; default 2. */
            public Builder prefetch(int prefetch) {
                if (prefetch < 0 || prefetch > 64) {
                    throw new IllegalArgumentException("prefetch depth must be in [0, 64], got " + prefetch);
                }
                this.prefetch = prefetch;
                return this;
            }

            /** Threads decoding one batch's examples, 1 to 64; default 1. Results do not depend on it. */
            public Builder workers(int workers) {
                if (workers < 1 || workers > 64) {
                    throw new IllegalArgumentException("decoding workers must be in [1, 64], got " + workers);
                }
                this.workers = workers;
                return this;
            }

            /** The options. */
            public Options build() {
                return new Options(this);
            }
        }
    }
}
