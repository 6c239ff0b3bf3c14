package dev.netlens.core.onnx;

import java.util.Arrays;

/**
 * A typed constant during import (initializers, Constant nodes, folded shape computations): dims,
 * an ONNX element type, and values held as {@code long[]} for integer/bool types or
 * {@code double[]} for floating types, so int64 shape arithmetic is exact.
 */
final class ConstantValue {
    final long[] dims;
    final OnnxDataType type;
    final long[] longs;
    final double[] doubles;

    private ConstantValue(long[] dims, OnnxDataType type, long[] longs, double[] doubles) {
        this.dims = dims;
        this.type = type;
        this.longs = longs;
        this.doubles = doubles;
    }

    static ConstantValue ofLongs(long[] dims, OnnxDataType type, long[] values) {
        check(dims, values.length);
        return new ConstantValue(dims.clone(), type, values, null);
    }

    static ConstantValue ofDoubles(long[] dims, OnnxDataType type, double[] values) {
        check(dims, values.length);
        return new ConstantValue(dims.clone(), type, null, values);
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
            throw new IllegalArgumentException("constant '" + t.name() + "' has element type " + t.dataType()
                    + ", which netlens cannot compute with");
        }
        if (isIntegral(t.dataType())) {
            return ofLongs(t.dims(), t.dataType(), t.toLongs());
        }
        float[] f = t.toFloats();
        double[] d = new double[f.length];
        if (t.dataType() == OnnxDataType.DOUBLE) {
            java.nio.ByteBuffer b = t.raw();
            for (int i = 0; i < d.length; i++) {
                d[i] = b.getDouble(i * 8);
            }
        } else {
            for (int i = 0; i < d.length; i++) {
                d[i] = f[i];
            }
        }
        return ofDoubles(t.dims(), t.dataType(), d);
    }

    static boolean isIntegral(OnnxDataType t) {
        return t.isIntegral();
    }

    boolean integral() {
        return longs != null;
    }

    int size() {
        return integral() ? longs.length : doubles.length;
    }

    int rank() {
        return dims.length;
    }

    long longAt(int i) {
        return integral() ? longs[i] : (long) doubles[i];
    }

    double doubleAt(int i) {
        return integral() ? longs[i] : doubles[i];
    }

    /** All values as long (floating values truncated toward zero). */
    long[] asLongs() {
        if (integral()) {
            return longs.clone();
        }
        long[] out = new long[doubles.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) doubles[i];
        }
        return out;
    }

    /** All values as float32. */
    float[] asFloats() {
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
        return o != null && type == o.type && Arrays.equals(dims, o.dims)
                && Arrays.equals(longs, o.longs) && Arrays.equals(doubles, o.doubles);
    }

    @Override
    public String toString() {
        String values = integral() ? Arrays.toString(longs.length > 8 ? Arrays.copyOf(longs, 8) : longs)
                : Arrays.toString(doubles.length > 8 ? Arrays.copyOf(doubles, 8) : doubles);
        return type + Arrays.toString(dims) + values;
    }
}
