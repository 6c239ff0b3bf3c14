package dev.netlens.explain.shapley;

/**
 * A cooperative game with M players: the value of any coalition (a boolean mask over players,
 * true = present). Values are requested in batches so that a model-backed game can run one
 * forward pass per batch.
 */
public interface CoalitionGame {
    /** Number of players M. */
    int players();

    /** The value of each coalition (each mask has length {@link #players()}). */
    double[] values(boolean[][] coalitions);
}
