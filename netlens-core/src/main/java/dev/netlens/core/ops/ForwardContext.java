package dev.netlens.core.ops;

import dev.netlens.core.kernels.Kernels;
import java.util.SplittableRandom;

/** What an op's forward pass may use besides its inputs. */
public interface ForwardContext {
    /** The kernels to compute with (never the global default directly: tests run both). */
    Kernels kernels();

    /** Training mode: batch statistics in BatchNormalization, random masks in Dropout. */
    boolean training();

    /** Whether a backward pass may follow; when false, {@link #save} is a no-op. */
    boolean recording();

    /** Keeps op-specific state (argmax indices, batch statistics, masks) for the backward pass. */
    void save(Object state);

    /** Randomness for training-mode ops, derived deterministically from the run's seed and the node. */
    SplittableRandom random();

    /** Name of the node being run (for error messages). */
    String nodeName();

    /** How many outputs the node declares (ops may skip computing optional outputs nobody reads). */
    int outputCount();
}
