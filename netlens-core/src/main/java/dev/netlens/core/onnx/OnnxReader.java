package dev.netlens.core.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads ONNX files ({@code ModelProto}) and standalone tensor files ({@code TensorProto}, the form
 * of ONNX's test vectors) into the records of this package.
 *
 * <p>The reader works at the protobuf wire level with protobuf-java's {@link CodedInputStream}; it
 * uses no generated classes. Its field table covers ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto (raw_data, every typed data field and external data),
 * ValueInfoProto/TypeProto/TensorShapeProto, OperatorSetIdProto and StringStringEntryProto.
 * Fields it does not know (training info, model-local functions, quantization annotations, newer
 * additions) are skipped. Tensor bytes in {@code raw_data} are not copied: tensors are read-only
 * views of the file's bytes.
 *
 * <p>What the records cannot hold is handled as follows:
 * <ul>
 *   <li>non-tensor value types (sequence, map, optional, sparse tensor) become a value info with
 *       element type {@link OnnxDataType#UNDEFINED} and a null shape;</li>
 *   <li>attributes of type SPARSE_TENSOR / TYPE_PROTO keep the serialised sub-message in
 *       {@link OnnxAttribute#s()}, SPARSE_TENSORS / TYPE_PROTOS in {@link OnnxAttribute#strings()},
 *       so that {@link OnnxWriter} writes them back unchanged;</li>
 *   <li>sparse initializers, segmented tensors and 4-bit tensors are rejected with a message.</li>
 * </ul>
 *
 * <p>Every problem with the input - a truncated or corrupt file, a file of another format, data
 * that does not match a tensor's declared type and shape, absurd sizes, subgraphs nested deeper
 * than {@value #MAX_GRAPH_DEPTH}, external data that is missing or outside the model's directory -
 * raises an {@link OnnxFormatException} whose message names the file, says what is wrong and where.
 * Sizes are checked against the bytes actually present before anything is allocated. Protobuf has
 * no end marker, so a file cut exactly between two top-level fields is caught only when what is lost
 * is required - the graph, or the opset imports of an IR version 3+ model; {@link OnnxWriter} writes
 * the graph last, so any cut of its files is caught.
 *
 * <pre>{@code
 * OnnxModel model = OnnxReader.read(Path.of("resnet18.onnx"));
 * OnnxTensor expected = OnnxReader.readTensor(Path.of("test_data_set_0/output_0.pb"));
 * }</pre>
 */
public final class OnnxReader {
    /** How deeply graphs may nest inside graph attributes (the main graph is depth 1). */
    public static final int MAX_GRAPH_DEPTH = 32;

    /** External tensors of at least this many bytes are memory-mapped rather than read. */
    static final int MAP_THRESHOLD = 64 << 20;

    private OnnxReader() {
    }

    /**
     * Reads an ONNX model file. External tensor data is resolved relative to the file's directory.
     *
     * @throws OnnxFormatException if the file cannot be read or is not a valid ONNX model
     */
    public static OnnxModel read(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] bytes = readFile(file, "an ONNX model");
        return read(bytes, file.toAbsolutePath().getParent(), file.toString());
    }

    /**
     * Reads an ONNX model from bytes. The returned tensors share {@code bytes} (no copy), so the
     * array must not be modified afterwards.
     *
     * @param bytes the serialised ModelProto
     * @param baseDirOrNull directory against which external data locations are resolved, or null
     *     when the model has no external data (a model that has some is then rejected)
     * @param sourceNameForMessages how error messages name the input, e.g. the file name
     * @throws OnnxFormatException if the bytes are not a valid ONNX model
     */
    public static OnnxModel read(byte[] bytes, Path baseDirOrNull, String sourceNameForMessages) {
        Objects.requireNonNull(bytes, "bytes");
        String source = sourceNameForMessages == null ? "<bytes>" : sourceNameForMessages;
        return new Wire(bytes, baseDirOrNull, source).model();
    }

    /**
     * Reads a file holding one serialised TensorProto (the format of ONNX test vectors such as
     * {@code test_data_set_0/input_0.pb}).
     *
     * @throws OnnxFormatException if the file cannot be read or is not a valid TensorProto
     */
    public static OnnxTensor readTensor(Path pbFile) {
        Objects.requireNonNull(pbFile, "pbFile");
        byte[] bytes = readFile(pbFile, "an ONNX tensor");
        return new Wire(bytes, pbFile.toAbsolutePath().getParent(), pbFile.toString()).tensorFile();
    }

    /**
     * Reads one serialised TensorProto from bytes (shared, not copied).
     *
     * @throws OnnxFormatException if the bytes are not a valid TensorProto
     */
    public static OnnxTensor readTensor(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new Wire(bytes, null, "<tensor bytes>").tensorFile();
    }

    private static byte[] readFile(Path file, String what) {
        try {
            if (Files.isDirectory(file)) {
                throw new OnnxFormatException(file + ": is a directory, not " + what + " file");
            }
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new OnnxFormatException(file + ": is " + size + " bytes; a protobuf file cannot exceed 2 GB,"
                        + " so large ONNX models keep their tensors in external data files (save the model with"
                        + " external data)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OnnxFormatException(file + ": file not found", e);
        } catch (AccessDeniedException e) {
            throw new OnnxFormatException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new OnnxFormatException(file + ": cannot be read: " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Wire-level parser. Field numbers and wire types are public facts of the ONNX format.

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;
    private static final int FIXED32 = 5;

    /** One instance per input; not thread-safe. */
    private static final class Wire {
        private final byte[] bytes;
        private final CodedInputStream in;
        private final Path baseDir;
        private final String source;
        private final List<Frame> frames = new ArrayList<>();
        private int graphDepth;

        Wire(byte[] bytes, Path baseDir, String source) {
            this.bytes = bytes;
            this.baseDir = baseDir;
            this.source = source;
            this.in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
        }

        // ---- entry points -----------------------------------------------------------------

        OnnxModel model() {
            if (bytes.length == 0) {
                throw new OnnxFormatException(source + ": empty file (0 bytes), not an ONNX model");
            }
            if (!firstTagFits(true)) {
                throw new OnnxFormatException(source + ": not an ONNX model (" + describeContent() + ")");
            }
            OnnxModel model;
            try {
                model = run(this::parseModel);
            } catch (OnnxFormatException e) {
                String kind = sniff(bytes);
                if (kind != null) {
                    throw new OnnxFormatException(source + ": not an ONNX model (it looks like " + kind + ")", e);
                }
                throw e;
            }
            if (model.graph() == null) {
                if (model.irVersion() == 0 && model.opsets().isEmpty()) {
                    throw new OnnxFormatException(source + ": not an ONNX model (" + describeContent()
                            + "; no ir_version, opset_import or graph found)");
                }
                throw new OnnxFormatException(source + ": the ONNX model has no graph (truncated file?)");
            }
            if (model.irVersion() >= 3 && model.opsets().isEmpty()) {
                throw new OnnxFormatException(source + ": the model declares IR version " + model.irVersion()
                        + " but imports no operator set (opset_import is empty; truncated file?)");
            }
            return model;
        }

        OnnxTensor tensorFile() {
            if (bytes.length == 0) {
                throw new OnnxFormatException(source + ": empty file (0 bytes), not an ONNX TensorProto");
            }
            if (!firstTagFits(false)) {
                throw new OnnxFormatException(source + ": not an ONNX TensorProto file (" + describeContent() + ")");
            }
            try {
                return run(() -> parseTensor("tensor", -1, true));
            } catch (OnnxFormatException e) {
                String kind = sniff(bytes);
                if (kind != null) {
                    throw new OnnxFormatException(source + ": not an ONNX TensorProto file (it looks like "
                            + kind + ")", e);
                }
                throw e;
            }
        }

        private interface Body<T> {
            T parse() throws IOException;
        }

        private <T> T run(Body<T> body) {
            try {
                in.pushLimit(bytes.length);
                T result = body.parse();
                if (!frames.isEmpty()) {
                    throw new IllegalStateException("unbalanced parser frames");
                }
                return result;
            } catch (InvalidProtocolBufferException e) {
                throw fail(translate(e), e);
            } catch (IOException e) {
                throw fail("cannot be parsed: " + e.getMessage(), e);
            }
        }

        /** Whether the first field of the input is one the expected message has, with its wire type. */
        private boolean firstTagFits(boolean model) {
            CodedInputStream peek = CodedInputStream.newInstance(bytes);
            int tag;
            try {
                tag = peek.readTag();
            } catch (IOException e) {
                return false;
            }
            int field = tag >>> 3;
            int wt = tag & 7;
            if (model) {
                return switch (field) {
                    case 1, 5 -> wt == VARINT;
                    case 2, 3, 4, 6, 7, 8, 14, 20, 25 -> wt == LEN;
                    default -> false;
                };
            }
            return switch (field) {
                case 1, 5, 7, 11 -> wt == VARINT || wt == LEN;
                case 2, 14 -> wt == VARINT;
                case 3, 6, 8, 9, 12, 13 -> wt == LEN;
                case 4 -> wt == FIXED32 || wt == LEN;
                case 10 -> wt == FIXED64 || wt == LEN;
                default -> false;
            };
        }

        private String describeContent() {
            String kind = sniff(bytes);
            if (kind != null) {
                return "it looks like " + kind;
            }
            StringBuilder sb = new StringBuilder("it starts with bytes");
            for (int i = 0; i < Math.min(8, bytes.length); i++) {
                sb.append(' ').append(String.format("%02X", bytes[i] & 0xff));
            }
            return sb.toString();
        }

        // ---- ModelProto ------------------------------------------------------------------

        private OnnxModel parseModel() throws IOException {
            long irVersion = 0;
            long modelVersion = 0;
            String producerName = "";
            String producerVersion = "";
            String domain = "";
            String doc = "";
            OnnxGraph graph = null;
            List<OnnxOpset> opsets = new ArrayList<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> irVersion = int64(tag, "ir_version");
                    case 2 -> producerName = string(tag, "producer_name");
                    case 3 -> producerVersion = string(tag, "producer_version");
                    case 4 -> domain = string(tag, "domain");
                    case 5 -> modelVersion = int64(tag, "model_version");
                    case 6 -> doc = string(tag, "doc_string");
                    case 7 -> {
                        expect(tag, LEN, "graph");
                        graph = parseGraph("graph", -1);
                    }
                    case 8 -> opsets.add(parseOpset(tag, opsets.size()));
                    case 14 -> {
                        String[] kv = parseStringEntry(tag, "metadata_props");
                        metadata.put(kv[0], kv[1]);
                    }
                    default -> skip(tag);
                }
            }
            return new OnnxModel(irVersion, List.copyOf(opsets), producerName, producerVersion, domain, modelVersion,
                    doc, graph, Collections.unmodifiableMap(metadata));
        }

        private OnnxOpset parseOpset(int tag0, int index) throws IOException {
            expect(tag0, LEN, "opset_import");
            Frame f = push("opset_import", index);
            int old = beginMessage("opset_import");
            String domain = "";
            long version = 0;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> domain = f.name = string(tag, "domain");
                    case 2 -> version = int64(tag, "version");
                    default -> skip(tag);
                }
            }
            end(old);
            pop(f);
            return new OnnxOpset(domain, version);
        }

        private String[] parseStringEntry(int tag, String field) throws IOException {
            expect(tag, LEN, field);
            int old = beginMessage(field);
            String key = "";
            String value = "";
            while (!in.isAtEnd()) {
                int t = in.readTag();
                switch (t >>> 3) {
                    case 1 -> key = string(t, field + ".key");
                    case 2 -> value = string(t, field + ".value");
                    default -> skip(t);
                }
            }
            end(old);
            return new String[] {key, value};
        }

        // ---- GraphProto ------------------------------------------------------------------

        /** Parses a length-delimited GraphProto whose tag has been read and checked. */
        private OnnxGraph parseGraph(String label, int index) throws IOException {
            Frame f = push(label, index);
            graphDepth++;
            if (graphDepth > MAX_GRAPH_DEPTH) {
                throw fail("subgraphs are nested more than " + MAX_GRAPH_DEPTH + " deep");
            }
            int old = beginMessage(label);
            String name = "";
            String doc = "";
            List<OnnxNode> nodes = new ArrayList<>();
            List<OnnxTensor> initializers = new ArrayList<>();
            List<OnnxValueInfo> inputs = new ArrayList<>();
            List<OnnxValueInfo> outputs = new ArrayList<>();
            List<OnnxValueInfo> valueInfo = new ArrayList<>();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> {
                        expect(tag, LEN, "node");
                        nodes.add(parseNode(nodes.size()));
                    }
                    case 2 -> name = f.name = string(tag, "name");
                    case 5 -> {
                        expect(tag, LEN, "initializer");
                        initializers.add(parseTensor("initializer", initializers.size(), false));
                    }
                    case 10 -> doc = string(tag, "doc_string");
                    case 11 -> inputs.add(parseValueInfo(tag, "input", inputs.size()));
                    case 12 -> outputs.add(parseValueInfo(tag, "output", outputs.size()));
                    case 13 -> valueInfo.add(parseValueInfo(tag, "value_info", valueInfo.size()));
                    case 15 -> throw fail("the graph has a sparse initializer, which netlens does not support;"
                            + " store it as a dense initializer (e.g. with onnx.numpy_helper)");
                    default -> skip(tag);
                }
            }
            end(old);
            graphDepth--;
            pop(f);
            return new OnnxGraph(name, List.copyOf(nodes), List.copyOf(initializers), List.copyOf(inputs),
                    List.copyOf(outputs), List.copyOf(valueInfo), doc);
        }

        // ---- NodeProto -------------------------------------------------------------------

        private OnnxNode parseNode(int index) throws IOException {
            Frame f = push("node", index);
            int old = beginMessage("node");
            String name = "";
            String opType = "";
            String domain = "";
            String doc = "";
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            List<OnnxAttribute> attributes = new ArrayList<>();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> inputs.add(string(tag, "input"));
                    case 2 -> outputs.add(string(tag, "output"));
                    case 3 -> name = f.name = string(tag, "name");
                    case 4 -> opType = f.op = string(tag, "op_type");
                    case 5 -> {
                        expect(tag, LEN, "attribute");
                        attributes.add(parseAttribute(attributes.size()));
                    }
                    case 6 -> doc = string(tag, "doc_string");
                    case 7 -> domain = string(tag, "domain");
                    default -> skip(tag);
                }
            }
            end(old);
            pop(f);
            return new OnnxNode(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs),
                    List.copyOf(attributes), doc);
        }

        // ---- AttributeProto --------------------------------------------------------------

        private OnnxAttribute parseAttribute(int index) throws IOException {
            Frame f = push("attribute", index);
            int old = beginMessage("attribute");
            String name = "";
            int typeCode = 0;
            boolean hasF = false;
            boolean hasI = false;
            float fv = 0;
            long iv = 0;
            byte[] s = null;
            OnnxTensor t = null;
            OnnxGraph g = null;
            byte[] sparse = null;
            byte[] tp = null;
            FloatList floats = new FloatList();
            LongList ints = new LongList();
            List<byte[]> strings = new ArrayList<>();
            List<OnnxTensor> tensors = new ArrayList<>();
            List<OnnxGraph> graphs = new ArrayList<>();
            List<byte[]> sparseList = new ArrayList<>();
            List<byte[]> tpList = new ArrayList<>();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> name = f.name = string(tag, "name");
                    case 2 -> {
                        expect(tag, FIXED32, "f");
                        fv = in.readFloat();
                        hasF = true;
                    }
                    case 3 -> {
                        iv = int64(tag, "i");
                        hasI = true;
                    }
                    case 4 -> s = bytesField(tag, "s");
                    case 5 -> {
                        expect(tag, LEN, "t");
                        t = parseTensor("tensor", -1, false);
                    }
                    case 6 -> {
                        expect(tag, LEN, "g");
                        g = parseGraph("graph", -1);
                    }
                    case 7 -> readFloats(tag, "floats", floats);
                    case 8 -> readVarints(tag, "ints", ints);
                    case 9 -> strings.add(bytesField(tag, "strings"));
                    case 10 -> {
                        expect(tag, LEN, "tensors");
                        tensors.add(parseTensor("tensors", tensors.size(), false));
                    }
                    case 11 -> {
                        expect(tag, LEN, "graphs");
                        graphs.add(parseGraph("graph", graphs.size()));
                    }
                    case 14 -> tp = bytesField(tag, "tp");
                    case 15 -> tpList.add(bytesField(tag, "type_protos"));
                    case 20 -> typeCode = (int) int64(tag, "type");
                    case 22 -> sparse = bytesField(tag, "sparse_tensor");
                    case 23 -> sparseList.add(bytesField(tag, "sparse_tensors"));
                    default -> skip(tag);
                }
            }
            end(old);
            OnnxAttribute.Type type = OnnxAttribute.Type.of(typeCode);
            if (type == OnnxAttribute.Type.UNDEFINED && typeCode != 0) {
                throw fail("unknown attribute type code " + typeCode);
            }
            if (type == OnnxAttribute.Type.UNDEFINED) {
                // Very old files omit the type; ONNX infers it from the field that is set.
                if (t != null) {
                    type = OnnxAttribute.Type.TENSOR;
                } else if (g != null) {
                    type = OnnxAttribute.Type.GRAPH;
                } else if (s != null) {
                    type = OnnxAttribute.Type.STRING;
                } else if (hasF) {
                    type = OnnxAttribute.Type.FLOAT;
                } else if (hasI) {
                    type = OnnxAttribute.Type.INT;
                } else if (floats.size > 0) {
                    type = OnnxAttribute.Type.FLOATS;
                } else if (ints.size > 0) {
                    type = OnnxAttribute.Type.INTS;
                } else if (!strings.isEmpty()) {
                    type = OnnxAttribute.Type.STRINGS;
                } else if (!tensors.isEmpty()) {
                    type = OnnxAttribute.Type.TENSORS;
                } else if (!graphs.isEmpty()) {
                    type = OnnxAttribute.Type.GRAPHS;
                } else {
                    throw fail("attribute " + q(name) + " has neither a type nor a value");
                }
            }
            OnnxAttribute a = switch (type) {
                case FLOAT -> new OnnxAttribute(name, type, fv, 0, null, null, null, null, null, null, null, null);
                case INT -> new OnnxAttribute(name, type, 0, iv, null, null, null, null, null, null, null, null);
                case STRING -> new OnnxAttribute(name, type, 0, 0, s == null ? new byte[0] : s, null, null, null, null,
                        null, null, null);
                case TENSOR -> new OnnxAttribute(name, type, 0, 0, null, required(t, name, "t"), null, null, null,
                        null, null, null);
                case GRAPH -> new OnnxAttribute(name, type, 0, 0, null, null, required(g, name, "g"), null, null,
                        null, null, null);
                case FLOATS -> new OnnxAttribute(name, type, 0, 0, null, null, null, floats.toArray(), null, null,
                        null, null);
                case INTS -> new OnnxAttribute(name, type, 0, 0, null, null, null, null, ints.toArray(), null, null,
                        null);
                case STRINGS -> new OnnxAttribute(name, type, 0, 0, null, null, null, null, null,
                        List.copyOf(strings), null, null);
                case TENSORS -> new OnnxAttribute(name, type, 0, 0, null, null, null, null, null, null,
                        List.copyOf(tensors), null);
                case GRAPHS -> new OnnxAttribute(name, type, 0, 0, null, null, null, null, null, null, null,
                        List.copyOf(graphs));
                case SPARSE_TENSOR -> new OnnxAttribute(name, type, 0, 0, required(sparse, name, "sparse_tensor"),
                        null, null, null, null, null, null, null);
                case TYPE_PROTO -> new OnnxAttribute(name, type, 0, 0, required(tp, name, "tp"), null, null, null,
                        null, null, null, null);
                case SPARSE_TENSORS -> new OnnxAttribute(name, type, 0, 0, null, null, null, null, null,
                        List.copyOf(sparseList), null, null);
                case TYPE_PROTOS -> new OnnxAttribute(name, type, 0, 0, null, null, null, null, null,
                        List.copyOf(tpList), null, null);
                case UNDEFINED -> throw new IllegalStateException("unreachable");
            };
            pop(f);
            return a;
        }

        private <T> T required(T value, String attribute, String field) {
            if (value == null) {
                throw fail("attribute " + q(attribute) + " has no value (field " + field + " is missing)");
            }
            return value;
        }

        // ---- ValueInfoProto / TypeProto --------------------------------------------------

        private OnnxValueInfo parseValueInfo(int tag, String label, int index) throws IOException {
            expect(tag, LEN, label);
            Frame f = push(label, index);
            int old = beginMessage(label);
            String name = "";
            String doc = "";
            OnnxDataType elem = OnnxDataType.UNDEFINED;
            List<OnnxValueInfo.Dim> shape = null;
            while (!in.isAtEnd()) {
                int t = in.readTag();
                switch (t >>> 3) {
                    case 1 -> name = f.name = string(t, "name");
                    case 2 -> {
                        expect(t, LEN, "type");
                        TypeInfo info = parseType();
                        elem = info.elem;
                        shape = info.shape;
                    }
                    case 3 -> doc = string(t, "doc_string");
                    default -> skip(t);
                }
            }
            end(old);
            pop(f);
            return new OnnxValueInfo(name, elem, shape, doc);
        }

        private record TypeInfo(OnnxDataType elem, List<OnnxValueInfo.Dim> shape) {
        }

        private TypeInfo parseType() throws IOException {
            int old = beginMessage("type");
            TypeInfo info = new TypeInfo(OnnxDataType.UNDEFINED, null);
            while (!in.isAtEnd()) {
                int t = in.readTag();
                if (t >>> 3 == 1) {
                    expect(t, LEN, "tensor_type");
                    info = parseTensorType();
                } else {
                    // sequence, map, optional, sparse tensor, opaque types and denotation: not tensors.
                    if (t >>> 3 != 6) {
                        info = new TypeInfo(OnnxDataType.UNDEFINED, null);
                    }
                    skip(t);
                }
            }
            end(old);
            return info;
        }

        private TypeInfo parseTensorType() throws IOException {
            int old = beginMessage("tensor_type");
            OnnxDataType elem = OnnxDataType.UNDEFINED;
            List<OnnxValueInfo.Dim> shape = null;
            while (!in.isAtEnd()) {
                int t = in.readTag();
                switch (t >>> 3) {
                    case 1 -> elem = OnnxDataType.of((int) int64(t, "elem_type"));
                    case 2 -> {
                        expect(t, LEN, "shape");
                        shape = parseShape();
                    }
                    default -> skip(t);
                }
            }
            end(old);
            return new TypeInfo(elem, shape);
        }

        private List<OnnxValueInfo.Dim> parseShape() throws IOException {
            int old = beginMessage("shape");
            List<OnnxValueInfo.Dim> dims = new ArrayList<>();
            while (!in.isAtEnd()) {
                int t = in.readTag();
                if (t >>> 3 == 1) {
                    expect(t, LEN, "dim");
                    int o = beginMessage("dim");
                    long value = -1;
                    String param = null;
                    while (!in.isAtEnd()) {
                        int u = in.readTag();
                        switch (u >>> 3) {
                            case 1 -> {
                                value = int64(u, "dim_value");
                                param = null;
                            }
                            case 2 -> {
                                param = string(u, "dim_param");
                                value = -1;
                            }
                            default -> skip(u);
                        }
                    }
                    end(o);
                    dims.add(new OnnxValueInfo.Dim(value < 0 ? -1 : value, param));
                } else {
                    skip(t);
                }
            }
            end(old);
            return List.copyOf(dims);
        }

        // ---- TensorProto -----------------------------------------------------------------

        /**
         * Parses a TensorProto: length-delimited (tag already read) when a frame encloses it,
         * or the whole input for a standalone tensor file.
         */
        private OnnxTensor parseTensor(String label, int index, boolean standalone) throws IOException {
            Frame f = push(label, index);
            int old = standalone ? -1 : beginMessage(label);
            LongList dims = new LongList();
            int dataType = 0;
            String name = "";
            ByteBuffer raw = null;
            FloatList floatData = new FloatList();
            LongList int32Data = new LongList();
            List<byte[]> stringData = new ArrayList<>();
            LongList int64Data = new LongList();
            DoubleList doubleData = new DoubleList();
            LongList uint64Data = new LongList();
            List<String[]> external = new ArrayList<>();
            int location = 0;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> readVarints(tag, "dims", dims);
                    case 2 -> dataType = (int) int64(tag, "data_type");
                    case 3 -> throw fail("segmented tensors (TensorProto.segment) are not supported");
                    case 4 -> readFloats(tag, "float_data", floatData);
                    case 5 -> readVarints(tag, "int32_data", int32Data);
                    case 6 -> stringData.add(bytesField(tag, "string_data"));
                    case 7 -> readVarints(tag, "int64_data", int64Data);
                    case 8 -> name = f.name = string(tag, "name");
                    case 9 -> {
                        expect(tag, LEN, "raw_data");
                        try {
                            raw = in.readByteBuffer();
                        } catch (InvalidProtocolBufferException e) {
                            throw fail("raw_data runs past the end of the data (truncated file?)", e);
                        }
                    }
                    case 10 -> readDoubles(tag, "double_data", doubleData);
                    case 11 -> readVarints(tag, "uint64_data", uint64Data);
                    case 13 -> external.add(parseStringEntry(tag, "external_data"));
                    case 14 -> location = (int) int64(tag, "data_location");
                    default -> skip(tag);
                }
            }
            if (!standalone) {
                end(old);
            }
            OnnxTensor t = buildTensor(name, dims.toArray(), dataType, raw, floatData, int32Data, stringData,
                    int64Data, doubleData, uint64Data, external, location);
            pop(f);
            return t;
        }

        private OnnxTensor buildTensor(String name, long[] dims, int code, ByteBuffer raw, FloatList floatData,
                                       LongList int32Data, List<byte[]> stringData, LongList int64Data,
                                       DoubleList doubleData, LongList uint64Data, List<String[]> external,
                                       int location) {
            OnnxDataType type = OnnxDataType.of(code);
            if (type == OnnxDataType.UNDEFINED) {
                throw fail(code == 0 ? "tensor " + q(name) + " has no data type (data_type is UNDEFINED or missing)"
                        : "tensor " + q(name) + " has unknown data type code " + code);
            }
            if (type != OnnxDataType.STRING && type.bytesPerElement() == 0) {
                throw fail("tensor " + q(name) + " has element type " + type + ", which netlens does not support");
            }
            long count = checkedCount(name, dims);
            String desc = "tensor " + q(name) + " of type " + type + " and shape " + dimsString(dims);
            if (type == OnnxDataType.STRING) {
                if (raw != null || location == 1) {
                    throw fail(desc + " stores strings in raw_data or external data; ONNX stores them in string_data");
                }
                if (stringData.size() != count) {
                    throw fail(desc + " needs " + count + " strings in string_data, found " + stringData.size());
                }
                return make(() -> OnnxTensor.ofStrings(name, dims, stringData));
            }
            long byteLength = count * type.bytesPerElement();
            if (byteLength > Integer.MAX_VALUE - 16) {
                throw fail(desc + " needs " + byteLength + " bytes; netlens holds at most 2 GB per tensor");
            }
            int n = (int) byteLength;
            ByteBuffer data;
            if (location == 1) {
                data = readExternal(desc, name, external, n);
            } else if (raw != null) {
                if (raw.remaining() != n) {
                    throw fail(desc + " needs " + n + " bytes of raw_data, found " + raw.remaining());
                }
                data = raw;
            } else {
                data = typedData(desc, type, (int) count, n, floatData, int32Data, stringData, int64Data,
                        doubleData, uint64Data);
            }
            ByteBuffer d = data;
            return make(() -> OnnxTensor.ofRaw(name, dims, type, d));
        }

        private ByteBuffer typedData(String desc, OnnxDataType type, int count, int n, FloatList floatData,
                                     LongList int32Data, List<byte[]> stringData, LongList int64Data,
                                     DoubleList doubleData, LongList uint64Data) {
            String field;
            int have;
            long need = count;
            switch (type) {
                case FLOAT, COMPLEX64 -> {
                    field = "float_data";
                    have = floatData.size;
                    need = type == OnnxDataType.COMPLEX64 ? 2L * count : count;
                }
                case DOUBLE, COMPLEX128 -> {
                    field = "double_data";
                    have = doubleData.size;
                    need = type == OnnxDataType.COMPLEX128 ? 2L * count : count;
                }
                case INT64 -> {
                    field = "int64_data";
                    have = int64Data.size;
                }
                case UINT32, UINT64 -> {
                    field = "uint64_data";
                    have = uint64Data.size;
                }
                default -> {
                    field = "int32_data";
                    have = int32Data.size;
                }
            }
            if (have != need) {
                String other = otherField(field, floatData, int32Data, stringData, int64Data, doubleData, uint64Data);
                if (have == 0 && other != null) {
                    throw fail(desc + " stores its values in " + other + "; ONNX stores " + type
                            + " values in raw_data or " + field);
                }
                throw fail(desc + " needs " + need + " values in " + field + " (or " + n
                        + " bytes of raw_data), found " + have);
            }
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            switch (type) {
                case FLOAT, COMPLEX64 -> {
                    for (int i = 0; i < have; i++) {
                        b.putFloat(floatData.values[i]);
                    }
                }
                case DOUBLE, COMPLEX128 -> {
                    for (int i = 0; i < have; i++) {
                        b.putDouble(doubleData.values[i]);
                    }
                }
                case INT64 -> {
                    for (int i = 0; i < have; i++) {
                        b.putLong(int64Data.values[i]);
                    }
                }
                case UINT64 -> {
                    for (int i = 0; i < have; i++) {
                        b.putLong(uint64Data.values[i]);
                    }
                }
                case UINT32 -> {
                    for (int i = 0; i < have; i++) {
                        b.putInt((int) uint64Data.values[i]);
                    }
                }
                case INT32 -> {
                    for (int i = 0; i < have; i++) {
                        b.putInt((int) int32Data.values[i]);
                    }
                }
                default -> {
                    int size = type.bytesPerElement();
                    for (int i = 0; i < have; i++) {
                        long v = int32Data.values[i];
                        if (size == 1) {
                            b.put((byte) v);
                        } else {
                            b.putShort((short) v);
                        }
                    }
                }
            }
            b.flip();
            return b;
        }

        private static String otherField(String expected, FloatList floatData, LongList int32Data,
                                         List<byte[]> stringData, LongList int64Data, DoubleList doubleData,
                                         LongList uint64Data) {
            if (floatData.size > 0 && !expected.equals("float_data")) {
                return "float_data";
            }
            if (int32Data.size > 0 && !expected.equals("int32_data")) {
                return "int32_data";
            }
            if (!stringData.isEmpty()) {
                return "string_data";
            }
            if (int64Data.size > 0 && !expected.equals("int64_data")) {
                return "int64_data";
            }
            if (doubleData.size > 0 && !expected.equals("double_data")) {
                return "double_data";
            }
            if (uint64Data.size > 0 && !expected.equals("uint64_data")) {
                return "uint64_data";
            }
            return null;
        }

        private interface Maker {
            OnnxTensor make();
        }

        private OnnxTensor make(Maker maker) {
            try {
                return maker.make();
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage(), e);
            }
        }

        /** Element count with the same rules as {@link OnnxTensor#elementCount}, failing as a format error. */
        private long checkedCount(String name, long[] dims) {
            long n = 1;
            for (long d : dims) {
                if (d < 0) {
                    throw fail("tensor " + q(name) + " has a negative dimension in " + dimsString(dims));
                }
                if (d == 0) {
                    n = 0;
                } else if (n != 0) {
                    if (d > Integer.MAX_VALUE / n) {
                        throw fail("tensor " + q(name) + " declares shape " + dimsString(dims)
                                + ", more than 2^31-1 elements (corrupt file?)");
                    }
                    n *= d;
                }
            }
            return n;
        }

        // ---- external data ---------------------------------------------------------------

        private ByteBuffer readExternal(String desc, String name, List<String[]> entries, int n) {
            String location = null;
            long offset = 0;
            long length = -1;
            for (String[] kv : entries) {
                switch (kv[0]) {
                    case "location" -> location = kv[1];
                    case "offset" -> offset = parseNonNegative(desc, "offset", kv[1]);
                    case "length" -> length = parseNonNegative(desc, "length", kv[1]);
                    default -> {
                        // "checksum" and future keys are not needed to read the data.
                    }
                }
            }
            if (location == null || location.isEmpty()) {
                throw fail(desc + " has data_location EXTERNAL but no 'location' entry in external_data");
            }
            if (baseDir == null) {
                throw fail(desc + " keeps its data in the external file " + q(location) + ", but the model was"
                        + " given as bytes without a base directory; read it with OnnxReader.read(Path)");
            }
            Path rel;
            try {
                rel = Path.of(location);
            } catch (InvalidPathException e) {
                throw fail(desc + ": external data location " + q(location) + " is not a valid path", e);
            }
            if (rel.isAbsolute() || rel.getRoot() != null) {
                throw fail(desc + ": external data location " + q(location) + " is an absolute path; ONNX requires"
                        + " a path relative to the model's directory");
            }
            Path base = baseDir.toAbsolutePath().normalize();
            Path file = base.resolve(rel).normalize();
            if (!file.startsWith(base) || file.equals(base)) {
                throw fail(desc + ": external data location " + q(location) + " points outside the model's"
                        + " directory " + base);
            }
            if (!Files.isRegularFile(file)) {
                throw fail(desc + ": external data file " + q(location) + " not found (looked for " + file + ")");
            }
            if (length >= 0 && length != n) {
                throw fail(desc + " needs " + n + " bytes, but its external data entry says length " + length);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (offset > size || size - offset < n) {
                    throw fail(desc + " needs bytes " + offset + ".." + (offset + n) + " of external data file '"
                            + location + "', which has only " + size + " bytes");
                }
                if (n >= MAP_THRESHOLD) {
                    return ch.map(FileChannel.MapMode.READ_ONLY, offset, n).order(ByteOrder.LITTLE_ENDIAN);
                }
                ByteBuffer b = ByteBuffer.allocate(n);
                long pos = offset;
                while (b.hasRemaining()) {
                    int r = ch.read(b, pos);
                    if (r < 0) {
                        throw fail(desc + ": external data file " + q(location) + " ended early");
                    }
                    pos += r;
                }
                b.flip();
                return b;
            } catch (IOException e) {
                throw fail(desc + ": cannot read external data file " + q(location) + ": " + e, e);
            }
        }

        private long parseNonNegative(String desc, String key, String value) {
            try {
                long v = Long.parseLong(value.trim());
                if (v >= 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw fail(desc + ": external_data '" + key + "' is '" + value + "', not a non-negative integer");
        }

        // ---- wire primitives -------------------------------------------------------------

        private void expect(int tag, int wireType, String field) {
            if ((tag & 7) != wireType) {
                throw fail("field " + field + " (number " + (tag >>> 3) + ") has wire type " + (tag & 7)
                        + " where ONNX uses " + wireType + " (corrupt file?)");
            }
        }

        private int readLength(String field) throws IOException {
            int len = in.readRawVarint32();
            if (len < 0) {
                throw fail("field " + field + " has a negative length (corrupt file?)");
            }
            int remaining = in.getBytesUntilLimit();
            if (len > remaining) {
                boolean top = remaining == bytes.length - in.getTotalBytesRead();
                throw fail("truncated or corrupt data: field " + field + " claims " + len + " bytes but only "
                        + remaining + " remain in " + (top ? "the file" : "the enclosing message"));
            }
            return len;
        }

        private int beginMessage(String field) throws IOException {
            return in.pushLimit(readLength(field));
        }

        private void end(int oldLimit) {
            in.popLimit(oldLimit);
        }

        private long int64(int tag, String field) throws IOException {
            expect(tag, VARINT, field);
            return in.readInt64();
        }

        private String string(int tag, String field) throws IOException {
            expect(tag, LEN, field);
            int len = readLength(field);
            if (len == 0) {
                return "";
            }
            int pos = in.getTotalBytesRead();
            String s = new String(bytes, pos, len, StandardCharsets.UTF_8);
            in.skipRawBytes(len);
            return s;
        }

        private byte[] bytesField(int tag, String field) throws IOException {
            expect(tag, LEN, field);
            int len = readLength(field);
            int pos = in.getTotalBytesRead();
            byte[] b = Arrays.copyOfRange(bytes, pos, pos + len);
            in.skipRawBytes(len);
            return b;
        }

        private void readVarints(int tag, String field, LongList out) throws IOException {
            if ((tag & 7) == VARINT) {
                out.add(in.readInt64());
                return;
            }
            expect(tag, LEN, field);
            int old = beginMessage(field);
            while (!in.isAtEnd()) {
                out.add(in.readInt64());
            }
            end(old);
        }

        private void readFloats(int tag, String field, FloatList out) throws IOException {
            if ((tag & 7) == FIXED32) {
                out.add(in.readFloat());
                return;
            }
            expect(tag, LEN, field);
            int len = readLength(field);
            if (len % 4 != 0) {
                throw fail("packed field " + field + " has " + len + " bytes, not a multiple of 4 (corrupt file?)");
            }
            out.reserve(len / 4);
            for (int i = 0; i < len / 4; i++) {
                out.add(in.readFloat());
            }
        }

        private void readDoubles(int tag, String field, DoubleList out) throws IOException {
            if ((tag & 7) == FIXED64) {
                out.add(in.readDouble());
                return;
            }
            expect(tag, LEN, field);
            int len = readLength(field);
            if (len % 8 != 0) {
                throw fail("packed field " + field + " has " + len + " bytes, not a multiple of 8 (corrupt file?)");
            }
            out.reserve(len / 8);
            for (int i = 0; i < len / 8; i++) {
                out.add(in.readDouble());
            }
        }

        /** Skips an unknown field. Groups (wire types 3 and 4) are not used by ONNX and are rejected. */
        private void skip(int tag) throws IOException {
            switch (tag & 7) {
                case VARINT -> in.readRawVarint64();
                case FIXED64 -> in.skipRawBytes(8);
                case LEN -> in.skipRawBytes(readLength("number " + (tag >>> 3)));
                case FIXED32 -> in.skipRawBytes(4);
                case 3, 4 -> throw fail("field number " + (tag >>> 3) + " uses the protobuf group encoding"
                        + " (wire type " + (tag & 7) + "), which ONNX never uses (corrupt file?)");
                default -> throw fail("invalid protobuf wire type " + (tag & 7) + " for field number "
                        + (tag >>> 3) + " (corrupt file?)");
            }
        }

        // ---- context and messages ----------------------------------------------------------

        private static final class Frame {
            final String kind;
            final int index;
            String name;
            String op;

            Frame(String kind, int index) {
                this.kind = kind;
                this.index = index;
            }

            @Override
            public String toString() {
                StringBuilder sb = new StringBuilder(kind);
                if (index >= 0) {
                    sb.append(" #").append(index);
                }
                if (name != null && !name.isEmpty()) {
                    sb.append(' ').append(q(name));
                }
                if (op != null && !op.isEmpty()) {
                    sb.append(" (").append(abbreviate(op)).append(')');
                }
                return sb.toString();
            }
        }

        private Frame push(String kind, int index) {
            Frame f = new Frame(kind, index);
            frames.add(f);
            return f;
        }

        private void pop(Frame f) {
            Frame last = frames.remove(frames.size() - 1);
            if (last != f) {
                throw new IllegalStateException("parser frames out of order");
            }
        }

        private OnnxFormatException fail(String problem) {
            return fail(problem, null);
        }

        private OnnxFormatException fail(String problem, Throwable cause) {
            StringBuilder sb = new StringBuilder(source).append(": ").append(problem);
            sb.append(" (at byte ").append(in.getTotalBytesRead());
            if (!frames.isEmpty()) {
                sb.append(", in ");
                for (int i = 0; i < frames.size(); i++) {
                    if (i > 0) {
                        sb.append(" > ");
                    }
                    sb.append(frames.get(i));
                }
            }
            sb.append(')');
            return new OnnxFormatException(printable(sb), cause);
        }

        private static String translate(InvalidProtocolBufferException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("ended unexpectedly") || m.contains("truncated")) {
                return "truncated or corrupt data: a field runs past the end of the file or of its enclosing message";
            }
            if (m.contains("malformed varint")) {
                return "malformed varint (corrupt file?)";
            }
            if (m.contains("negative size")) {
                return "a field has a negative length (corrupt file?)";
            }
            if (m.contains("invalid tag") || m.contains("zero")) {
                return "invalid field tag (corrupt file?)";
            }
            return "corrupt protobuf data: " + m;
        }
    }

    /** A name as messages show it: quoted, at most 80 characters. */
    private static String q(String name) {
        return "'" + abbreviate(name) + "'";
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** Dims as messages show them: at most 8 extents. */
    private static String dimsString(long[] dims) {
        if (dims.length <= 8) {
            return Arrays.toString(dims);
        }
        return Arrays.toString(Arrays.copyOf(dims, 8)).replace("]", ", ... (" + dims.length + " dims)]");
    }

    /** One line: control characters (from corrupt names) become '?'. */
    private static String printable(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }

    /** A short description of well-known non-ONNX file kinds, or null. */
    static String sniff(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G')) {
            return "a PNG image";
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return "a JPEG image";
        }
        if (startsWith(b, 'G', 'I', 'F', '8')) {
            return "a GIF image";
        }
        if (startsWith(b, 'P', 'K', 3, 4)) {
            return "a ZIP archive (PyTorch .pt/.pth checkpoints and .npz files are ZIP archives)";
        }
        if (startsWith(b, 0x1F, 0x8B)) {
            return "a gzip-compressed file; decompress it first";
        }
        if (startsWith(b, 0x93, 'N', 'U', 'M', 'P', 'Y')) {
            return "a NumPy .npy file";
        }
        if (startsWith(b, 0x89, 'H', 'D', 'F')) {
            return "an HDF5 file (e.g. a Keras .h5 model)";
        }
        if (startsWith(b, 0x80) && b.length > 1 && b[1] >= 2 && b[1] <= 5) {
            return "a Python pickle";
        }
        if (looksLikeText(b)) {
            return "a text file";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeText(byte[] b) {
        int n = Math.min(b.length, 512);
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f) || c >= 0x80;
            if (!ok) {
                return false;
            }
        }
        // Require mostly ASCII so that binary data with high bytes is not called text.
        int ascii = 0;
        for (int i = 0; i < n; i++) {
            if ((b[i] & 0xff) < 0x80) {
                ascii++;
            }
        }
        return ascii * 10 >= n * 9;
    }

    // ---- growable primitive lists; sizes are bounded by the bytes already validated ---------

    private static int grow(int size) {
        if (size >= Integer.MAX_VALUE - 16) {
            throw new OnnxFormatException("a repeated field has more than 2^31 values");
        }
        return (int) Math.min(Integer.MAX_VALUE - 16L, size * 2L);
    }

    private static final class LongList {
        long[] values = new long[8];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, grow(size));
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class FloatList {
        float[] values = new float[8];
        int size;

        void reserve(int extra) {
            if (size + extra > values.length) {
                values = Arrays.copyOf(values, Math.max(size + extra, values.length * 2));
            }
        }

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, grow(size));
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class DoubleList {
        double[] values = new double[8];
        int size;

        void reserve(int extra) {
            if (size + extra > values.length) {
                values = Arrays.copyOf(values, Math.max(size + extra, values.length * 2));
            }
        }

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, grow(size));
            }
            values[size++] = v;
        }
    }
}
