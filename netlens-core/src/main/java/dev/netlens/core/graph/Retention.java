package dev.netlens.core.graph;

/** What a recording forward pass keeps for backward passes. */
public enum Retention {
    /** Exactly the tensors the ops' own VJPs declare they need. */
    MINIMAL,
    /** Every node input and output (for backward rules that read forward values, e.g. LRP). */
    ALL
}
