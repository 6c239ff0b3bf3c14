package dev.netlens.core.graph;

import dev.netlens.core.ops.OpCategory;
import java.util.ArrayList;
import java.util.List;

/**
 * A lookup from nodes to backward rules: an ordered list of (matcher, rule) pairs where the first
 * match wins and unmatched nodes keep their op's own VJP. Composites are values: they never touch
 * the graph, so one loaded graph can be explained with different composites at once. Pass one to
 * {@link Trace#gradients(java.util.Map, java.util.Collection, Composite)} or bind it to a trace with
 * {@link Trace#withRules(Composite)}.
 */
public final class Composite {
    /** No overrides. */
    public static final Composite NONE = new Composite(List.of());

    private record Entry(NodeMatcher matcher, BackwardRule rule) {
    }

    private final List<Entry> entries;

    private Composite(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rule for a node, or null to use the op's own VJP. */
    public BackwardRule ruleFor(Node node, Graph graph) {
        for (Entry e : entries) {
            if (e.matcher().matches(node, graph)) {
                return e.rule();
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Builds a {@link Composite}; earlier entries take precedence. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        public Builder rule(NodeMatcher matcher, BackwardRule rule) {
            entries.add(new Entry(matcher, rule));
            return this;
        }

        public Builder byName(String nodeName, BackwardRule rule) {
            return rule(NodeMatcher.named(nodeName), rule);
        }

        public Builder byCategory(OpCategory category, BackwardRule rule) {
            return rule(NodeMatcher.category(category), rule);
        }

        public Builder byType(String opType, BackwardRule rule) {
            return rule(NodeMatcher.type(opType), rule);
        }

        public Composite build() {
            return new Composite(entries);
        }
    }
}
