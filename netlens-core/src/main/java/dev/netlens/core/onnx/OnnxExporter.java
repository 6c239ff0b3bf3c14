package dev.netlens.core.onnx;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.ops.Gelu;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.SoftmaxFamilyOp;
import dev.netlens.core.ops.Split;
import dev.netlens.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a netlens {@link Graph} as an ONNX model at opset 17 (IR version 8): value and node names,
 * parameters (as float32 initializers) and metadata are kept. Attributes that opset 17 takes as
 * inputs (Reshape's shape, Pad's pads, Clip's bounds, Slice's ranges, Split's sizes, Squeeze and
 * Unsqueeze axes, ReduceSum axes, Resize's scales/sizes, Dropout's ratio) become int64/float
 * initializers named {@code <node>/<input>}. Ops that opset 17 lacks are written as their
 * definition in opset-17 ops: Gelu as Erf/Tanh arithmetic, the opset-&lt;13 Softmax as
 * Flatten → Softmax → Reshape.
 *
 * <p>Dynamic extents (−1) of graph inputs are written as the symbolic dimension "N" (first axis)
 * or "d&lt;i&gt;". Export needs the graph's output shapes for a few rewrites; it infers them with
 * every dynamic extent set to 1.
 */
public final class OnnxExporter {
    /** The opset the exporter writes. */
    public static final int OPSET = 17;

    private final Graph graph;
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final List<OnnxTensor> initializers = new ArrayList<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();

    private OnnxExporter(Graph graph) {
        this.graph = graph;
    }

    /** The ONNX model of a graph. */
    public static OnnxModel toModel(Graph graph) {
        return new OnnxExporter(graph).build();
    }

    /** Writes the ONNX model of a graph to a file. */
    public static void write(Graph graph, Path file) {
        OnnxWriter.write(toModel(graph), file);
    }

    private OnnxModel build() {
        inferShapes();
        for (Map.Entry<String, Tensor> p : graph.parameters().entrySet()) {
            initializers.add(OnnxTensor.ofFloats(p.getKey(), longs(p.getValue().shape()), p.getValue().data()));
        }
        for (Node n : graph.nodes()) {
            export(n);
        }
        List<OnnxValueInfo> inputs = new ArrayList<>();
        for (String in : graph.inputNames()) {
            int[] declared = graph.inputShape(in);
            List<OnnxValueInfo.Dim> dims = new ArrayList<>();
            for (int d = 0; d < declared.length; d++) {
                dims.add(declared[d] >= 0 ? new OnnxValueInfo.Dim(declared[d], "")
                        : new OnnxValueInfo.Dim(-1, d == 0 ? "N" : "d" + d));
            }
            inputs.add(new OnnxValueInfo(in, OnnxDataType.FLOAT, dims, ""));
        }
        List<OnnxValueInfo> outputs = new ArrayList<>();
        for (String out : graph.outputNames()) {
            outputs.add(new OnnxValueInfo(out, OnnxDataType.FLOAT, null, ""));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        graph.metadata().forEach((k, v) -> {
            if (!k.startsWith("onnx.")) {
                metadata.put(k, v);
            }
        });
        OnnxGraph g = new OnnxGraph("netlens", nodes, initializers, inputs, outputs, List.of(), "");
        return new OnnxModel(8, List.of(new OnnxOpset("", OPSET)), "netlens", version(), "", 0, "", g, metadata);
    }

    private static String version() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Shapes of every value with dynamic extents set to 1 (needed to expand axes-relative attributes). */
    private void inferShapes() {
        for (String in : graph.inputNames()) {
            int[] s = graph.inputShape(in);
            for (int d = 0; d < s.length; d++) {
                if (s[d] < 0) {
                    s[d] = 1;
                }
            }
            shapes.put(in, s);
        }
        graph.parameters().forEach((k, v) -> shapes.put(k, v.shape()));
        for (Node n : graph.nodes()) {
            int[][] in = new int[n.inputs().size()][];
            for (int i = 0; i < in.length; i++) {
                in[i] = n.inputs().get(i).isEmpty() ? null : shapes.get(n.inputs().get(i));
            }
            int[][] out = n.op().outputShapes(in, n.outputs().size());
            for (int o = 0; o < out.length; o++) {
                shapes.put(n.outputs().get(o), out[o]);
            }
        }
    }

    private void export(Node n) {
        Op op = n.op();
        Map<String, Object> a = op.attributes();
        List<String> in = new ArrayList<>(n.inputs());
        String type = op.type();
        switch (type) {
            case "Clip" -> {
                in.add(a.containsKey("min") ? floatConstant(n, "min", ((Number) a.get("min")).floatValue()) : "");
                in.add(a.containsKey("max") ? floatConstant(n, "max", ((Number) a.get("max")).floatValue()) : "");
                trimTrailingEmpty(in);
                emit(n, "Clip", in, n.outputs(), Map.of());
            }
            case "ReduceSum" -> {
                if (a.containsKey("axes")) {
                    in.add(intsConstant(n, "axes", (int[]) a.get("axes")));
                }
                emit(n, type, in, n.outputs(), pick(a, "keepdims", "noop_with_empty_axes"));
            }
            case "ReduceMean", "ReduceMax", "ReduceMin" -> {
                if (!a.containsKey("axes") && Integer.valueOf(1).equals(a.get("noop_with_empty_axes"))) {
                    emit(n, "Identity", in, n.outputs(), Map.of());
                } else {
                    emit(n, type, in, n.outputs(), pick(a, "axes", "keepdims"));
                }
            }
            case "Squeeze", "Unsqueeze" -> {
                if (a.containsKey("axes")) {
                    in.add(intsConstant(n, "axes", (int[]) a.get("axes")));
                }
                emit(n, type, in, n.outputs(), Map.of());
            }
            case "Split" -> {
                int axis = (Integer) a.get("axis");
                int[] x = shapes.get(n.inputs().get(0));
                int ax = axis < 0 ? axis + x.length : axis;
                int[] sizes = ((Split) op).sizes(x[ax]);
                in.add(intsConstant(n, "split", sizes));
                emit(n, type, in, n.outputs(), Map.of("axis", axis));
            }
            case "Slice" -> {
                in.add(longsConstant(n, "starts", (long[]) a.get("starts")));
                in.add(longsConstant(n, "ends", (long[]) a.get("ends")));
                if (a.containsKey("axes") || a.containsKey("steps")) {
                    long[] starts = (long[]) a.get("starts");
                    long[] axes = a.containsKey("axes") ? (long[]) a.get("axes") : iota(starts.length);
                    in.add(longsConstant(n, "axes", axes));
                    if (a.containsKey("steps")) {
                        in.add(longsConstant(n, "steps", (long[]) a.get("steps")));
                    }
                }
                emit(n, type, in, n.outputs(), Map.of());
            }
            case "Reshape" -> {
                in.add(intsConstant(n, "shape", (int[]) a.get("shape")));
                emit(n, type, in, n.outputs(), pick(a, "allowzero"));
            }
            case "Pad" -> {
                int[] pads = (int[]) a.get("pads");
                if (a.containsKey("axes")) {
                    pads = expandPads(pads, (int[]) a.get("axes"), shapes.get(n.inputs().get(0)).length);
                }
                in.add(intsConstant(n, "pads", pads));
                if (a.containsKey("constant_value")) {
                    in.add(floatConstant(n, "constant_value", ((Number) a.get("constant_value")).floatValue()));
                }
                String mode = (String) a.get("mode");
                if (mode.equals("wrap")) {
                    throw new IllegalArgumentException("node '" + n.name() + "': Pad mode 'wrap' needs opset 19;"
                            + " netlens exports opset " + OPSET);
                }
                emit(n, type, in, n.outputs(), Map.of("mode", mode));
            }
            case "Resize", "Upsample" -> exportResize(n, a, in);
            case "Dropout" -> {
                in.add(floatConstant(n, "ratio", ((Number) a.get("ratio")).floatValue()));
                emit(n, type, in, n.outputs(), Map.of());
            }
            case "Softmax", "LogSoftmax" -> exportSoftmax(n, (SoftmaxFamilyOp) op, a);
            case "Gelu" -> exportGelu(n, (Gelu) op);
            default -> emit(n, type, in, n.outputs(), a);
        }
    }

    private void exportResize(Node n, Map<String, Object> a, List<String> in) {
        int rank = shapes.get(n.inputs().get(0)).length;
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("mode", a.get("mode"));
        if (n.op().type().equals("Upsample")) {
            attrs.put("coordinate_transformation_mode", "asymmetric");
            attrs.put("nearest_mode", "floor");
        } else {
            attrs.put("coordinate_transformation_mode", a.get("coordinate_transformation_mode"));
            if (a.containsKey("nearest_mode")) {
                attrs.put("nearest_mode", a.get("nearest_mode"));
            }
            Object policy = a.get("keep_aspect_ratio_policy");
            if (policy != null && !"stretch".equals(policy)) {
                throw new IllegalArgumentException("node '" + n.name() + "': keep_aspect_ratio_policy needs opset 18;"
                        + " netlens exports opset " + OPSET);
            }
        }
        int[] axes = (int[]) a.get("axes");
        in.add("");
        if (a.containsKey("scales")) {
            float[] scales = (float[]) a.get("scales");
            float[] full = new float[rank];
            java.util.Arrays.fill(full, 1f);
            for (int i = 0; i < scales.length; i++) {
                full[axes == null ? i : Math.floorMod(axes[i], rank)] = scales[i];
            }
            in.add(floatsConstant(n, "scales", full));
        } else {
            int[] sizes = (int[]) a.get("sizes");
            int[] full = shapes.get(n.inputs().get(0)).clone();
            for (int i = 0; i < sizes.length; i++) {
                full[axes == null ? i : Math.floorMod(axes[i], rank)] = sizes[i];
            }
            in.add("");
            in.add(intsConstant(n, "sizes", full));
        }
        emit(n, "Resize", in, n.outputs(), attrs);
    }

    private void exportSoftmax(Node n, SoftmaxFamilyOp op, Map<String, Object> a) {
        int axis = (Integer) a.get("axis");
        int rank = shapes.get(n.inputs().get(0)).length;
        int ax = axis < 0 ? axis + rank : axis;
        if (!op.legacyCoerced() || ax >= rank - 1) {
            emit(n, n.op().type(), n.inputs(), n.outputs(), Map.of("axis", op.legacyCoerced() ? -1 : axis));
            return;
        }
        String x = n.inputs().get(0);
        String flat = n.name() + "/flat";
        String soft = n.name() + "/soft";
        String shape = n.name() + "/shape";
        nodes.add(node(n.name() + "/Flatten", "Flatten", List.of(x), List.of(flat), Map.of("axis", ax)));
        nodes.add(node(n.name() + "/" + n.op().type(), n.op().type(), List.of(flat), List.of(soft), Map.of("axis", 1)));
        nodes.add(node(n.name() + "/Shape", "Shape", List.of(x), List.of(shape), Map.of()));
        nodes.add(node(n.name(), "Reshape", List.of(soft, shape), n.outputs(), Map.of()));
    }

    private void exportGelu(Node n, Gelu op) {
        String x = n.inputs().get(0);
        String p = n.name() + "/";
        String inner;
        if ("tanh".equals(op.attributes().get("approximate"))) {
            // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
            nodes.add(node(p + "cube", "Mul", List.of(x, x), List.of(p + "x2"), Map.of()));
            nodes.add(node(p + "cube2", "Mul", List.of(p + "x2", x), List.of(p + "x3"), Map.of()));
            nodes.add(node(p + "scale3", "Mul", List.of(p + "x3", floatConstant(n, "c", 0.044715f)), List.of(p + "t1"), Map.of()));
            nodes.add(node(p + "sum", "Add", List.of(x, p + "t1"), List.of(p + "t2"), Map.of()));
            nodes.add(node(p + "scale", "Mul", List.of(p + "t2", floatConstant(n, "k", (float) Math.sqrt(2 / Math.PI))),
                    List.of(p + "t3"), Map.of()));
            nodes.add(node(p + "tanh", "Tanh", List.of(p + "t3"), List.of(p + "t4"), Map.of()));
            inner = p + "t4";
        } else {
            // 0.5·x·(1 + erf(x / √2))
            nodes.add(node(p + "div", "Div", List.of(x, floatConstant(n, "sqrt2", (float) Math.sqrt(2))),
                    List.of(p + "t1"), Map.of()));
            nodes.add(node(p + "erf", "Erf", List.of(p + "t1"), List.of(p + "t4"), Map.of()));
            inner = p + "t4";
        }
        nodes.add(node(p + "add1", "Add", List.of(inner, floatConstant(n, "one", 1f)), List.of(p + "t5"), Map.of()));
        nodes.add(node(p + "mulx", "Mul", List.of(x, p + "t5"), List.of(p + "t6"), Map.of()));
        nodes.add(node(n.name(), "Mul", List.of(p + "t6", floatConstant(n, "half", 0.5f)), n.outputs(), Map.of()));
    }

    private static int[] expandPads(int[] pads, int[] axes, int rank) {
        int[] full = new int[2 * rank];
        for (int i = 0; i < axes.length; i++) {
            int ax = Math.floorMod(axes[i], rank);
            full[ax] = pads[i];
            full[ax + rank] = pads[i + axes.length];
        }
        return full;
    }

    private static long[] iota(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    private static void trimTrailingEmpty(List<String> in) {
        while (!in.isEmpty() && in.get(in.size() - 1).isEmpty()) {
            in.remove(in.size() - 1);
        }
    }

    private static Map<String, Object> pick(Map<String, Object> a, String... keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            if (a.containsKey(k)) {
                out.put(k, a.get(k));
            }
        }
        return out;
    }

    private String intsConstant(Node n, String role, int[] values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        return longsConstant(n, role, l);
    }

    private String longsConstant(Node n, String role, long[] values) {
        String name = n.name() + "/" + role;
        initializers.add(OnnxTensor.ofLongs(name, new long[] {values.length}, values));
        return name;
    }

    private String floatConstant(Node n, String role, float value) {
        String name = n.name() + "/" + role;
        initializers.add(OnnxTensor.ofFloats(name, new long[0], new float[] {value}));
        return name;
    }

    private String floatsConstant(Node n, String role, float[] values) {
        String name = n.name() + "/" + role;
        initializers.add(OnnxTensor.ofFloats(name, new long[] {values.length}, values));
        return name;
    }

    private void emit(Node n, String type, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
        nodes.add(node(n.name(), type, inputs, outputs, attributes));
    }

    private static OnnxNode node(String name, String type, List<String> inputs, List<String> outputs,
                                 Map<String, Object> attributes) {
        List<OnnxAttribute> attrs = new ArrayList<>();
        attributes.forEach((k, v) -> attrs.add(attribute(k, v)));
        return new OnnxNode(name, type, "", List.copyOf(inputs), List.copyOf(outputs), attrs, "");
    }

    private static OnnxAttribute attribute(String name, Object v) {
        if (v instanceof Integer i) {
            return OnnxAttribute.ofInt(name, i);
        }
        if (v instanceof Long l) {
            return OnnxAttribute.ofInt(name, l);
        }
        if (v instanceof Boolean b) {
            return OnnxAttribute.ofInt(name, b ? 1 : 0);
        }
        if (v instanceof Number f) {
            return OnnxAttribute.ofFloat(name, f.floatValue());
        }
        if (v instanceof String s) {
            return OnnxAttribute.ofString(name, s);
        }
        if (v instanceof int[] ia) {
            long[] l = new long[ia.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = ia[i];
            }
            return OnnxAttribute.ofInts(name, l);
        }
        if (v instanceof long[] la) {
            return OnnxAttribute.ofInts(name, la);
        }
        if (v instanceof float[] fa) {
            return OnnxAttribute.ofFloats(name, fa);
        }
        throw new IllegalArgumentException("attribute " + name + " has a value of type "
                + (v == null ? "null" : v.getClass().getSimpleName()) + " that cannot be written to ONNX");
    }

    private static long[] longs(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }
}
