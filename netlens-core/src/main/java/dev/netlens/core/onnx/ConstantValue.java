package dev.netlens.core.onnx;

import java.util.Arrays;

/**
 * A typed constant during import (initializers, Constant nodes, folded shape computations): dims,
 * an ONNX element type, and values — {@code long[]} for integer/bool types (so int64 shape
 * arithmetic is exact), {@code float[]} for float32 (weights stay float32 and are never widened)
 * and {@code double[]} for other floating types. {@link #doubles()} widens float32 values lazily,
 * only when a folding op computes with them.
 */
final class ConstantValue {
    final long[] dims;
    final OnnxDataType type;
    private final long[] longs;
    private final float[] floats;
    private double[] doubles;

    private ConstantValue(long[] dims, OnnxDataType type, long[] longs, float[] floats, double[] doubles) {
        this.dims = dims;
        this.type = type;
        this.longs = longs;
        this.floats = floats;
        this.doubles = doubles;
    }

    static ConstantValue ofLongs(long[] dims, OnnxDataType type, long[] values) {
        check(dims, values.length);
        return new ConstantValue(dims.clone(), type, values, null, null);
    }

    static ConstantValue ofDoubles(long[] dims, OnnxDataType type, double[] values) {
        check(dims, values.length);
        return new ConstantValue(dims.clone(), type, null, null, values);
    }

    static ConstantValue ofFloats(long[] dims, float[] values) {
        check(dims, values.length);
        return new ConstantValue(dims.clone(), OnnxDataType.FLOAT, null, values, null);
    }

    static ConstantValue scalarLong(long v) {
        return ofLongs(new long[0], OnnxDataType.INT64, new long[] {v});
    }

    private static void check(long[] dims, int n) {
        long count = OnnxTensor.elementCount(dims, "constant");
        if (count != n) {
            throw new IllegalStateException("constant of shape " + Arrays.toString(dims) + " with " + n + " values");
        }
    }

    static ConstantValue of(OnnxTensor t) {
        if (t.dataType() == OnnxDataType.STRING || !t.dataType().isNumeric()) {
            throw new OnnxImportException("constant '" + t.name() + "' has element type " + t.dataType()
                    + ", which netlens cannot compute with");
        }
        if (t.dataType().isIntegral()) {
            return ofLongs(t.dims(), t.dataType(), t.toLongs());
        }
        if (t.dataType() == OnnxDataType.DOUBLE) {
            java.nio.ByteBuffer b = t.raw();
            double[] d = new double[t.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = b.getDouble(i * 8);
            }
            return ofDoubles(t.dims(), t.dataType(), d);
        }
        return new ConstantValue(t.dims(), t.dataType(), null, t.toFloats(), null);
    }

    boolean integral() {
        return longs != null;
    }

    /** The integer values (null for floating constants). */
    long[] longs() {
        return longs;
    }

    /** The floating values as doubles (widened from float32 on first use). */
    double[] doubles() {
        if (doubles == null && floats != null) {
            double[] d = new double[floats.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = floats[i];
            }
            doubles = d;
        }
        return doubles;
    }

    int size() {
        return integral() ? longs.length : floats != null ? floats.length : doubles.length;
    }

    int rank() {
        return dims.length;
    }

    long longAt(int i) {
        return integral() ? longs[i] : floats != null ? (long) floats[i] : (long) doubles[i];
    }

    double doubleAt(int i) {
        return integral() ? longs[i] : floats != null ? floats[i] : doubles[i];
    }

    /** All values as long (floating values truncated toward zero). */
    long[] asLongs() {
        if (integral()) {
            return longs.clone();
        }
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = longAt(i);
        }
        return out;
    }

    /** All values as float32 (the stored array itself for float32 constants: do not modify). */
    float[] asFloats() {
        if (floats != null) {
            return floats;
        }
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) doubleAt(i);
        }
        return out;
    }

    /** The dims as int[] (import only handles tensors below 2^31 elements). */
    int[] intDims() {
        int[] s = new int[dims.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.toIntExact(dims[i]);
        }
        return s;
    }

    OnnxTensor toTensor(String name) {
        if (integral()) {
            return OnnxTensor.ofLongs(name, dims, longs);
        }
        return OnnxTensor.ofFloats(name, dims, asFloats());
    }

    /** Value equality (type, dims and every element). */
    boolean sameAs(ConstantValue o) {
        if (o == this) {
            return true;
        }
        if (o == null || type != o.type || !Arrays.equals(dims, o.dims) || integral() != o.integral()) {
            return false;
        }
        if (integral()) {
            return Arrays.equals(longs, o.longs);
        }
        for (int i = 0; i < size(); i++) {
            if (Double.compare(doubleAt(i), o.doubleAt(i)) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        int n = Math.min(size(), 8);
        StringBuilder b = new StringBuilder(type + Arrays.toString(dims) + "[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(integral() ? Long.toString(longs[i]) : Double.toString(doubleAt(i)));
        }
        return b.append(size() > n ? ", …]" : "]").toString();
    }
}
