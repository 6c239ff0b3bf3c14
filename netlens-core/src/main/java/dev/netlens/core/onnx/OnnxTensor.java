package dev.netlens.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A TensorProto: name, dims, element type and data. Numeric data is held as little-endian bytes in
 * the element type's raw layout (as ONNX's raw_data stores it), whichever field the file used;
 * strings are held as byte strings. Conversions to float32 and int64 are provided for the importer.
 */
public final class OnnxTensor {
    private final String name;
    private final long[] dims;
    private final OnnxDataType dataType;
    private final ByteBuffer raw;
    private final List<byte[]> strings;

    private OnnxTensor(String name, long[] dims, OnnxDataType dataType, ByteBuffer raw, List<byte[]> strings) {
        this.name = name == null ? "" : name;
        this.dims = dims.clone();
        this.dataType = dataType;
        this.raw = raw == null ? null : raw.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        this.strings = strings == null ? null : List.copyOf(strings);
    }

    /**
     * A numeric tensor from little-endian raw bytes; the byte count must match dims × element size.
     */
    public static OnnxTensor ofRaw(String name, long[] dims, OnnxDataType type, ByteBuffer raw) {
        long count = elementCount(dims, name);
        long expected = count * type.bytesPerElement();
        if (type.bytesPerElement() == 0) {
            throw new IllegalArgumentException("tensor '" + name + "': element type " + type + " has no raw layout");
        }
        if (raw.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of type " + type + " and shape "
                    + Arrays.toString(dims) + " needs " + expected + " bytes of data, found " + raw.remaining());
        }
        return new OnnxTensor(name, dims, type, raw.slice(), null);
    }

    /** A string tensor. */
    public static OnnxTensor ofStrings(String name, long[] dims, List<byte[]> values) {
        if (elementCount(dims, name) != values.size()) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " needs "
                    + elementCount(dims, name) + " strings, found " + values.size());
        }
        return new OnnxTensor(name, dims, OnnxDataType.STRING, null, values);
    }

    /** A float32 tensor. */
    public static OnnxTensor ofFloats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return ofRaw(name, dims, OnnxDataType.FLOAT, b);
    }

    /** An int64 tensor. */
    public static OnnxTensor ofLongs(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return ofRaw(name, dims, OnnxDataType.INT64, b);
    }

    /** Number of elements of a shape; rejects negative extents and counts above 2^31 − 1. */
    public static long elementCount(long[] dims, String name) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in "
                        + Arrays.toString(dims));
            }
            if (d == 0) {
                n = 0;
                continue;
            }
            if (d > Integer.MAX_VALUE || (n > 0 && d > Integer.MAX_VALUE / n)) {
                n = Long.MAX_VALUE;
            } else {
                n *= d;
            }
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(dims)
                        + " has more than 2^31-1 elements, which netlens cannot hold");
            }
        }
        return n;
    }

    public String name() {
        return name;
    }

    /** A copy of the dims. */
    public long[] dims() {
        return dims.clone();
    }

    public OnnxDataType dataType() {
        return dataType;
    }

    /** Number of elements. */
    public int size() {
        return (int) elementCount(dims, name);
    }

    /** The raw little-endian bytes (read-only view, position 0), or null for strings. */
    public ByteBuffer raw() {
        return raw == null ? null : raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The string values, or null for numeric tensors. */
    public List<byte[]> strings() {
        return strings;
    }

    /** The values converted to float32 (floating types rounded, integers converted). */
    public float[] toFloats() {
        int n = size();
        float[] out = new float[n];
        ByteBuffer b = raw();
        if (b == null) {
            throw new IllegalArgumentException("tensor '" + name + "' of type " + dataType + " has no numeric values");
        }
        switch (dataType) {
            case FLOAT -> b.asFloatBuffer().get(out);
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            default -> {
                long[] l = toLongs();
                for (int i = 0; i < n; i++) {
                    out[i] = l[i];
                }
            }
        }
        return out;
    }

    /** The values converted to int64 (integers and bools exactly; floating types truncated toward 0). */
    public long[] toLongs() {
        int n = size();
        long[] out = new long[n];
        ByteBuffer b = raw();
        if (b == null) {
            throw new IllegalArgumentException("tensor '" + name + "' of type " + dataType + " has no numeric values");
        }
        switch (dataType) {
            case INT64, UINT64 -> b.asLongBuffer().get(out);
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(i * 4);
                }
            }
            case UINT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(i * 4) & 0xffffffffL;
                }
            }
            case INT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(i * 2);
                }
            }
            case UINT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(i * 2) & 0xffff;
                }
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
            case UINT8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i) & 0xff;
                }
            }
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> {
                float[] f = toFloats();
                for (int i = 0; i < n; i++) {
                    out[i] = (long) f[i];
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + name + "' of type " + dataType
                    + " cannot be converted to integers");
        }
        return out;
    }

    /** IEEE 754 binary16 to float32 (exact: every half value is a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    @Override
    public String toString() {
        return "OnnxTensor(" + name + ", " + dataType + Arrays.toString(dims) + ")";
    }
}
