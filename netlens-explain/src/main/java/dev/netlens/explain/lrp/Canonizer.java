package dev.netlens.explain.lrp;

import dev.netlens.core.graph.Graph;

/**
 * A graph rewrite that puts a network into the form LRP rules expect, without changing what it
 * computes (up to float rounding). A canonizer returns a <em>new</em> graph and leaves its
 * argument untouched — undoing it means using the original graph again — and keeps every node
 * name and every value name that the rewritten graph still computes, so layer selection by name
 * keeps working. See {@link Canonizers}.
 */
public interface Canonizer {
    /** A short name for provenance, e.g. "merge-batch-norm". */
    String name();

    /** The rewritten graph (the argument itself when nothing applies). */
    Graph apply(Graph graph);
}
