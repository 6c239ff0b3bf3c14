package dev.netlens.core.graph;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Options of one forward pass over a {@link Graph}, then {@link #forward} to run it.
 *
 * <pre>{@code
 * Trace t = graph.run()
 *         .record()                                   // keep what backward passes need
 *         .tap("layer3")                              // keep this activation for the caller
 *         .intervene("layer2", Interventions.ablateChannels(5, 9))
 *         .forward(Map.of("input", x));
 * Tensor logits = t.output();
 * Map<String, Tensor> g = t.gradients(Map.of("logits", seed), List.of("input", "layer3"));
 * }</pre>
 *
 * <p>Without {@link #record()} the pass runs in inference mode: each intermediate is released as
 * soon as its last consumer has run, so only the live frontier is held in memory.
 */
public final class Run {
    final Graph graph;
    boolean record;
    Retention retention = Retention.MINIMAL;
    boolean training;
    final Set<String> taps = new LinkedHashSet<>();
    final Map<String, Intervention> interventions = new LinkedHashMap<>();
    List<String> outputs;
    Kernels kernels;
    long seed;
    boolean exactTies;
    final Map<String, Tensor> parameterValues = new LinkedHashMap<>();

    Run(Graph graph) {
        this.graph = graph;
    }

    /** Keeps what the ops' VJPs need so that backward passes can follow. */
    public Run record() {
        return record(Retention.MINIMAL);
    }

    /** Records with the given retention ({@link Retention#ALL} for rules that read forward values). */
    public Run record(Retention retention) {
        this.record = true;
        this.retention = Objects.requireNonNull(retention);
        return this;
    }

    /** Training mode (batch statistics, dropout masks). Default: inference. */
    public Run training(boolean training) {
        this.training = training;
        return this;
    }

    /** Keeps these values (activations) for {@link Trace#value}; their gradients are asked for as wrt names. */
    public Run tap(String... values) {
        for (String v : values) {
            graph.requireValue(v, "tap");
            taps.add(v);
        }
        return this;
    }

    /** Edits a value during the pass; consumers see the edited tensor, gradients flow through the edit. */
    public Run intervene(String value, Intervention intervention) {
        graph.requireValue(value, "intervention");
        if (interventions.putIfAbsent(value, Objects.requireNonNull(intervention)) != null) {
            throw new IllegalArgumentException("value '" + value + "' already has an intervention in this run");
        }
        return this;
    }

    /** Computes only what these values need (default: the graph outputs). */
    public Run outputs(String... values) {
        List<String> list = new ArrayList<>();
        for (String v : values) {
            graph.requireValue(v, "requested output");
            list.add(v);
        }
        this.outputs = list;
        return this;
    }

    /** Kernels to compute with (default {@link Kernels#get()}). */
    public Run kernels(Kernels kernels) {
        this.kernels = Objects.requireNonNull(kernels);
        return this;
    }

    /**
     * Uses these values instead of the graph's own for the named parameters in this run (same
     * shapes). This is how training runs a graph whose parameters it updates between steps: the
     * graph's parameters stay frozen (kernels may cache derived forms of them), while these arrays
     * are never cached and may change between runs.
     */
    public Run parameters(Map<String, Tensor> values) {
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            String name = e.getKey();
            if (!graph.isParameter(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a parameter of the graph");
            }
            int[] expected = graph.parameters().get(name).shape();
            if (!e.getValue().hasShape(expected)) {
                throw new IllegalArgumentException("parameter '" + name + "' has shape "
                        + dev.netlens.core.tensor.Shapes.toString(expected) + ", got a value of shape "
                        + dev.netlens.core.tensor.Shapes.toString(e.getValue().shape()));
            }
            parameterValues.put(name, e.getValue());
        }
        return this;
    }

    /**
     * Keeps exact ties of flat image patches exact ({@link ExactTies}): when the graph decides by a
     * maximum and an input image has a flat patch, the forward pass runs its convolutions
     * position-uniform (slower). Default off; the explanation methods turn it on.
     */
    public Run exactTies(boolean on) {
        this.exactTies = on;
        return this;
    }

    /** Seed for training-mode randomness (default 0). */
    public Run seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Runs the pass with the graph inputs given by name. */
    public Trace forward(Map<String, Tensor> inputs) {
        return new Trace(this, inputs);
    }

    /** Runs the pass on a graph with exactly one input. */
    public Trace forward(Tensor input) {
        List<String> names = graph.inputNames();
        if (names.size() != 1) {
            throw new IllegalArgumentException("the graph has " + names.size() + " inputs " + names
                    + "; pass them by name");
        }
        return forward(Map.of(names.get(0), input));
    }
}
