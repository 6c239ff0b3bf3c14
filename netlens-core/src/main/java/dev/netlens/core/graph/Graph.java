package dev.netlens.core.graph;

import dev.netlens.core.ops.Op;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An immutable DAG of {@link Node}s over named values: graph inputs (with declared shapes, -1 for
 * a dynamic extent such as the batch), parameters (initializers: weights and constants) and node
 * outputs. Nodes are kept in topological order. Names are the ONNX tensor names, so a user
 * selects a layer by the name {@code netlens inspect} shows.
 *
 * <p>Because a graph never changes, several threads may run and differentiate the same graph at
 * once, each with its own backward rules. Rewrites (canonizers) build a new graph with
 * {@link #toBuilder()}.
 *
 * <p>Parameter tensors are frozen when the graph is built: kernels may cache derived forms of them
 * (off-heap copies of convolution weights, see {@code ConstantArrays}). To change weights, build a
 * new graph with new tensors — do not write into a parameter's array.
 */
public final class Graph {
    private final List<Node> nodes;
    private final Map<String, int[]> inputs;
    private final Map<String, Tensor> parameters;
    private final List<String> outputs;
    private final Map<String, String> metadata;
    private final Map<String, Node> producers;
    private final Map<String, List<Node>> consumers;
    private final Map<String, Node> nodesByName;
    private final Map<Node, Integer> positions;

    private Graph(List<Node> nodes, Map<String, int[]> inputs, Map<String, Tensor> parameters,
                  List<String> outputs, Map<String, String> metadata) {
        this.nodes = List.copyOf(nodes);
        this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.parameters.values().forEach(t -> dev.netlens.core.kernels.ConstantArrays.declare(t.data()));
        this.outputs = List.copyOf(outputs);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Map<String, Node> prod = new HashMap<>();
        Map<String, List<Node>> cons = new HashMap<>();
        Map<String, Node> byName = new LinkedHashMap<>();
        Map<Node, Integer> pos = new HashMap<>();
        for (Node n : this.nodes) {
            pos.put(n, pos.size());
            byName.put(n.name(), n);
            for (String o : n.outputs()) {
                prod.put(o, n);
            }
            for (String i : n.inputs()) {
                if (!i.isEmpty()) {
                    cons.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
                }
            }
        }
        cons.replaceAll((k, v) -> List.copyOf(v));
        this.producers = prod;
        this.consumers = cons;
        this.nodesByName = byName;
        this.positions = pos;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this graph's nodes, inputs, parameters, outputs and metadata. */
    public Builder toBuilder() {
        Builder b = new Builder();
        inputs.forEach(b::input);
        parameters.forEach(b::parameter);
        for (Node n : nodes) {
            b.node(n.name(), n.op(), n.inputs(), n.outputs());
        }
        outputs.forEach(b::output);
        metadata.forEach(b::metadata);
        return b;
    }

    /**
     * The same graph with another declared shape for one input (e.g. a dynamic batch axis, −1);
     * nodes, parameters, names and metadata are shared.
     */
    public Graph withInputShape(String input, int... shape) {
        if (!inputs.containsKey(input)) {
            throw new IllegalArgumentException("'" + input + "' is not a graph input; inputs: " + inputs.keySet());
        }
        Map<String, int[]> in = new LinkedHashMap<>(inputs);
        in.put(input, shape.clone());
        return new Graph(nodes, in, parameters, outputs, metadata);
    }

    /** Nodes in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** Graph input names (parameters excluded), in declaration order. */
    public List<String> inputNames() {
        return List.copyOf(inputs.keySet());
    }

    /** Declared shape of a graph input (-1 marks a dynamic extent); a copy. */
    public int[] inputShape(String name) {
        int[] s = inputs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("'" + name + "' is not a graph input; inputs: " + inputs.keySet());
        }
        return s.clone();
    }

    public Map<String, Tensor> parameters() {
        return parameters;
    }

    public boolean isParameter(String value) {
        return parameters.containsKey(value);
    }

    public List<String> outputNames() {
        return outputs;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The node producing a value, or null for inputs and parameters. */
    public Node producer(String value) {
        return producers.get(value);
    }

    /** The nodes consuming a value, in topological order. */
    public List<Node> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** The node with this name; fails listing similar names. */
    public Node node(String name) {
        Node n = nodesByName.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node named '" + name + "'" + suggest(name, nodesByName.keySet()));
        }
        return n;
    }

    /** Position of a node in topological order. */
    public int position(Node node) {
        Integer p = positions.get(node);
        if (p == null) {
            throw new IllegalArgumentException("node " + node + " is not part of this graph");
        }
        return p;
    }

    /** Whether a value with this name exists (input, parameter or node output). */
    public boolean hasValue(String value) {
        return inputs.containsKey(value) || parameters.containsKey(value) || producers.containsKey(value);
    }

    /** Fails with a helpful message unless the value exists. */
    public void requireValue(String value, String role) {
        if (!hasValue(value)) {
            List<String> all = new ArrayList<>(inputs.keySet());
            producers.keySet().stream().sorted().forEach(all::add);
            throw new IllegalArgumentException("unknown value '" + value + "' (" + role + ")" + suggest(value, all));
        }
    }

    static String suggest(String name, java.util.Collection<String> names) {
        List<String> close = names.stream()
                .filter(n -> n.toLowerCase().contains(name.toLowerCase()) || name.toLowerCase().contains(n.toLowerCase()))
                .limit(8).collect(Collectors.toList());
        if (!close.isEmpty()) {
            return "; did you mean one of " + close + "?";
        }
        List<String> some = names.stream().limit(12).collect(Collectors.toList());
        return "; known: " + some + (names.size() > some.size() ? " … (" + names.size() + " in all)" : "");
    }

    /** Starts a forward pass over this graph. */
    public Run run() {
        return new Run(this);
    }

    /** Inference forward pass of a single-input graph; returns the graph outputs by name. */
    public Map<String, Tensor> forward(Tensor input) {
        return run().forward(input).outputs();
    }

    /**
     * Builds a {@link Graph}, validating names, references and acyclicity. Nodes may be added in any
     * order; {@link #build()} sorts them topologically (stable: ties keep insertion order).
     */
    public static final class Builder {
        private final Map<String, int[]> inputs = new LinkedHashMap<>();
        private final Map<String, Tensor> parameters = new LinkedHashMap<>();
        private final List<Node> nodes = new ArrayList<>();
        private final List<String> outputs = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final java.util.Set<String> nodeNames = new java.util.HashSet<>();
        private int autoName;

        private Builder() {
        }

        /** Declares a graph input; -1 marks a dynamic extent (e.g. the batch). */
        public Builder input(String name, int... shape) {
            requireNew(name);
            inputs.put(name, shape.clone());
            return this;
        }

        /** Declares a parameter (weight or constant). */
        public Builder parameter(String name, Tensor value) {
            requireNew(name);
            parameters.put(name, value);
            return this;
        }

        /** Adds a node; "" in {@code inputs} marks an absent optional input. */
        public Builder node(String name, Op op, List<String> inputs, List<String> outputs) {
            if (name == null || name.isEmpty()) {
                name = uniqueNodeName(op.type());
            }
            if (!nodeNames.add(name)) {
                throw new IllegalArgumentException("duplicate node name '" + name + "'");
            }
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("node '" + name + "' (" + op.type() + ") has no outputs");
            }
            nodes.add(new Node(name, op, inputs, outputs));
            return this;
        }

        /** Adds a single-output node named after its op; returns the output value's name. */
        public String add(Op op, String... inputs) {
            String name = uniqueNodeName(op.type());
            node(name, op, List.of(inputs), List.of(name));
            return name;
        }

        /** Adds a single-output node whose output value has the node's name. */
        public String add(String name, Op op, String... inputs) {
            node(name, op, List.of(inputs), List.of(name));
            return name;
        }

        public Builder output(String... names) {
            outputs.addAll(List.of(names));
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        private String uniqueNodeName(String type) {
            String n;
            do {
                n = type.toLowerCase() + "_" + (autoName++);
            } while (nodeNames.contains(n) || inputs.containsKey(n) || parameters.containsKey(n));
            return n;
        }

        private void requireNew(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("value names must be non-empty");
            }
            if (inputs.containsKey(name) || parameters.containsKey(name)) {
                throw new IllegalArgumentException("value '" + name + "' is declared twice");
            }
        }

        public Graph build() {
            Map<String, Node> producer = new HashMap<>();
            for (Node n : nodes) {
                for (String o : n.outputs()) {
                    if (o.isEmpty()) {
                        throw new IllegalArgumentException("node '" + n.name() + "' has an unnamed output");
                    }
                    if (inputs.containsKey(o) || parameters.containsKey(o) || producer.containsKey(o)) {
                        throw new IllegalArgumentException("value '" + o + "' is produced twice (by node '"
                                + n.name() + "'" + (producer.containsKey(o) ? " and node '" + producer.get(o).name() + "'"
                                : " and as a graph input or parameter") + ")");
                    }
                    producer.put(o, n);
                }
            }
            for (Node n : nodes) {
                for (String i : n.inputs()) {
                    if (!i.isEmpty() && !inputs.containsKey(i) && !parameters.containsKey(i) && !producer.containsKey(i)) {
                        throw new IllegalArgumentException("node '" + n.name() + "' (" + n.op().type()
                                + ") reads '" + i + "', which is neither a graph input, a parameter nor a node output");
                    }
                }
            }
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("the graph declares no outputs");
            }
            for (String o : outputs) {
                if (!inputs.containsKey(o) && !parameters.containsKey(o) && !producer.containsKey(o)) {
                    throw new IllegalArgumentException("graph output '" + o + "' is not produced by any node");
                }
            }
            return new Graph(topologicalOrder(producer), inputs, parameters, outputs, metadata);
        }

        private List<Node> topologicalOrder(Map<String, Node> producer) {
            Map<Node, Integer> pending = new LinkedHashMap<>();
            Map<Node, List<Node>> dependents = new HashMap<>();
            for (Node n : nodes) {
                int deps = 0;
                for (String i : n.inputs()) {
                    Node p = i.isEmpty() ? null : producer.get(i);
                    if (p != null) {
                        deps++;
                        dependents.computeIfAbsent(p, k -> new ArrayList<>()).add(n);
                    }
                }
                pending.put(n, deps);
            }
            // Kahn's algorithm; a priority by insertion index keeps the order stable.
            Map<Node, Integer> index = new HashMap<>();
            for (Node n : nodes) {
                index.put(n, index.size());
            }
            java.util.PriorityQueue<Node> ready = new java.util.PriorityQueue<>(java.util.Comparator.comparing(index::get));
            pending.forEach((n, d) -> {
                if (d == 0) {
                    ready.add(n);
                }
            });
            List<Node> order = new ArrayList<>(nodes.size());
            while (!ready.isEmpty()) {
                Node n = ready.poll();
                order.add(n);
                for (Node d : dependents.getOrDefault(n, List.of())) {
                    if (pending.merge(d, -1, Integer::sum) == 0) {
                        ready.add(d);
                    }
                }
            }
            if (order.size() != nodes.size()) {
                List<String> stuck = new ArrayList<>();
                pending.forEach((n, d) -> {
                    if (d > 0 && stuck.size() < 10) {
                        stuck.add(n.name());
                    }
                });
                throw new IllegalArgumentException("the graph has a cycle through node(s) " + stuck);
            }
            return order;
        }
    }

    @Override
    public String toString() {
        return "Graph(" + nodes.size() + " nodes, inputs " + inputs.keySet() + ", outputs " + outputs + ")";
    }

    /** Shape of a graph input as text, e.g. "[-1, 3, 224, 224]". */
    String inputShapeText(String name) {
        return Shapes.toString(inputs.get(name));
    }
}
