package dev.netlens.core.onnx;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an ONNX model into a netlens {@link Graph}, keeping tensor and node names.
 *
 * <p>Each node is converted by the op table ({@link OnnxOps}) entry for the model's opset. Values
 * known at load time — initializers, Constant nodes and everything computed from them and from
 * static shapes (Shape, Gather, Cast, Concat, Unsqueeze, …) — are folded, and become op attributes
 * where the op takes them (Reshape's shape, Pad's pads, Clip's bounds, …) or parameters where they
 * are data.
 *
 * <p>Dynamic input extents (a batch dimension declared symbolically) are handled by folding under
 * two different assignments of the dynamic extents: values equal under both are static. A Reshape
 * whose target depends on the batch (e.g. {@code x.view(x.size(0), -1)}) is rewritten to copy that
 * extent from its input (0) or infer it (−1); any other dependence on dynamic extents is reported.
 *
 * <p>Models exported with a fixed batch of 1 (PyTorch's exporter without dynamic axes) carry that 1
 * as a constant in Reshape targets ({@code x.view(x.size(0), g, c / g, h, w)} in a channel shuffle
 * becomes {@code [1, g, c/g, h, w]}), so they would fail, or merge rows, at any other batch — and
 * netlens' methods evaluate several rows per pass (integration steps, noise samples, perturbed
 * copies). In such models a Reshape target whose first entry is 1, applied to a tensor whose first
 * extent is 1, gets 0 there instead (copy that extent, allowzero = 0): the same result at batch 1,
 * and at batch N the result of reshaping each row on its own, stacked — what the model does in
 * PyTorch.
 *
 * <pre>{@code
 * Graph g = OnnxImporter.load(Path.of("resnet18.onnx"));
 * }</pre>
 */
public final class OnnxImporter {
    private final OnnxModel model;
    private final String source;
    private final long opset;
    private final Map<String, ConstantValue> constA = new HashMap<>();
    private final Map<String, ConstantValue> constB = new HashMap<>();
    private final Map<String, int[]> shapeA = new HashMap<>();
    private final Map<String, int[]> shapeB = new HashMap<>();
    private final Set<String> parameters = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();
    /** Whether every graph input has a fixed first extent of 1: an export at batch 1 (see the class comment). */
    private boolean exportedAtBatchOne;
    private final Graph.Builder builder = Graph.builder();

    private final Map<String, OnnxTensor> bound;

    private OnnxImporter(OnnxModel model, String source, Map<String, OnnxTensor> bound) {
        this.model = model;
        this.source = source;
        this.opset = model.defaultOpsetVersion();
        this.bound = bound;
    }

    /** Reads and imports an ONNX file (external data resolved next to it). */
    public static Graph load(Path file) {
        return importModel(OnnxReader.read(file), file.toString());
    }

    /** Imports a parsed model; {@code source} names it in error messages. */
    public static Graph importModel(OnnxModel model, String source) {
        return importModel(model, source, Map.of());
    }

    /**
     * Imports a parsed model with some graph inputs bound to fixed values: they become constants
     * (folded, or attributes where an op takes them), e.g. the shape input of a Reshape that a
     * model leaves as a graph input.
     */
    public static Graph importModel(OnnxModel model, String source, Map<String, OnnxTensor> boundInputs) {
        for (String name : boundInputs.keySet()) {
            if (model.graph() == null || model.graph().inputs().stream().noneMatch(i -> i.name().equals(name))) {
                throw new OnnxImportException(source + ": cannot bind '" + name + "': it is not a graph input");
            }
        }
        return new OnnxImporter(model, source, boundInputs).run();
    }

    private Graph run() {
        if (model.graph() == null) {
            throw new OnnxImportException(source + ": the model has no graph");
        }
        if (opset < OnnxOps.MIN_OPSET || opset > OnnxOps.MAX_OPSET) {
            throw new OnnxImportException(source + ": the model uses opset " + opset + " of the default ONNX domain;"
                    + " netlens imports opsets " + OnnxOps.MIN_OPSET + " to " + OnnxOps.MAX_OPSET
                    + (opset == 0 ? " (the model declares no default-domain opset)" : ""));
        }
        OnnxGraph g = model.graph();
        for (OnnxTensor t : g.initializers()) {
            ConstantValue v = ConstantValue.of(t);
            constA.put(t.name(), v);
            constB.put(t.name(), v);
        }
        bound.forEach((name, t) -> {
            ConstantValue v = ConstantValue.of(t);
            constA.put(name, v);
            constB.put(name, v);
        });
        declareInputs(g);
        for (OnnxNode node : topologicalOrder(g)) {
            importNode(node);
        }
        declareOutputs(g);
        builder.metadata("onnx.opset", Long.toString(opset));
        if (model.producerName() != null && !model.producerName().isEmpty()) {
            builder.metadata("onnx.producer", model.producerName()
                    + (model.producerVersion() == null || model.producerVersion().isEmpty() ? "" : " " + model.producerVersion()));
        }
        model.metadata().forEach(builder::metadata);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException(source + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ inputs and outputs

    private void declareInputs(OnnxGraph g) {
        int dynamic = 0;
        int batchOne = 0;
        int declaredInputs = 0;
        for (OnnxValueInfo in : g.inputs()) {
            if (constA.containsKey(in.name())) {
                continue; // an initializer listed as input (older IR versions): a constant
            }
            if (in.elemType() != OnnxDataType.FLOAT && in.elemType() != OnnxDataType.DOUBLE
                    && in.elemType() != OnnxDataType.FLOAT16 && in.elemType() != OnnxDataType.UNDEFINED) {
                throw new OnnxImportException(source + ": graph input '" + in.name() + "' has element type "
                        + in.elemType() + "; netlens runs models on float tensors");
            }
            if (in.shape() == null) {
                throw new OnnxImportException(source + ": graph input '" + in.name() + "' declares no shape");
            }
            int rank = in.shape().size();
            int[] declared = new int[rank];
            int[] a = new int[rank];
            int[] b = new int[rank];
            for (int d = 0; d < rank; d++) {
                OnnxValueInfo.Dim dim = in.shape().get(d);
                if (dim.isFixed()) {
                    if (dim.value() > Integer.MAX_VALUE) {
                        throw new OnnxImportException(source + ": graph input '" + in.name() + "' declares extent "
                                + dim.value() + " at dimension " + d);
                    }
                    declared[d] = (int) dim.value();
                    a[d] = declared[d];
                    b[d] = declared[d];
                } else {
                    declared[d] = -1;
                    a[d] = d == 0 ? 1 : 64 + 8 * dynamic;
                    b[d] = d == 0 ? 2 : 96 + 8 * dynamic;
                    dynamic++;
                }
            }
            builder.input(in.name(), declared);
            shapeA.put(in.name(), a);
            shapeB.put(in.name(), b);
            declaredInputs++;
            batchOne += rank > 0 && declared[0] == 1 ? 1 : 0;
        }
        exportedAtBatchOne = declaredInputs > 0 && batchOne == declaredInputs;
    }

    /**
     * In a model exported at batch 1, a Reshape target [1, …] of a tensor whose first extent is 1
     * becomes [0, …] (see the class comment); other conversions are returned unchanged.
     */
    private OnnxOps.Converted rowwiseReshape(OnnxNode node, OnnxOps.Converted c) {
        if (!exportedAtBatchOne || !(c.op() instanceof dev.netlens.core.ops.Reshape)) {
            return c;
        }
        Map<String, Object> attributes = c.op().attributes();
        int[] target = (int[]) attributes.get("shape");
        int[] data = shapeA.get(node.inputs().get(0));
        if (Integer.valueOf(1).equals(attributes.get("allowzero")) || target.length == 0 || target[0] != 1
                || data == null || data.length == 0 || data[0] != 1) {
            return c;
        }
        int[] rowwise = target.clone();
        rowwise[0] = 0;
        return new OnnxOps.Converted(new dev.netlens.core.ops.Reshape(rowwise, false), c.dataInputs());
    }

    private void declareOutputs(OnnxGraph g) {
        for (OnnxValueInfo out : g.outputs()) {
            String name = out.name();
            if (shapeA.containsKey(name)) {
                builder.output(name);
            } else if (constA.containsKey(name)) {
                materialize(name);
                builder.output(name);
            } else {
                throw new OnnxImportException(source + ": graph output '" + name + "' is not produced by any node");
            }
        }
    }

    // ------------------------------------------------------------------ nodes

    private List<OnnxNode> topologicalOrder(OnnxGraph g) {
        Map<String, Integer> producer = new HashMap<>();
        List<OnnxNode> nodes = g.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) {
                if (!o.isEmpty()) {
                    producer.put(o, i);
                }
            }
        }
        int[] pending = new int[nodes.size()];
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                Integer p = in.isEmpty() ? null : producer.get(in);
                if (p != null) {
                    pending[i]++;
                    dependents.get(p).add(i);
                }
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<OnnxNode> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int d : dependents.get(i)) {
                if (--pending[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (order.size() != nodes.size()) {
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < nodes.size() && stuck.size() < 8; i++) {
                if (pending[i] > 0) {
                    stuck.add(label(nodes.get(i)));
                }
            }
            throw new OnnxImportException(source + ": the graph has a cycle through node(s) " + stuck);
        }
        return order;
    }

    private static String label(OnnxNode n) {
        return (n.name() == null || n.name().isEmpty() ? n.outputs().toString() : n.name()) + " (" + n.opType() + ")";
    }

    private void importNode(OnnxNode node) {
        NodeView viewA = new NodeView(node, opset, source, constA::get);
        if (node.domain() != null && !node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
            throw viewA.error("ops of domain '" + node.domain() + "' are not supported (only the default ONNX domain)");
        }
        boolean allConstant = true;
        boolean anyPresent = false;
        for (String in : node.inputs()) {
            if (in.isEmpty()) {
                continue;
            }
            anyPresent = true;
            if (!constA.containsKey(in)) {
                if (!shapeA.containsKey(in)) {
                    throw viewA.error("input '" + in + "' is neither a graph input, an initializer nor a node output");
                }
                allConstant = false;
            }
        }
        String op = node.opType();
        if ((op.equals("Shape") || op.equals("Size")) && !allConstant) {
            String in = node.inputs().get(0);
            putConstant(node.outputs().get(0), ConstantFolder.shapeOf(viewA, toLongs(shapeA.get(in))),
                    ConstantFolder.shapeOf(viewA, toLongs(shapeB.get(in))));
            return;
        }
        if (allConstant && (anyPresent || op.equals("Constant"))) {
            fold(node, viewA);
            return;
        }
        if (!allConstant) {
            convert(node, viewA);
            return;
        }
        throw viewA.error("a node without inputs is only supported for Constant");
    }

    private void putConstant(String name, ConstantValue a, ConstantValue b) {
        constA.put(name, a);
        constB.put(name, a.sameAs(b) ? a : b);
    }

    private void fold(OnnxNode node, NodeView viewA) {
        NodeView viewB = new NodeView(node, opset, source, constB::get);
        ConstantValue[] inA = constants(node, constA);
        ConstantValue[] inB = constants(node, constB);
        boolean differs = false;
        for (int i = 0; i < inA.length; i++) {
            differs |= inA[i] != null && !inA[i].sameAs(inB[i]);
        }
        ConstantValue[] outA;
        ConstantValue[] outB;
        try {
            if (ConstantFolder.OPS.contains(node.opType())) {
                outA = ConstantFolder.evaluate(viewA, inA);
                outB = differs ? ConstantFolder.evaluate(viewB, inB) : outA;
            } else {
                outA = foldWithEngine(node, viewA, inA);
                outB = differs ? foldWithEngine(node, viewB, inB) : outA;
            }
        } catch (OnnxImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw viewA.error("could not fold constant inputs: " + e.getMessage());
        }
        for (int o = 0; o < node.outputs().size() && o < outA.length; o++) {
            String name = node.outputs().get(o);
            if (!name.isEmpty()) {
                putConstant(name, outA[o], outB[o]);
            }
        }
    }

    private static ConstantValue[] constants(OnnxNode node, Map<String, ConstantValue> values) {
        ConstantValue[] in = new ConstantValue[node.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            String name = node.inputs().get(i);
            in[i] = name.isEmpty() ? null : values.get(name);
        }
        return in;
    }

    /** Folds a node the constant folder does not know by running the engine's op on float32 values. */
    private ConstantValue[] foldWithEngine(OnnxNode node, NodeView view, ConstantValue[] in) {
        OnnxOps.Converter converter = converter(node, view);
        OnnxOps.Converted c = converter.convert(view);
        Tensor[] data = new Tensor[c.dataInputs().length];
        for (int k = 0; k < data.length; k++) {
            ConstantValue v = in[c.dataInputs()[k]];
            data[k] = Tensor.of(v.asFloats(), v.intDims());
        }
        int outputs = node.outputs().size();
        Graph.Builder gb = Graph.builder();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < data.length; k++) {
            gb.parameter("c" + k, data[k]);
            names.add("c" + k);
        }
        List<String> outs = new ArrayList<>();
        for (int o = 0; o < outputs; o++) {
            outs.add("o" + o);
        }
        gb.node("fold", c.op(), names, outs).output(outs.toArray(new String[0]));
        Map<String, Tensor> result = gb.build().run().forward(Map.of()).outputs();
        ConstantValue[] out = new ConstantValue[outputs];
        for (int o = 0; o < outputs; o++) {
            Tensor t = result.get("o" + o);
            out[o] = ConstantValue.ofFloats(toLongs(t.shape()), t.data());
        }
        return out;
    }

    private OnnxOps.Converter converter(OnnxNode node, NodeView view) {
        OnnxOps.Converter c = OnnxOps.resolve(node.opType(), opset);
        if (c == null) {
            Map<String, int[]> supported = OnnxOps.supported();
            if (supported.containsKey(node.opType())) {
                throw view.error("op " + node.opType() + " is supported from opset "
                        + supported.get(node.opType())[0] + " on, but the model uses opset " + opset);
            }
            throw view.error("op " + node.opType() + " is not supported; supported ops: " + supported.keySet()
                    + " and, on values known at load time, " + new java.util.TreeSet<>(ConstantFolder.OPS));
        }
        return c;
    }

    private void convert(OnnxNode node, NodeView viewA) {
        OnnxOps.Converter converter = converter(node, viewA);
        OnnxOps.Converted c;
        try {
            c = converter.convert(viewA);
        } catch (OnnxImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw viewA.error(e.getMessage());
        }
        Set<Integer> data = new HashSet<>();
        for (int i : c.dataInputs()) {
            data.add(i);
        }
        for (int i = 0; i < node.inputs().size(); i++) {
            String in = node.inputs().get(i);
            if (in.isEmpty() || data.contains(i) || !constA.containsKey(in)) {
                continue;
            }
            if (!constA.get(in).sameAs(constB.get(in))) {
                c = rescueDynamic(node, viewA, c, i);
            }
        }
        c = rowwiseReshape(node, c);
        List<String> inputs = new ArrayList<>();
        for (int i : c.dataInputs()) {
            String in = node.inputs().get(i);
            if (constA.containsKey(in)) {
                if (!constA.get(in).sameAs(constB.get(in))) {
                    throw viewA.error("data input '" + in + "' is computed from the dynamic extents of an input;"
                            + " export the model with a fixed input shape");
                }
                materialize(in);
            }
            inputs.add(in);
        }
        List<String> outputs = new ArrayList<>(node.outputs());
        while (!outputs.isEmpty() && outputs.get(outputs.size() - 1).isEmpty()) {
            outputs.remove(outputs.size() - 1);
        }
        String name = uniqueName(node);
        for (int o = 0; o < outputs.size(); o++) {
            if (outputs.get(o).isEmpty()) {
                outputs.set(o, name + ":unused" + o);
            }
        }
        int[][] inA = new int[inputs.size()][];
        int[][] inB = new int[inputs.size()][];
        for (int k = 0; k < inputs.size(); k++) {
            inA[k] = shapeA.get(inputs.get(k));
            inB[k] = shapeB.get(inputs.get(k));
        }
        int[][] outA;
        int[][] outB;
        try {
            outA = c.op().outputShapes(inA, outputs.size());
            outB = c.op().outputShapes(inB, outputs.size());
        } catch (RuntimeException e) {
            throw viewA.error(e.getMessage() + " (input shapes " + describeShapes(inputs, inA) + ")");
        }
        for (int o = 0; o < outputs.size(); o++) {
            shapeA.put(outputs.get(o), outA[o]);
            shapeB.put(outputs.get(o), outB[o]);
        }
        builder.node(name, c.op(), inputs, outputs);
    }

    private static String describeShapes(List<String> names, int[][] shapes) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < names.size(); k++) {
            b.append(k == 0 ? "" : ", ").append(names.get(k)).append(shapes[k] == null ? "" : Shapes.toString(shapes[k]));
        }
        return b.toString();
    }

    /**
     * Rewrites a node whose constant input depends on dynamic input extents, where that dependence
     * only forwards an extent of the data input: a Reshape target entry that equals the data
     * input's extent at the same position becomes 0 (copy), and a single other varying entry −1;
     * Resize sizes that equal the data input's extents leave those axes alone.
     */
    private OnnxOps.Converted rescueDynamic(OnnxNode node, NodeView viewA, OnnxOps.Converted c, int input) {
        String op = node.opType();
        boolean reshape = op.equals("Reshape") && input == 1;
        boolean resize = op.equals("Resize") && input == 3;
        if (!reshape && !resize) {
            throw viewA.error("input " + input + " ('" + node.inputs().get(input) + "') is computed from the dynamic"
                    + " extents of a graph input, which netlens supports only for Reshape targets and Resize sizes;"
                    + " export the model with a fixed input shape");
        }
        long[] a = constA.get(node.inputs().get(input)).asLongs();
        long[] b = constB.get(node.inputs().get(input)).asLongs();
        int[] dataA = shapeA.get(node.inputs().get(0));
        int[] dataB = shapeB.get(node.inputs().get(0));
        boolean[] follows = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            follows[i] = a[i] != b[i] && dataA != null && i < dataA.length && a[i] == dataA[i] && b[i] == dataB[i];
        }
        if (resize) {
            List<Integer> axes = new ArrayList<>();
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i] && !follows[i]) {
                    throw viewA.error("the Resize sizes " + Arrays.toString(a) + " / " + Arrays.toString(b)
                            + " depend on dynamic input extents; export the model with a fixed input shape");
                }
                if (!follows[i]) {
                    axes.add(i);
                }
            }
            int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
            int[] sizes = new int[ax.length];
            for (int k = 0; k < ax.length; k++) {
                sizes[k] = (int) a[ax[k]];
            }
            return new OnnxOps.Converted(OnnxOps.resize(viewA, ax, sizes), c.dataInputs());
        }
        int[] target = new int[a.length];
        int varying = -1;
        boolean hasInfer = false;
        for (long v : a) {
            hasInfer |= v == -1;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                target[i] = (int) a[i];
            } else if (follows[i]) {
                target[i] = 0;
            } else if (varying < 0 && !hasInfer) {
                varying = i;
                target[i] = -1;
            } else {
                throw viewA.error("the target shape " + Arrays.toString(a) + " / " + Arrays.toString(b)
                        + " depends on dynamic input extents in a way netlens cannot express;"
                        + " export the model with a fixed input shape");
            }
        }
        if (viewA.intAttr("allowzero", 0) != 0) {
            throw viewA.error("a dynamic target shape with allowzero=1 is not supported");
        }
        return new OnnxOps.Converted(new dev.netlens.core.ops.Reshape(target, false), c.dataInputs());
    }

    private void materialize(String name) {
        if (parameters.add(name)) {
            ConstantValue v = constA.get(name);
            builder.parameter(name, Tensor.of(v.asFloats(), v.intDims()));
            shapeA.put(name, v.intDims());
            shapeB.put(name, v.intDims());
        }
    }

    private String uniqueName(OnnxNode node) {
        String base = node.name() == null || node.name().isEmpty() ? firstOutput(node) : node.name();
        String name = base;
        for (int k = 1; !nodeNames.add(name); k++) {
            name = base + "#" + k;
        }
        return name;
    }

    private static String firstOutput(OnnxNode node) {
        for (String o : node.outputs()) {
            if (!o.isEmpty()) {
                return o;
            }
        }
        return node.opType();
    }

    private static long[] toLongs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    /** Describes what was imported (for tests and `inspect`): op type → count of nodes. */
    static Map<String, Integer> opCounts(Graph g) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        g.nodes().forEach(n -> counts.merge(n.op().type(), 1, Integer::sum));
        return counts;
    }
}
