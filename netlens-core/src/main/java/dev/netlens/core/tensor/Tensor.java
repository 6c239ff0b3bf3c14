package dev.netlens.core.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense float32 tensor in row-major (C) order; images are NCHW.
 *
 * <p>The storage is a plain {@code float[]} (measured against off-heap buffers, see the README's
 * Performance section: the pure-Java kernels run on arrays, and the OpenBLAS kernels stage only the
 * operands of each GEMM off-heap). The engine treats tensors as values: an op never mutates its
 * inputs, and a tensor handed to the engine must not be mutated while a {@code Trace} refers to it.
 *
 * <p>The API is deliberately small: creation, element access, reshape (a view sharing the data),
 * copy. Arithmetic lives in ops and kernels.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (no copy) as a tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.clone();
        long n = Shapes.checkedSize(s);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Shapes.toString(s) + " holds " + n
                    + " elements but the data array has " + data.length);
        }
        return new Tensor(data, s);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[Shapes.checkedIntSize(s)], s);
    }

    /**
     * A tensor whose elements the caller must all write before any is read: inside a
     * {@link TensorArena} scope its array may be one recycled from an earlier repetition, holding
     * old values; elsewhere it is a new (zeroed) array. For op outputs and gradients that a kernel
     * overwrites completely; everything else uses {@link #zeros}.
     */
    public static Tensor uninitialized(int... shape) {
        int[] s = shape.clone();
        return new Tensor(TensorArena.take(Shapes.checkedIntSize(s)), s);
    }

    /** {@link #uninitialized} with the shape of {@code like}. */
    public static Tensor uninitializedLike(Tensor like) {
        return uninitialized(like.shape);
    }

    /** A tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** A zero-rank tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** A tensor of zeros with the shape of {@code like}. */
    public static Tensor zerosLike(Tensor like) {
        return zeros(like.shape);
    }

    /** Independent standard-normal entries scaled by {@code std}, drawn from {@code random}. */
    public static Tensor randomNormal(SplittableRandom random, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i += 2) {
            // Box-Muller: two normals per pair of uniforms.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            t.data[i] = (float) (std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < t.data.length) {
                t.data[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * u2));
            }
        }
        return t;
    }

    /** Independent uniform entries in [{@code low}, {@code high}), drawn from {@code random}. */
    public static Tensor randomUniform(SplittableRandom random, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return t;
    }

    /** The backing array (not a copy). Mutating it mutates this tensor and every view of it. */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Extent of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shapes.normalizeAxis(axis, shape.length)];
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** True when this tensor has exactly this shape. */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /** The element at a multi-index. */
    public float get(int... index) {
        return data[flatIndex(index)];
    }

    /** Sets the element at a multi-index. */
    public void set(float value, int... index) {
        data[flatIndex(index)] = value;
    }

    /** The single element of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, this one has shape "
                    + Shapes.toString(shape));
        }
        return data[0];
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for a tensor of shape "
                    + Shapes.toString(shape));
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape "
                        + Shapes.toString(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    /**
     * A view with another shape over the same data. One dimension may be -1 (inferred).
     */
    public Tensor reshape(int... newShape) {
        return new Tensor(data, Shapes.resolveReshape(shape, newShape, false));
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Tensor").append(Shapes.toString(shape)).append('[');
        int n = Math.min(data.length, 8);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(data[i]);
        }
        if (data.length > n) {
            b.append(", …");
        }
        return b.append(']').toString();
    }
}
