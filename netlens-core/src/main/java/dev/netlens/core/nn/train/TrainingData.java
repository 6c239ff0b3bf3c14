package dev.netlens.core.nn.train;

import java.util.Iterator;

/**
 * A source of mini-batches for training or evaluation. An epoch's batches must be a pure function
 * of the epoch number (shuffling and augmentation seeded from it), so that a run resumed at batch
 * {@code k} of an epoch sees exactly the batches an uninterrupted run would have seen.
 */
public interface TrainingData {
    /** Number of batches in every epoch. */
    int batchesPerEpoch();

    /** Number of examples in every epoch. */
    int examplesPerEpoch();

    /** The batches of {@code epoch} from batch index {@code startBatch} on. */
    Batches epoch(int epoch, int startBatch);

    /** An epoch's batches; closing releases background work (prefetch threads). */
    interface Batches extends Iterator<LabeledBatch>, AutoCloseable {
        @Override
        void close();
    }
}
