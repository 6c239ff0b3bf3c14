package dev.netlens.core.onnx;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Hand-written protobuf messages for tests: fields are appended in call order with any wire type,
 * so tests can build valid ONNX messages the writer would never produce (packed fields, external
 * data references, missing types) and invalid ones (wrong wire types, absurd lengths).
 */
final class ProtoBytes {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

    ProtoBytes varint(int field, long v) {
        return run(() -> out.writeInt64(field, v));
    }

    ProtoBytes fixed32(int field, float v) {
        return run(() -> out.writeFloat(field, v));
    }

    ProtoBytes fixed64(int field, double v) {
        return run(() -> out.writeDouble(field, v));
    }

    ProtoBytes bytes(int field, byte[] b) {
        return run(() -> out.writeByteArray(field, b));
    }

    ProtoBytes string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    ProtoBytes message(int field, ProtoBytes m) {
        return bytes(field, m.toByteArray());
    }

    /** A length-delimited field whose declared length differs from the bytes that follow. */
    ProtoBytes lyingLength(int field, long declared, byte[] actual) {
        return run(() -> {
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt64NoTag(declared);
            out.writeRawBytes(actual);
        });
    }

    /** A raw tag with any wire type (0-7) and nothing after it. */
    ProtoBytes tag(int field, int wireType) {
        return run(() -> out.writeUInt32NoTag((field << 3) | wireType));
    }

    ProtoBytes raw(byte... b) {
        return run(() -> out.writeRawBytes(b));
    }

    ProtoBytes packedVarints(int field, long... values) {
        ProtoBytes inner = new ProtoBytes();
        for (long v : values) {
            inner.run(() -> inner.out.writeInt64NoTag(v));
        }
        return bytes(field, inner.toByteArray());
    }

    ProtoBytes packedFloats(int field, float... values) {
        ProtoBytes inner = new ProtoBytes();
        for (float v : values) {
            inner.run(() -> inner.out.writeFloatNoTag(v));
        }
        return bytes(field, inner.toByteArray());
    }

    byte[] toByteArray() {
        run(out::flush);
        return buf.toByteArray();
    }

    private interface Io {
        void run() throws IOException;
    }

    private ProtoBytes run(Io io) {
        try {
            io.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    // ---- small ONNX building blocks -----------------------------------------------------------

    /** A ModelProto with IR version 8, opset 13 and the given graph. */
    static ProtoBytes model(ProtoBytes graph) {
        return new ProtoBytes().varint(1, 8).message(8, new ProtoBytes().varint(2, 13)).message(7, graph);
    }

    /** A GraphProto holding one initializer. */
    static ProtoBytes graphWithInitializer(ProtoBytes tensor) {
        return new ProtoBytes().string(2, "g").message(5, tensor);
    }

    /** A FLOAT TensorProto header: dims and data type, no data yet. */
    static ProtoBytes floatTensor(String name, long... dims) {
        ProtoBytes t = new ProtoBytes();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, OnnxDataType.FLOAT.code()).string(8, name);
    }
}
