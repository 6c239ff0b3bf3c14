package dev.netlens.core.onnx;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An AttributeProto. Only the field matching {@link #type()} is meaningful; the others are
 * null/empty/0.
 */
public record OnnxAttribute(String name, Type type, float f, long i, byte[] s, OnnxTensor t, OnnxGraph g,
                            float[] floats, long[] ints, List<byte[]> strings, List<OnnxTensor> tensors,
                            List<OnnxGraph> graphs) {

    /** AttributeProto.AttributeType codes. */
    public enum Type {
        UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8),
        TENSORS(9), GRAPHS(10), SPARSE_TENSOR(11), SPARSE_TENSORS(12), TYPE_PROTO(13), TYPE_PROTOS(14);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return UNDEFINED;
        }
    }

    public static OnnxAttribute ofFloat(String name, float v) {
        return new OnnxAttribute(name, Type.FLOAT, v, 0, null, null, null, null, null, null, null, null);
    }

    public static OnnxAttribute ofInt(String name, long v) {
        return new OnnxAttribute(name, Type.INT, 0, v, null, null, null, null, null, null, null, null);
    }

    public static OnnxAttribute ofString(String name, String v) {
        return new OnnxAttribute(name, Type.STRING, 0, 0, v.getBytes(StandardCharsets.UTF_8), null, null, null, null,
                null, null, null);
    }

    public static OnnxAttribute ofTensor(String name, OnnxTensor v) {
        return new OnnxAttribute(name, Type.TENSOR, 0, 0, null, v, null, null, null, null, null, null);
    }

    public static OnnxAttribute ofFloats(String name, float... v) {
        return new OnnxAttribute(name, Type.FLOATS, 0, 0, null, null, null, v.clone(), null, null, null, null);
    }

    public static OnnxAttribute ofInts(String name, long... v) {
        return new OnnxAttribute(name, Type.INTS, 0, 0, null, null, null, null, v.clone(), null, null, null);
    }

    /** The string value decoded as UTF-8. */
    public String string() {
        return s == null ? null : new String(s, StandardCharsets.UTF_8);
    }
}
