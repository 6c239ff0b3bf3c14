package dev.netlens.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Shared helpers of the ONNX tests: deep comparison of models (the records hold arrays, so record
 * equality is not enough), the line description that {@code describe_models.py} also writes, and
 * a model that uses every feature of the format.
 */
final class OnnxTestSupport {
    /** Where the Debian package libonnx-testdata installs ONNX's backend test data. */
    /**
     * ONNX's backend test data: the files the tests use are vendored under
     * src/test/resources/onnx/testdata (copied from Debian's libonnx-testdata, Apache-2.0).
     */
    static final Path ONNX_TEST_DATA = vendoredTestData();

    private static Path vendoredTestData() {
        try {
            return Path.of(OnnxTestSupport.class.getResource("/onnx/testdata/README.md").toURI()).getParent();
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("vendored ONNX test data missing from the test resources", e);
        }
    }

    private OnnxTestSupport() {
    }

    /** The directory of the test resources under {@code onnx/}. */
    static Path resourceDir() {
        URL url = OnnxTestSupport.class.getResource("/onnx/descriptions.txt");
        if (url == null) {
            throw new IllegalStateException("test resource onnx/descriptions.txt is missing");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- deep equality ------------------------------------------------------------------------

    static void assertModelEquals(OnnxModel expected, OnnxModel actual) {
        String p = "model";
        assertEquals(expected.irVersion(), actual.irVersion(), p + ".irVersion");
        assertEquals(expected.opsets(), actual.opsets(), p + ".opsets");
        assertEquals(expected.producerName(), actual.producerName(), p + ".producerName");
        assertEquals(expected.producerVersion(), actual.producerVersion(), p + ".producerVersion");
        assertEquals(expected.domain(), actual.domain(), p + ".domain");
        assertEquals(expected.modelVersion(), actual.modelVersion(), p + ".modelVersion");
        assertEquals(expected.docString(), actual.docString(), p + ".docString");
        assertEquals(expected.metadata(), actual.metadata(), p + ".metadata");
        assertEquals(new ArrayList<>(expected.metadata().keySet()), new ArrayList<>(actual.metadata().keySet()),
                p + ".metadata order");
        assertGraphEquals(expected.graph(), actual.graph(), p + ".graph");
    }

    static void assertGraphEquals(OnnxGraph e, OnnxGraph a, String p) {
        assertEquals(e.name(), a.name(), p + ".name");
        assertEquals(e.docString(), a.docString(), p + ".docString");
        assertEquals(e.inputs(), a.inputs(), p + ".inputs");
        assertEquals(e.outputs(), a.outputs(), p + ".outputs");
        assertEquals(e.valueInfo(), a.valueInfo(), p + ".valueInfo");
        assertEquals(e.initializers().size(), a.initializers().size(), p + ".initializers.size");
        for (int i = 0; i < e.initializers().size(); i++) {
            assertTensorEquals(e.initializers().get(i), a.initializers().get(i), p + ".initializers[" + i + "]");
        }
        assertEquals(e.nodes().size(), a.nodes().size(), p + ".nodes.size");
        for (int i = 0; i < e.nodes().size(); i++) {
            assertNodeEquals(e.nodes().get(i), a.nodes().get(i), p + ".nodes[" + i + "]");
        }
    }

    static void assertNodeEquals(OnnxNode e, OnnxNode a, String p) {
        assertEquals(e.name(), a.name(), p + ".name");
        assertEquals(e.opType(), a.opType(), p + ".opType");
        assertEquals(e.domain(), a.domain(), p + ".domain");
        assertEquals(e.inputs(), a.inputs(), p + ".inputs");
        assertEquals(e.outputs(), a.outputs(), p + ".outputs");
        assertEquals(e.docString(), a.docString(), p + ".docString");
        assertEquals(e.attributes().size(), a.attributes().size(), p + ".attributes.size");
        for (int i = 0; i < e.attributes().size(); i++) {
            assertAttributeEquals(e.attributes().get(i), a.attributes().get(i),
                    p + ".attributes[" + e.attributes().get(i).name() + "]");
        }
    }

    static void assertAttributeEquals(OnnxAttribute e, OnnxAttribute a, String p) {
        assertEquals(e.name(), a.name(), p + ".name");
        assertEquals(e.type(), a.type(), p + ".type");
        assertEquals(Float.floatToRawIntBits(e.f()), Float.floatToRawIntBits(a.f()), p + ".f");
        assertEquals(e.i(), a.i(), p + ".i");
        assertArrayEquals(e.s(), a.s(), p + ".s");
        assertArrayEquals(e.floats(), a.floats(), p + ".floats");
        assertArrayEquals(e.ints(), a.ints(), p + ".ints");
        assertBytesListEquals(e.strings(), a.strings(), p + ".strings");
        if (e.t() == null || a.t() == null) {
            assertEquals(e.t(), a.t(), p + ".t");
        } else {
            assertTensorEquals(e.t(), a.t(), p + ".t");
        }
        if (e.g() == null || a.g() == null) {
            assertEquals(e.g(), a.g(), p + ".g");
        } else {
            assertGraphEquals(e.g(), a.g(), p + ".g");
        }
        if (e.tensors() == null || a.tensors() == null) {
            assertEquals(e.tensors(), a.tensors(), p + ".tensors");
        } else {
            assertEquals(e.tensors().size(), a.tensors().size(), p + ".tensors.size");
            for (int i = 0; i < e.tensors().size(); i++) {
                assertTensorEquals(e.tensors().get(i), a.tensors().get(i), p + ".tensors[" + i + "]");
            }
        }
        if (e.graphs() == null || a.graphs() == null) {
            assertEquals(e.graphs(), a.graphs(), p + ".graphs");
        } else {
            assertEquals(e.graphs().size(), a.graphs().size(), p + ".graphs.size");
            for (int i = 0; i < e.graphs().size(); i++) {
                assertGraphEquals(e.graphs().get(i), a.graphs().get(i), p + ".graphs[" + i + "]");
            }
        }
    }

    static void assertTensorEquals(OnnxTensor e, OnnxTensor a, String p) {
        assertEquals(e.name(), a.name(), p + ".name");
        assertEquals(e.dataType(), a.dataType(), p + ".dataType (" + e.name() + ")");
        assertArrayEquals(e.dims(), a.dims(), p + ".dims (" + e.name() + ")");
        if (e.raw() == null || a.raw() == null) {
            assertEquals(e.raw() == null, a.raw() == null, p + ".raw presence (" + e.name() + ")");
        } else {
            assertEquals(e.raw(), a.raw(), p + ".raw (" + e.name() + ")");
        }
        assertBytesListEquals(e.strings(), a.strings(), p + ".strings (" + e.name() + ")");
    }

    private static void assertBytesListEquals(List<byte[]> e, List<byte[]> a, String p) {
        if (e == null || a == null) {
            assertEquals(e == null, a == null, p + " presence");
            return;
        }
        assertEquals(e.size(), a.size(), p + ".size");
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i), a.get(i), p + "[" + i + "]");
        }
    }

    // ---- a model with every feature -------------------------------------------------------------

    /** A tensor of any raw-layout type filled with seeded random bytes. */
    static OnnxTensor randomTensor(SplittableRandom r, String name, OnnxDataType type, long... dims) {
        int n = (int) OnnxTensor.elementCount(dims, name) * type.bytesPerElement();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return OnnxTensor.ofRaw(name, dims, type, ByteBuffer.wrap(b));
    }

    static List<OnnxTensor> tensorsOfEveryType(String prefix, SplittableRandom r) {
        List<OnnxTensor> out = new ArrayList<>();
        for (OnnxDataType t : OnnxDataType.values()) {
            if (t.bytesPerElement() > 0) {
                out.add(randomTensor(r, prefix + t.name().toLowerCase(), t, 2, 3));
            }
        }
        out.add(OnnxTensor.ofStrings(prefix + "strings", new long[] {3},
                List.of(bytes("a"), bytes("h\u00e9llo \uD83D\uDE00"), new byte[] {(byte) 0xff, 0, 1})));
        out.add(OnnxTensor.ofFloats(prefix + "scalar", new long[0], new float[] {Float.NaN}));
        out.add(OnnxTensor.ofFloats(prefix + "empty", new long[] {0, 5}, new float[0]));
        out.add(OnnxTensor.ofLongs("", new long[] {2}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static OnnxValueInfo vi(String name, OnnxDataType type, Object... dims) {
        List<OnnxValueInfo.Dim> shape = new ArrayList<>();
        for (Object d : dims) {
            if (d instanceof Number n) {
                shape.add(new OnnxValueInfo.Dim(n.longValue(), null));
            } else {
                shape.add(new OnnxValueInfo.Dim(-1, (String) d));
            }
        }
        return new OnnxValueInfo(name, type, List.copyOf(shape), "");
    }

    static OnnxNode node(String name, String op, List<String> in, List<String> out, OnnxAttribute... attrs) {
        return new OnnxNode(name, op, "", in, out, List.of(attrs), "");
    }

    static OnnxGraph graph(String name, List<OnnxNode> nodes, List<OnnxTensor> inits, List<OnnxValueInfo> inputs,
                           List<OnnxValueInfo> outputs) {
        return new OnnxGraph(name, nodes, inits, inputs, outputs, List.of(), "");
    }

    /** A model exercising every record field, attribute type, tensor type and nesting. */
    static OnnxModel richModel() {
        SplittableRandom r = new SplittableRandom(42);
        OnnxGraph leaf = graph("leaf", List.of(node("leaf_neg", "Neg", List.of("a"), List.of("b"))),
                List.of(randomTensor(r, "leaf_w", OnnxDataType.FLOAT, 3)),
                List.of(vi("a", OnnxDataType.FLOAT, "M")), List.of(vi("b", OnnxDataType.FLOAT, "M")));
        OnnxGraph middle = graph("middle", List.of(node("wrap", "Wrap", List.of(), List.of("c"),
                        new OnnxAttribute("body", OnnxAttribute.Type.GRAPH, 0, 0, null, null, leaf, null, null, null,
                                null, null))),
                List.of(), List.of(), List.of(new OnnxValueInfo("c", OnnxDataType.FLOAT, null, "unknown rank")));
        List<OnnxAttribute> attrs = new ArrayList<>();
        attrs.add(OnnxAttribute.ofFloat("f", -0.1f));
        attrs.add(OnnxAttribute.ofFloat("f_nan", Float.intBitsToFloat(0x7fc00001)));
        attrs.add(OnnxAttribute.ofInt("i", Long.MIN_VALUE));
        attrs.add(OnnxAttribute.ofInt("i0", 0));
        attrs.add(OnnxAttribute.ofString("s", "h\u00e9llo w=rld"));
        attrs.add(OnnxAttribute.ofString("s_empty", ""));
        attrs.add(OnnxAttribute.ofTensor("t", randomTensor(r, "t_double", OnnxDataType.DOUBLE, 2)));
        attrs.add(new OnnxAttribute("g", OnnxAttribute.Type.GRAPH, 0, 0, null, null, middle, null, null, null, null,
                null));
        attrs.add(OnnxAttribute.ofFloats("floats", 1.5f, -0.0f, Float.MIN_VALUE, Float.POSITIVE_INFINITY));
        attrs.add(OnnxAttribute.ofFloats("floats_empty"));
        attrs.add(OnnxAttribute.ofInts("ints", 0, -1, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE));
        attrs.add(new OnnxAttribute("strings", OnnxAttribute.Type.STRINGS, 0, 0, null, null, null, null, null,
                List.of(bytes("one"), new byte[0], new byte[] {(byte) 0xc3}), null, null));
        attrs.add(new OnnxAttribute("tensors", OnnxAttribute.Type.TENSORS, 0, 0, null, null, null, null, null, null,
                tensorsOfEveryType("attr_", r), null));
        attrs.add(new OnnxAttribute("graphs", OnnxAttribute.Type.GRAPHS, 0, 0, null, null, null, null, null, null,
                null, List.of(leaf, middle)));
        attrs.add(new OnnxAttribute("sparse", OnnxAttribute.Type.SPARSE_TENSOR, 0, 0, new byte[] {0x0a, 0x00}, null,
                null, null, null, null, null, null));
        attrs.add(new OnnxAttribute("sparses", OnnxAttribute.Type.SPARSE_TENSORS, 0, 0, null, null, null, null,
                null, List.of(new byte[] {0x0a, 0x00}, new byte[0]), null, null));
        attrs.add(new OnnxAttribute("tp", OnnxAttribute.Type.TYPE_PROTO, 0, 0, new byte[] {0x0a, 0x02, 0x08, 0x01},
                null, null, null, null, null, null, null));
        attrs.add(new OnnxAttribute("tps", OnnxAttribute.Type.TYPE_PROTOS, 0, 0, null, null, null, null, null,
                List.of(new byte[] {0x0a, 0x02, 0x08, 0x07}), null, null));
        OnnxNode all = new OnnxNode("all \u00e4ttributes", "AllAttributes", "netlens.test",
                List.of("x", "", "w_float"), List.of("y", ""), List.copyOf(attrs), "node doc");
        OnnxNode relu = node("", "Relu", List.of("y"), List.of("z"));
        List<OnnxValueInfo> inputs = List.of(
                vi("x", OnnxDataType.FLOAT, "N", 3, 224, 224),
                new OnnxValueInfo("w_float", OnnxDataType.FLOAT16, List.of(new OnnxValueInfo.Dim(-1, null),
                        new OnnxValueInfo.Dim(-1, "")), "input doc"),
                new OnnxValueInfo("seq", OnnxDataType.UNDEFINED, null, ""),
                vi("scalar", OnnxDataType.INT64));
        List<OnnxValueInfo> outputs = List.of(vi("z", OnnxDataType.FLOAT, "N", 1000),
                new OnnxValueInfo("untyped", OnnxDataType.UNDEFINED, null, ""));
        OnnxGraph main = new OnnxGraph("main graph", List.of(all, relu), tensorsOfEveryType("", r), inputs, outputs,
                List.of(vi("y", OnnxDataType.FLOAT, 1, 2, 3)), "graph doc");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("netlens.classes", "[\"cat\",\"dog\"]");
        meta.put("netlens.mean", "0.485,0.456,0.406");
        meta.put("k\u00e9y", "");
        return new OnnxModel(8, List.of(new OnnxOpset("", 13), new OnnxOpset("netlens.test", 1),
                new OnnxOpset("ai.onnx.ml", 3)), "netlens", "0.1", "dev.netlens", 7, "model doc", main,
                java.util.Collections.unmodifiableMap(meta));
    }

    // ---- line descriptions (the same format as describe_models.py) ----------------------------

    static List<String> describeModel(String ref, OnnxModel m) {
        List<String> out = new ArrayList<>();
        out.add("model " + ref);
        out.add("ir " + m.irVersion() + " model_version=" + m.modelVersion());
        out.add("producer " + q(m.producerName()) + " " + q(m.producerVersion()) + " domain=" + q(m.domain())
                + " doc=" + q(m.docString()));
        for (OnnxOpset o : m.opsets()) {
            out.add("opset " + q(o.domain()) + " " + o.version());
        }
        for (Map.Entry<String, String> e : m.metadata().entrySet()) {
            out.add("meta " + q(e.getKey()) + " " + q(e.getValue()));
        }
        describeGraph(m.graph(), out);
        out.add("end");
        return out;
    }

    static List<String> describeTensorFile(String ref, OnnxTensor t) {
        return List.of("pb " + ref, tensorLine("tensor", t), "end");
    }

    private static void describeGraph(OnnxGraph g, List<String> out) {
        out.add("graph " + q(g.name()) + " doc=" + q(g.docString()));
        for (OnnxTensor t : g.initializers()) {
            out.add(tensorLine("init", t));
        }
        for (OnnxValueInfo v : g.inputs()) {
            out.add(valueInfoLine("input", v));
        }
        for (OnnxValueInfo v : g.outputs()) {
            out.add(valueInfoLine("output", v));
        }
        for (OnnxValueInfo v : g.valueInfo()) {
            out.add(valueInfoLine("value_info", v));
        }
        for (OnnxNode n : g.nodes()) {
            out.add("node " + q(n.name()) + " " + q(n.opType()) + " " + q(n.domain()) + " in="
                    + list(n.inputs().stream().map(OnnxTestSupport::q).toList()) + " out="
                    + list(n.outputs().stream().map(OnnxTestSupport::q).toList()));
            for (OnnxAttribute a : n.attributes()) {
                String head = "attr " + q(a.name()) + " " + a.type().name();
                switch (a.type()) {
                    case FLOAT -> out.add(head + " f=" + fmt(a.f()));
                    case INT -> out.add(head + " i=" + a.i());
                    case STRING -> out.add(head + " s=" + q(a.s()));
                    case FLOATS -> {
                        List<String> v = new ArrayList<>();
                        for (float f : a.floats()) {
                            v.add(fmt(f));
                        }
                        out.add(head + " floats=" + list(v));
                    }
                    case INTS -> {
                        List<String> v = new ArrayList<>();
                        for (long i : a.ints()) {
                            v.add(Long.toString(i));
                        }
                        out.add(head + " ints=" + list(v));
                    }
                    case STRINGS -> out.add(head + " strings=" + list(a.strings().stream().map(OnnxTestSupport::q)
                            .toList()));
                    case TENSOR -> {
                        out.add(head);
                        out.add(tensorLine("tensor", a.t()));
                    }
                    case TENSORS -> {
                        out.add(head + " n=" + a.tensors().size());
                        for (OnnxTensor t : a.tensors()) {
                            out.add(tensorLine("tensor", t));
                        }
                    }
                    case GRAPH -> {
                        out.add(head);
                        describeGraph(a.g(), out);
                    }
                    case GRAPHS -> {
                        out.add(head + " n=" + a.graphs().size());
                        for (OnnxGraph sub : a.graphs()) {
                            describeGraph(sub, out);
                        }
                    }
                    case TYPE_PROTO, SPARSE_TENSOR -> out.add(head + " bytes=" + a.s().length);
                    case TYPE_PROTOS, SPARSE_TENSORS -> out.add(head + " bytes="
                            + list(a.strings().stream().map(b -> Integer.toString(b.length)).toList()));
                    default -> out.add(head + " ?");
                }
            }
        }
        out.add("endgraph");
    }

    private static String valueInfoLine(String kind, OnnxValueInfo v) {
        String head = kind + " " + q(v.name()) + " " + v.elemType().name();
        if (v.shape() == null) {
            return head + " *";
        }
        List<String> dims = new ArrayList<>();
        for (OnnxValueInfo.Dim d : v.shape()) {
            if (d.isFixed()) {
                dims.add(Long.toString(d.value()));
            } else if (d.param() != null) {
                dims.add("$" + q(d.param()));
            } else {
                dims.add("?");
            }
        }
        return head + " " + list(dims);
    }

    static String tensorLine(String kind, OnnxTensor t) {
        List<String> dims = new ArrayList<>();
        for (long d : t.dims()) {
            dims.add(Long.toString(d));
        }
        String head = kind + " " + q(t.name()) + " " + t.dataType().name() + " dims=" + list(dims) + " n=" + t.size();
        if (t.dataType() == OnnxDataType.STRING) {
            return head + " head=" + list(t.strings().stream().limit(6).map(OnnxTestSupport::q).toList());
        }
        double[] v = values(t);
        double sum = 0;
        double abs = 0;
        for (double x : v) {
            sum += x;
            abs += Math.abs(x);
        }
        List<String> first = new ArrayList<>();
        long[] longs = t.dataType().isIntegral() ? t.toLongs() : null;
        for (int i = 0; i < Math.min(6, v.length); i++) {
            if (longs == null) {
                first.add(fmt(v[i]));
            } else if (t.dataType() == OnnxDataType.UINT64) {
                first.add(Long.toUnsignedString(longs[i]));
            } else {
                first.add(Long.toString(longs[i]));
            }
        }
        return head + " sum=" + fmt(sum) + " abs=" + fmt(abs) + " head=" + list(first);
    }

    /** The values of a numeric tensor as doubles (exact for all but 64-bit integers). */
    static double[] values(OnnxTensor t) {
        int n = t.size();
        double[] out = new double[n];
        switch (t.dataType()) {
            case DOUBLE -> {
                ByteBuffer b = t.raw().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out[i] = b.getDouble(i * 8);
                }
            }
            case FLOAT, FLOAT16, BFLOAT16 -> {
                float[] f = t.toFloats();
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case UINT64 -> {
                long[] l = t.toLongs();
                for (int i = 0; i < n; i++) {
                    out[i] = l[i] >= 0 ? l[i] : ((l[i] >>> 1) | (l[i] & 1)) * 2.0;
                }
            }
            default -> {
                long[] l = t.toLongs();
                for (int i = 0; i < n; i++) {
                    out[i] = l[i];
                }
            }
        }
        return out;
    }

    static String fmt(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        return Double.toString(x);
    }

    private static String list(List<String> items) {
        return "[" + String.join(",", items) + "]";
    }

    static String q(String s) {
        return q(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-encoding as Python's urllib.parse.quote(bytes, safe=""), in double quotes. */
    static String q(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.append('"').toString();
    }

    // ---- comparing descriptions ---------------------------------------------------------------

    /** Compares description lines; numbers are compared numerically, sums with a tolerance. */
    static void assertDescriptionsMatch(List<String> expected, List<String> actual, String what) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            String problem = lineDifference(expected.get(i), actual.get(i));
            if (problem != null) {
                fail(what + ", line " + (i + 1) + ": " + problem + "\n  expected (onnx): " + expected.get(i)
                        + "\n  actual (netlens): " + actual.get(i));
            }
        }
        assertEquals(expected.size(), actual.size(), what + ": number of description lines");
    }

    private static String lineDifference(String e, String a) {
        if (e.equals(a)) {
            return null;
        }
        String[] et = e.split(" ");
        String[] at = a.split(" ");
        if (et.length != at.length) {
            return "different number of tokens";
        }
        double absScale = 0;
        for (String tok : et) {
            if (tok.startsWith("abs=")) {
                absScale = parse(tok.substring(4));
            }
        }
        for (int i = 0; i < et.length; i++) {
            if (et[i].equals(at[i])) {
                continue;
            }
            int eq = et[i].indexOf('=');
            String key = eq >= 0 ? et[i].substring(0, eq + 1) : "";
            if (!at[i].startsWith(key)) {
                return "token " + (i + 1) + " differs";
            }
            String ev = et[i].substring(key.length());
            String av = at[i].substring(key.length());
            String[] ee = ev.startsWith("[") && ev.endsWith("]") ? ev.substring(1, ev.length() - 1).split(",", -1)
                    : new String[] {ev};
            String[] ae = av.startsWith("[") && av.endsWith("]") ? av.substring(1, av.length() - 1).split(",", -1)
                    : new String[] {av};
            if (ee.length != ae.length) {
                return "token " + (i + 1) + " has a different number of elements";
            }
            for (int j = 0; j < ee.length; j++) {
                if (ee[j].equals(ae[j])) {
                    continue;
                }
                double x;
                double y;
                try {
                    x = parse(ee[j]);
                    y = parse(ae[j]);
                } catch (NumberFormatException ex) {
                    return "token " + (i + 1) + " differs";
                }
                if (Double.isNaN(x) && Double.isNaN(y)) {
                    continue;
                }
                double tol = key.equals("sum=") || key.equals("abs=")
                        ? 1e-7 * Math.max(absScale, 1e-300) + 1e-9
                        : 1e-12 * Math.max(Math.abs(x), Math.abs(y));
                if (!(Math.abs(x - y) <= tol) && x != y) {
                    return "token " + (i + 1) + " differs numerically: " + ee[j] + " vs " + ae[j];
                }
            }
        }
        return null;
    }

    private static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }
}
