package dev.netlens.core.nn.train;

import java.nio.file.Path;

/** Progress callbacks of a {@link Trainer}; all methods default to doing nothing. */
public interface TrainingListener {
    /** Training (re)starts at {@code epoch}, batch {@code step}; {@code resumed} when read from a checkpoint. */
    default void started(int epoch, int step, int epochs, int stepsPerEpoch, boolean resumed) {
    }

    /** After every optimiser step: running mean loss and accuracy of the epoch so far. */
    default void step(int epoch, int step, int stepsPerEpoch, double loss, double accuracy, double learningRate) {
    }

    /** Validation of an epoch is starting. */
    default void validating(int epoch) {
    }

    default void epochEnded(EpochSummary summary) {
    }

    default void checkpointed(Path file) {
    }

    /** Early stopping ended the run after {@code epoch}. */
    default void stoppedEarly(int epoch, int patience) {
    }
}
