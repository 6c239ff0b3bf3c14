package dev.netlens.core.graph;

import dev.netlens.core.ops.Op;
import java.util.Collections;
import java.util.List;

/**
 * A node of a {@link Graph}: an op applied to named input values, producing named output values.
 * An absent optional input is the empty string.
 */
public final class Node {
    private final String name;
    private final Op op;
    private final List<String> inputs;
    private final List<String> outputs;

    Node(String name, Op op, List<String> inputs, List<String> outputs) {
        this.name = name;
        this.op = op;
        this.inputs = Collections.unmodifiableList(List.copyOf(inputs));
        this.outputs = Collections.unmodifiableList(List.copyOf(outputs));
    }

    public String name() {
        return name;
    }

    public Op op() {
        return op;
    }

    /** Input value names in order; "" marks an absent optional input. */
    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /** The single output's name; fails for multi-output nodes. */
    public String output() {
        if (outputs.size() != 1) {
            throw new IllegalStateException("node '" + name + "' has " + outputs.size() + " outputs");
        }
        return outputs.get(0);
    }

    @Override
    public String toString() {
        return name + " (" + op.type() + ")";
    }
}
