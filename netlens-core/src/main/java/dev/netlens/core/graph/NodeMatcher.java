package dev.netlens.core.graph;

import dev.netlens.core.ops.OpCategory;
import java.util.Set;

/** Selects nodes of a graph (for {@link Composite}s). */
@FunctionalInterface
public interface NodeMatcher {
    boolean matches(Node node, Graph graph);

    /** Nodes with one of these names. */
    static NodeMatcher named(String... names) {
        Set<String> set = Set.of(names);
        return (node, graph) -> set.contains(node.name());
    }

    /** Nodes whose op is in one of these categories. */
    static NodeMatcher category(OpCategory... categories) {
        Set<OpCategory> set = Set.of(categories);
        return (node, graph) -> set.contains(node.op().category());
    }

    /** Nodes whose op has one of these ONNX types ("Relu", "Conv", …). */
    static NodeMatcher type(String... types) {
        Set<String> set = Set.of(types);
        return (node, graph) -> set.contains(node.op().type());
    }

    /** Both matchers hold. */
    default NodeMatcher and(NodeMatcher other) {
        return (node, graph) -> matches(node, graph) && other.matches(node, graph);
    }
}
