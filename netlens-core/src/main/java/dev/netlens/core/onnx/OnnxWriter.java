package dev.netlens.core.onnx;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the records of this package as ONNX protobuf bytes ({@code ModelProto}, or a standalone
 * {@code TensorProto}), with protobuf-java's {@link CodedOutputStream} and no generated classes.
 *
 * <p>Numeric tensors are written as {@code raw_data} (little-endian), string tensors as
 * {@code string_data}. Every field {@link OnnxReader} reads is written, so
 * {@code OnnxReader.read(OnnxWriter.toBytes(m))} reproduces {@code m}. Empty strings and zero
 * versions are left out, as protobuf does for absent optional fields; node inputs and outputs are
 * always written, since an empty name marks an omitted optional input. Attributes of type
 * SPARSE_TENSOR(S) and TYPE_PROTO(S) are written from the serialised sub-messages the reader keeps
 * in {@link OnnxAttribute#s()} / {@link OnnxAttribute#strings()}.
 *
 * <p>Fields are written in field-number order, except that the ModelProto's graph comes last, after
 * the opset imports and metadata: protobuf allows any order, and this way a file cut short at any
 * byte is reported as truncated by {@link OnnxReader} instead of silently losing trailing fields.
 *
 * <p>A protobuf message cannot exceed 2 GB. Larger models are written with
 * {@link #write(OnnxModel, Path, long)}, which moves big tensors to one external data file beside the
 * model, the way ONNX's own tools do.
 *
 * <pre>{@code
 * OnnxWriter.write(model, Path.of("out.onnx"));                 // everything in one file
 * OnnxWriter.write(model, Path.of("big.onnx"), 1 << 20);        // tensors >= 1 MiB to big.onnx.data
 * }</pre>
 */
public final class OnnxWriter {
    private static final long LIMIT = Integer.MAX_VALUE;

    private OnnxWriter() {
    }

    /**
     * Serialises a model to ModelProto bytes, every tensor inline.
     *
     * @throws IllegalArgumentException if the model has no graph, holds an attribute of type UNDEFINED,
     *     or serialises to more than 2 GB
     */
    public static byte[] toBytes(OnnxModel model) {
        Objects.requireNonNull(model, "model");
        Encoder enc = new Encoder(Map.of(), null);
        return enc.toBytes(s -> enc.model(s, model), "model");
    }

    /** Serialises one tensor as a standalone TensorProto (the format {@link OnnxReader#readTensor} reads). */
    public static byte[] toBytes(OnnxTensor tensor) {
        Objects.requireNonNull(tensor, "tensor");
        Encoder enc = new Encoder(Map.of(), null);
        return enc.toBytes(s -> enc.tensor(s, tensor), "tensor '" + tensor.name() + "'");
    }

    /**
     * Writes a model to a file, every tensor inline.
     *
     * @throws IllegalArgumentException as {@link #toBytes(OnnxModel)}
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(OnnxModel model, Path file) {
        write(model, file, Long.MAX_VALUE);
    }

    /**
     * Writes a model to {@code file}, moving every numeric tensor (initializers and tensor
     * attributes, in all subgraphs) of at least {@code externalThresholdBytes} bytes to one external
     * data file named {@code <file name>.data} in the same directory (e.g. {@code model.onnx.data}),
     * referenced by location, offset and length as the ONNX format specifies. No data file is written
     * when no tensor reaches the threshold. {@link OnnxReader#read(Path)} reads the result back.
     *
     * @param externalThresholdBytes smallest tensor byte size to store externally; {@code Long.MAX_VALUE}
     *     keeps everything inline
     * @throws IllegalArgumentException if the threshold is negative, or as {@link #toBytes(OnnxModel)}
     * @throws UncheckedIOException if a file cannot be written
     */
    public static void write(OnnxModel model, Path file, long externalThresholdBytes) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(file, "file");
        if (externalThresholdBytes < 0) {
            throw new IllegalArgumentException("externalThresholdBytes must be >= 0, got " + externalThresholdBytes);
        }
        requireGraph(model);
        Map<OnnxTensor, Long> offsets = new IdentityHashMap<>();
        List<OnnxTensor> order = new ArrayList<>();
        if (externalThresholdBytes != Long.MAX_VALUE) {
            collect(model.graph(), externalThresholdBytes, offsets, order);
        }
        String location = file.getFileName() + ".data";
        Encoder enc = new Encoder(offsets, location);
        Encoder.Emitter body = s -> enc.model(s, model);
        long size = enc.sizeOf(body);
        if (size > LIMIT) {
            throw tooBig("model", size);
        }
        try {
            if (!order.isEmpty()) {
                Path dataFile = file.resolveSibling(location);
                try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    for (OnnxTensor t : order) {
                        ByteBuffer raw = t.raw();
                        while (raw.hasRemaining()) {
                            ch.write(raw);
                        }
                    }
                }
            }
            try (OutputStream os = Files.newOutputStream(file)) {
                CodedOutputStream out = CodedOutputStream.newInstance(os, 1 << 16);
                body.emit(enc.writer(out));
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model " + file + ": " + e.getMessage(), e);
        }
    }

    private static void requireGraph(OnnxModel model) {
        if (model.graph() == null) {
            throw new IllegalArgumentException("cannot write an ONNX model without a graph");
        }
    }

    private static IllegalArgumentException tooBig(String what, long size) {
        return new IllegalArgumentException(what + " serialises to " + size + " bytes, more than protobuf's 2 GB"
                + " limit; use OnnxWriter.write(model, path, externalThresholdBytes) to keep large tensors in an"
                + " external data file");
    }

    /** Assigns external-file offsets, in first-seen order, to big numeric tensors of a graph and its subgraphs. */
    private static void collect(OnnxGraph g, long threshold, Map<OnnxTensor, Long> offsets, List<OnnxTensor> order) {
        for (OnnxTensor t : nullSafe(g.initializers())) {
            consider(t, threshold, offsets, order);
        }
        for (OnnxNode n : nullSafe(g.nodes())) {
            for (OnnxAttribute a : nullSafe(n.attributes())) {
                if (a.t() != null) {
                    consider(a.t(), threshold, offsets, order);
                }
                for (OnnxTensor t : nullSafe(a.tensors())) {
                    consider(t, threshold, offsets, order);
                }
                if (a.g() != null) {
                    collect(a.g(), threshold, offsets, order);
                }
                for (OnnxGraph sub : nullSafe(a.graphs())) {
                    collect(sub, threshold, offsets, order);
                }
            }
        }
    }

    private static void consider(OnnxTensor t, long threshold, Map<OnnxTensor, Long> offsets, List<OnnxTensor> order) {
        ByteBuffer raw = t.raw();
        if (raw == null || raw.remaining() < threshold || offsets.containsKey(t)) {
            return;
        }
        long offset = 0;
        if (!order.isEmpty()) {
            OnnxTensor last = order.get(order.size() - 1);
            offset = offsets.get(last) + last.raw().remaining();
        }
        offsets.put(t, offset);
        order.add(t);
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Emits the fields of each message to a sink that either measures or writes them. */
    private static final class Encoder {
        interface Emitter {
            void emit(Sink s) throws IOException;
        }

        /** Receives fields in field-number order. */
        abstract static class Sink {
            abstract void varint(int field, long v) throws IOException;

            abstract void float32(int field, float v) throws IOException;

            abstract void bytes(int field, byte[] b) throws IOException;

            abstract void bytes(int field, ByteBuffer b) throws IOException;

            abstract void message(int field, Emitter e) throws IOException;

            final void string(int field, String s) throws IOException {
                bytes(field, s.getBytes(StandardCharsets.UTF_8));
            }

            /** A string field that is left out when null or empty. */
            final void optString(int field, String s) throws IOException {
                if (s != null && !s.isEmpty()) {
                    string(field, s);
                }
            }
        }

        private final Map<OnnxTensor, Long> externalOffsets;
        private final String externalLocation;

        Encoder(Map<OnnxTensor, Long> externalOffsets, String externalLocation) {
            this.externalOffsets = externalOffsets;
            this.externalLocation = externalLocation;
        }

        byte[] toBytes(Emitter body, String what) {
            long size = sizeOf(body);
            if (size > LIMIT) {
                throw tooBig(what, size);
            }
            byte[] out = new byte[(int) size];
            CodedOutputStream cos = CodedOutputStream.newInstance(out);
            try {
                body.emit(writer(cos));
            } catch (IOException e) {
                throw new IllegalStateException("writing to a byte array failed", e);
            }
            cos.checkNoSpaceLeft();
            return out;
        }

        long sizeOf(Emitter e) {
            Measure m = new Measure();
            try {
                e.emit(m);
            } catch (IOException ex) {
                throw new IllegalStateException("measuring cannot fail", ex);
            }
            return m.total;
        }

        Sink writer(CodedOutputStream out) {
            return new Write(out);
        }

        private final class Measure extends Sink {
            long total;

            @Override
            void varint(int field, long v) {
                total += CodedOutputStream.computeInt64Size(field, v);
            }

            @Override
            void float32(int field, float v) {
                total += CodedOutputStream.computeFloatSize(field, v);
            }

            @Override
            void bytes(int field, byte[] b) {
                total += CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(b.length)
                        + b.length;
            }

            @Override
            void bytes(int field, ByteBuffer b) {
                int n = b.remaining();
                total += CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
            }

            @Override
            void message(int field, Emitter e) {
                long n = sizeOf(e);
                total += CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt64SizeNoTag(n) + n;
            }
        }

        private final class Write extends Sink {
            private final CodedOutputStream out;

            Write(CodedOutputStream out) {
                this.out = out;
            }

            @Override
            void varint(int field, long v) throws IOException {
                out.writeInt64(field, v);
            }

            @Override
            void float32(int field, float v) throws IOException {
                out.writeFloat(field, v);
            }

            @Override
            void bytes(int field, byte[] b) throws IOException {
                out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(b.length);
                out.writeRawBytes(b);
            }

            @Override
            void bytes(int field, ByteBuffer b) throws IOException {
                out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(b.remaining());
                out.write(b.duplicate());
            }

            @Override
            void message(int field, Emitter e) throws IOException {
                long n = sizeOf(e);
                out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag((int) n);
                e.emit(this);
            }
        }

        // ---- messages, fields in number order (except ModelProto, see there) ----------------

        void model(Sink s, OnnxModel m) throws IOException {
            requireGraph(m);
            if (m.irVersion() != 0) {
                s.varint(1, m.irVersion());
            }
            s.optString(2, m.producerName());
            s.optString(3, m.producerVersion());
            s.optString(4, m.domain());
            if (m.modelVersion() != 0) {
                s.varint(5, m.modelVersion());
            }
            s.optString(6, m.docString());
            for (OnnxOpset o : nullSafe(m.opsets())) {
                s.message(8, os -> {
                    os.optString(1, o.domain());
                    os.varint(2, o.version());
                });
            }
            if (m.metadata() != null) {
                for (Map.Entry<String, String> e : m.metadata().entrySet()) {
                    s.message(14, kv -> entry(kv, e.getKey(), e.getValue()));
                }
            }
            // The graph goes last: a file cut short anywhere then lacks it or ends inside it, and the
            // reader reports the truncation instead of returning a model with fields missing.
            s.message(7, g -> graph(g, m.graph()));
        }

        private static void entry(Sink s, String key, String value) throws IOException {
            s.optString(1, key);
            s.optString(2, value);
        }

        void graph(Sink s, OnnxGraph g) throws IOException {
            for (OnnxNode n : nullSafe(g.nodes())) {
                s.message(1, ns -> node(ns, n));
            }
            s.optString(2, g.name());
            for (OnnxTensor t : nullSafe(g.initializers())) {
                s.message(5, ts -> tensor(ts, t));
            }
            s.optString(10, g.docString());
            for (OnnxValueInfo v : nullSafe(g.inputs())) {
                s.message(11, vs -> valueInfo(vs, v));
            }
            for (OnnxValueInfo v : nullSafe(g.outputs())) {
                s.message(12, vs -> valueInfo(vs, v));
            }
            for (OnnxValueInfo v : nullSafe(g.valueInfo())) {
                s.message(13, vs -> valueInfo(vs, v));
            }
        }

        void node(Sink s, OnnxNode n) throws IOException {
            for (String in : nullSafe(n.inputs())) {
                s.string(1, in == null ? "" : in);
            }
            for (String out : nullSafe(n.outputs())) {
                s.string(2, out == null ? "" : out);
            }
            s.optString(3, n.name());
            s.optString(4, n.opType());
            for (OnnxAttribute a : nullSafe(n.attributes())) {
                s.message(5, as -> attribute(as, a));
            }
            s.optString(6, n.docString());
            s.optString(7, n.domain());
        }

        void attribute(Sink s, OnnxAttribute a) throws IOException {
            OnnxAttribute.Type type = a.type();
            if (type == null || type == OnnxAttribute.Type.UNDEFINED) {
                throw new IllegalArgumentException("attribute '" + a.name() + "' has type UNDEFINED and cannot be"
                        + " written");
            }
            s.optString(1, a.name());
            switch (type) {
                case FLOAT -> s.float32(2, a.f());
                case INT -> s.varint(3, a.i());
                case STRING -> s.bytes(4, a.s() == null ? new byte[0] : a.s());
                case TENSOR -> {
                    OnnxTensor t = require(a.t(), a);
                    s.message(5, ts -> tensor(ts, t));
                }
                case GRAPH -> {
                    OnnxGraph g = require(a.g(), a);
                    s.message(6, gs -> graph(gs, g));
                }
                case FLOATS -> {
                    if (a.floats() != null) {
                        for (float v : a.floats()) {
                            s.float32(7, v);
                        }
                    }
                }
                case INTS -> {
                    if (a.ints() != null) {
                        for (long v : a.ints()) {
                            s.varint(8, v);
                        }
                    }
                }
                case STRINGS -> {
                    for (byte[] b : nullSafe(a.strings())) {
                        s.bytes(9, b);
                    }
                }
                case TENSORS -> {
                    for (OnnxTensor t : nullSafe(a.tensors())) {
                        s.message(10, ts -> tensor(ts, t));
                    }
                }
                case GRAPHS -> {
                    for (OnnxGraph g : nullSafe(a.graphs())) {
                        s.message(11, gs -> graph(gs, g));
                    }
                }
                case TYPE_PROTO -> s.bytes(14, require(a.s(), a));
                case TYPE_PROTOS -> {
                    for (byte[] b : nullSafe(a.strings())) {
                        s.bytes(15, b);
                    }
                }
                case SPARSE_TENSOR, SPARSE_TENSORS, UNDEFINED -> {
                    // written after the type field below, in field-number order
                }
            }
            s.varint(20, type.code());
            if (type == OnnxAttribute.Type.SPARSE_TENSOR) {
                s.bytes(22, require(a.s(), a));
            } else if (type == OnnxAttribute.Type.SPARSE_TENSORS) {
                for (byte[] b : nullSafe(a.strings())) {
                    s.bytes(23, b);
                }
            }
        }

        private static <T> T require(T value, OnnxAttribute a) {
            if (value == null) {
                throw new IllegalArgumentException("attribute '" + a.name() + "' of type " + a.type()
                        + " has no value");
            }
            return value;
        }

        void valueInfo(Sink s, OnnxValueInfo v) throws IOException {
            s.optString(1, v.name());
            OnnxDataType elem = v.elemType() == null ? OnnxDataType.UNDEFINED : v.elemType();
            List<OnnxValueInfo.Dim> shape = v.shape();
            if (elem != OnnxDataType.UNDEFINED || shape != null) {
                s.message(2, ts -> ts.message(1, tt -> {
                    if (elem != OnnxDataType.UNDEFINED) {
                        tt.varint(1, elem.code());
                    }
                    if (shape != null) {
                        tt.message(2, ss -> {
                            for (OnnxValueInfo.Dim d : shape) {
                                ss.message(1, ds -> {
                                    if (d.value() >= 0) {
                                        ds.varint(1, d.value());
                                    } else if (d.param() != null) {
                                        ds.string(2, d.param());
                                    }
                                });
                            }
                        });
                    }
                }));
            }
            s.optString(3, v.docString());
        }

        void tensor(Sink s, OnnxTensor t) throws IOException {
            for (long d : t.dims()) {
                s.varint(1, d);
            }
            s.varint(2, t.dataType().code());
            if (t.dataType() == OnnxDataType.STRING) {
                for (byte[] b : t.strings()) {
                    s.bytes(6, b);
                }
            }
            s.optString(8, t.name());
            if (t.dataType() == OnnxDataType.STRING) {
                return;
            }
            Long offset = externalOffsets.get(t);
            if (offset == null) {
                s.bytes(9, t.raw());
                return;
            }
            long length = t.raw().remaining();
            s.message(13, kv -> entry(kv, "location", externalLocation));
            s.message(13, kv -> entry(kv, "offset", Long.toString(offset)));
            s.message(13, kv -> entry(kv, "length", Long.toString(length)));
            s.varint(14, 1);
        }
    }
}
