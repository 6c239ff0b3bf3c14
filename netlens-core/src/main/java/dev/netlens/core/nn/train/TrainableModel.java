package dev.netlens.core.nn.train;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.graph.ShapeInference;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph whose parameters are being trained. Holds mutable copies of the graph's parameters
 * (the graph's own stay frozen — kernels may cache derived forms of them) and feeds them to every
 * pass with {@link dev.netlens.core.graph.Run#parameters}.
 *
 * <p><b>Trainable parameters</b> are the weights and biases of Conv, ConvTranspose, Gemm, MatMul
 * (second operand), PRelu and the scale and shift of BatchNormalization; everything else (running
 * statistics, shape constants) is left alone by the optimiser. <b>Buffers</b> are the batch-norm
 * running statistics: a training pass runs a copy of the graph in which every BatchNormalization
 * node also outputs its updated running mean and variance (ONNX training-mode semantics, PyTorch's
 * update with momentum 0.1), and {@link #updateBuffers} copies them back.
 */
public final class TrainableModel {
    private final Graph graph;
    private final Graph trainingGraph;
    private final String inputName;
    private final String outputName;
    private final Map<String, Tensor> values = new LinkedHashMap<>();
    private final List<String> trainable;
    /** Training-graph output value → buffer (running statistic) it updates. */
    private final Map<String, String> bufferOutputs = new LinkedHashMap<>();

    /** Trains {@code graph}'s parameters from their current values; the graph has one input and one output. */
    public TrainableModel(Graph graph) {
        if (graph.inputNames().size() != 1 || graph.outputNames().size() != 1) {
            throw new IllegalArgumentException("training needs a graph with one input and one output, got inputs "
                    + graph.inputNames() + " and outputs " + graph.outputNames());
        }
        this.graph = graph;
        this.inputName = graph.inputNames().get(0);
        this.outputName = graph.outputNames().get(0);
        graph.parameters().forEach((k, v) -> values.put(k, v.copy()));
        Set<String> train = new LinkedHashSet<>();
        Graph.Builder b = Graph.builder();
        graph.inputNames().forEach(i -> b.input(i, graph.inputShape(i)));
        graph.parameters().forEach(b::parameter);
        Set<Node> fusedRelus = new HashSet<>();
        // BatchNormalization → Add (of a residual of the same shape) → Relu runs as one node at the
        // Add's place, once both addends exist (bit-identical; the sum is never written)
        Map<Node, Node> residualBnAtAdd = residualEnds(graph);
        Set<Node> deferred = new HashSet<>(residualBnAtAdd.values());
        for (Node n : graph.nodes()) {
            if (fusedRelus.contains(n) || deferred.contains(n)) {
                continue;
            }
            Node bnAtAdd = residualBnAtAdd.get(n);
            if (bnAtAdd != null) {
                Node relu = graph.consumers(n.outputs().get(0)).get(0);
                fusedRelus.add(relu);
                List<String> inputs = new ArrayList<>(bnAtAdd.inputs());
                String bnY = bnAtAdd.outputs().get(0);
                inputs.add(n.inputs().get(0).equals(bnY) ? n.inputs().get(1) : n.inputs().get(0));
                List<String> outputs = new ArrayList<>(bnAtAdd.outputs());
                outputs.set(0, relu.outputs().get(0));
                emit(b, train, bnAtAdd, ((BatchNormalization) bnAtAdd.op()).withResidualRelu(), inputs, outputs);
                continue;
            }
            List<String> outputs = n.outputs();
            Op op = n.op();
            Node relu = followingRelu(graph, n);
            if (relu != null) {
                // BatchNormalization → Relu runs as one node (bit-identical, one pass less each way).
                fusedRelus.add(relu);
                op = ((BatchNormalization) n.op()).withRelu();
                List<String> renamed = new ArrayList<>(outputs);
                renamed.set(0, relu.outputs().get(0));
                outputs = List.copyOf(renamed);
            }
            emit(b, train, n, op, n.inputs(), outputs);
        }
        b.output(outputName);
        graph.metadata().forEach(b::metadata);
        this.trainingGraph = b.build();
        this.trainable = List.copyOf(train);
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("the graph has no trainable parameters (weights of Conv, Gemm, MatMul, "
                    + "PRelu or BatchNormalization)");
        }
    }

    /** Adds node n of the original graph to the training graph as {@code op}, with its parameters and buffers. */
    private void emit(Graph.Builder b, Set<String> train, Node n, Op op, List<String> inputs, List<String> outputs) {
        switch (n.op().type()) {
            case "Conv", "ConvTranspose", "Gemm" -> addParameters(train, n, 1, 2);
            case "MatMul", "PRelu" -> addParameters(train, n, 1);
            case "BatchNormalization" -> {
                addParameters(train, n, 1, 2);
                if (!(n.op() instanceof BatchNormalization)) {
                    break;
                }
                String mean = n.inputs().get(3);
                String var = n.inputs().get(4);
                if (graph.isParameter(mean) && graph.isParameter(var) && outputs.size() == 1) {
                    String meanOut = n.name() + "#running_mean";
                    String varOut = n.name() + "#running_var";
                    outputs = List.of(outputs.get(0), meanOut, varOut);
                    bufferOutputs.put(meanOut, mean);
                    bufferOutputs.put(varOut, var);
                }
            }
            default -> {
            }
        }
        b.node(n.name(), op, inputs, outputs);
    }

    /**
     * Residual block ends: each Add node whose one addend is the Y of a BatchNormalization node
     * read by nothing else, whose other addend has the same shape (at batch 2 and at batch 3), and
     * whose sum only a single Relu reads (none of them a graph output) → that batch-norm node (the
     * first addend's when both qualify). Empty when the graph's shapes cannot be inferred, or when
     * an input has a dynamic extent other than the batch: an Add whose addends are equal at the
     * sizes tried could broadcast at others, which the fused node cannot take.
     */
    private static Map<Node, Node> residualEnds(Graph graph) {
        Map<Node, Node> ends = new LinkedHashMap<>();
        for (String in : graph.inputNames()) {
            int[] declared = graph.inputShape(in);
            for (int d = 1; d < declared.length; d++) {
                if (declared[d] < 0) {
                    return ends;
                }
            }
        }
        Map<String, int[]> shapes;
        Map<String, int[]> other;
        try {
            shapes = ShapeInference.infer(graph, ShapeInference.declaredInputs(graph, 2));
            other = ShapeInference.infer(graph, ShapeInference.declaredInputs(graph, 3));
        } catch (RuntimeException e) {
            return ends;
        }
        Map<String, Node> producers = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            for (String o : n.outputs()) {
                producers.put(o, n);
            }
        }
        for (Node add : graph.nodes()) {
            if (!(add.op() instanceof Add) || add.inputs().size() != 2 || add.outputs().size() != 1) {
                continue;
            }
            String sum = add.outputs().get(0);
            List<Node> readers = graph.consumers(sum);
            if (graph.outputNames().contains(sum) || readers.size() != 1 || !(readers.get(0).op() instanceof Relu)
                    || readers.get(0).inputs().size() != 1 || graph.outputNames().contains(readers.get(0).outputs().get(0))) {
                continue;
            }
            String a = add.inputs().get(0);
            String c = add.inputs().get(1);
            if (a.isEmpty() || c.isEmpty() || a.equals(c) || shapes.get(a) == null || other.get(a) == null
                    || !Arrays.equals(shapes.get(a), shapes.get(c)) || !Arrays.equals(other.get(a), other.get(c))) {
                continue;
            }
            for (String addend : List.of(a, c)) {
                Node bn = producers.get(addend);
                if (bn != null && bn.op() instanceof BatchNormalization op && !op.fusedRelu()
                        && bn.outputs().get(0).equals(addend) && bn.outputs().size() == 1
                        && !graph.outputNames().contains(addend) && graph.consumers(addend).size() == 1) {
                    ends.put(add, bn);
                    break;
                }
            }
        }
        return ends;
    }

    /**
     * The Relu node that is the only reader of batch-norm node {@code n}'s Y (not a graph output),
     * or null.
     */
    private static Node followingRelu(Graph graph, Node n) {
        if (!(n.op() instanceof BatchNormalization bn) || bn.fusedRelu()) {
            return null;
        }
        String y = n.outputs().get(0);
        if (graph.outputNames().contains(y)) {
            return null;
        }
        List<Node> readers = graph.consumers(y);
        if (readers.size() != 1 || !(readers.get(0).op() instanceof Relu) || readers.get(0).inputs().size() != 1) {
            return null;
        }
        return readers.get(0);
    }

    private void addParameters(Set<String> train, Node n, int... slots) {
        for (int s : slots) {
            if (s < n.inputs().size()) {
                String name = n.inputs().get(s);
                if (!name.isEmpty() && graph.isParameter(name)) {
                    train.add(name);
                }
            }
        }
    }

    /** Names of the parameters the optimiser updates. */
    public List<String> trainableNames() {
        return trainable;
    }

    /** Current values of every parameter (trainable ones and buffers), by name; live, mutable. */
    public Map<String, Tensor> values() {
        return Collections.unmodifiableMap(values);
    }

    /** The live tensors of the trainable parameters. */
    public Map<String, Tensor> trainableValues() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String n : trainable) {
            m.put(n, values.get(n));
        }
        return m;
    }

    /** Overwrites parameter values (from a checkpoint); names and shapes must match. */
    public void load(Map<String, Tensor> saved) {
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            Tensor s = saved.get(e.getKey());
            if (s == null) {
                throw new IllegalArgumentException("the checkpoint has no value for parameter '" + e.getKey() + "'");
            }
            if (!s.hasShape(e.getValue().shape())) {
                throw new IllegalArgumentException("checkpoint value of '" + e.getKey() + "' has another shape than the model's");
            }
            System.arraycopy(s.data(), 0, e.getValue().data(), 0, s.size());
        }
    }

    /** Name of the model input. */
    public String inputName() {
        return inputName;
    }

    /** Name of the model output. */
    public String outputName() {
        return outputName;
    }

    /** The graph training passes run: the original with fused nodes and running-statistic outputs. */
    Graph trainingGraph() {
        return trainingGraph;
    }

    /** A recorded training-mode forward pass (batch statistics, dropout seeded by {@code seed}). */
    public Trace trainingPass(Tensor inputs, long seed) {
        List<String> outs = new ArrayList<>();
        outs.add(outputName);
        outs.addAll(bufferOutputs.keySet());
        return trainingGraph.run().record().training(true).seed(seed).parameters(values)
                .outputs(outs.toArray(String[]::new)).forward(Map.of(inputName, inputs));
    }

    /** Copies the updated running statistics of a training pass into the buffers. */
    public void updateBuffers(Trace trainingPass) {
        for (Map.Entry<String, String> e : bufferOutputs.entrySet()) {
            Tensor updated = trainingPass.output(e.getKey());
            System.arraycopy(updated.data(), 0, values.get(e.getValue()).data(), 0, updated.size());
        }
    }

    /** Inference-mode outputs with the current values. */
    public Tensor predict(Tensor inputs) {
        return graph.run().parameters(values).forward(Map.of(inputName, inputs)).output();
    }

    /** The graph with the current values as its (frozen) parameters, plus extra metadata. */
    public Graph snapshot(Map<String, String> extraMetadata) {
        Graph.Builder b = Graph.builder();
        graph.inputNames().forEach(i -> b.input(i, graph.inputShape(i)));
        values.forEach((k, v) -> b.parameter(k, v.copy()));
        for (Node n : graph.nodes()) {
            b.node(n.name(), n.op(), n.inputs(), n.outputs());
        }
        graph.outputNames().forEach(b::output);
        Map<String, String> meta = new LinkedHashMap<>(graph.metadata());
        meta.putAll(extraMetadata);
        meta.forEach(b::metadata);
        return b.build();
    }
}
