package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Slice (opset 13 semantics) with starts, ends, axes and steps as attributes (int64 values,
 * so INT64_MAX/INT64_MIN style "to the end" markers work). For each listed axis of extent n:
 * negative starts/ends get n added; then with step &gt; 0 start and end are clamped to [0, n], with
 * step &lt; 0 start to [0, n-1] and end to [-1, n-1]; the slice takes start, start+step, … while
 * before end. Axes default to [0, 1, …, len(starts)-1] (negative axes count from the end; no
 * repeats); steps default to 1 and must not be 0. Unlisted axes are kept whole. (As written in the
 * ONNX operator text, this differs from numpy for a negative step with start &lt; -n: numpy
 * selects nothing, ONNX starts at index 0.)
 *
 * <p>The VJP scatters the output gradient into the sliced positions of a zero tensor of the
 * input's shape; it needs only the input shape.
 */
public final class Slice extends ValueOp {
    private final long[] starts;
    private final long[] ends;
    private final long[] axes;
    private final long[] steps;

    /** Slice of the leading axes with step 1. */
    public Slice(long[] starts, long[] ends) {
        this(starts, ends, null, null);
    }

    /** Slice with optional {@code axes} and {@code steps} (null = ONNX default). */
    public Slice(long[] starts, long[] ends, long[] axes, long[] steps) {
        if (starts == null || ends == null) {
            throw new IllegalArgumentException("Slice needs starts and ends");
        }
        if (starts.length != ends.length) {
            throw new IllegalArgumentException("Slice: starts " + Arrays.toString(starts) + " and ends "
                    + Arrays.toString(ends) + " must have the same length");
        }
        if (axes != null && axes.length != starts.length) {
            throw new IllegalArgumentException("Slice: axes " + Arrays.toString(axes) + " must have one entry per start ("
                    + starts.length + ")");
        }
        if (steps != null) {
            if (steps.length != starts.length) {
                throw new IllegalArgumentException("Slice: steps " + Arrays.toString(steps)
                        + " must have one entry per start (" + starts.length + ")");
            }
            for (long s : steps) {
                if (s == 0) {
                    throw new IllegalArgumentException("Slice: steps " + Arrays.toString(steps)
                            + " contains 0; steps must be non-zero");
                }
            }
        }
        this.starts = starts.clone();
        this.ends = ends.clone();
        this.axes = axes == null ? null : axes.clone();
        this.steps = steps == null ? null : steps.clone();
    }

    /** Slice of one axis: [start, end) with step 1 (INT64 markers allowed). */
    public static Slice of(int axis, long start, long end) {
        return new Slice(new long[] {start}, new long[] {end}, new long[] {axis}, null);
    }

    @Override
    public String type() {
        return "Slice";
    }

    @Override
    public OpCategory category() {
        return OpCategory.SHAPE;
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("starts", starts.clone());
        a.put("ends", ends.clone());
        if (axes != null) {
            a.put("axes", axes.clone());
        }
        if (steps != null) {
            a.put("steps", steps.clone());
        }
        return a;
    }

    /** Per input dimension: {start, step, length} after ONNX clamping. */
    private int[][] resolve(int[] shape) {
        int rank = shape.length;
        int[][] r = new int[rank][];
        for (int d = 0; d < rank; d++) {
            r[d] = new int[] {0, 1, shape[d]};
        }
        long[] ax = axes;
        if (ax == null) {
            if (starts.length > rank) {
                throw new IllegalArgumentException("Slice: " + starts.length + " starts without axes need an input of rank >= "
                        + starts.length + ", got shape " + Shapes.toString(shape));
            }
            ax = new long[starts.length];
            for (int i = 0; i < ax.length; i++) {
                ax[i] = i;
            }
        }
        int[] norm = Axes.normalizeAll("Slice", "axes", ax, rank);
        for (int i = 0; i < norm.length; i++) {
            long n = shape[norm[i]];
            long raw = steps == null ? 1 : steps[i];
            // A step of magnitude >= n takes at most one element, like a step of n: clamp to avoid overflow.
            long step = raw > 0 ? Math.min(raw, Math.max(n, 1)) : Math.max(raw, -Math.max(n, 1));
            long start = starts[i] < 0 ? starts[i] + n : starts[i];
            long end = ends[i] < 0 ? ends[i] + n : ends[i];
            long len;
            if (step > 0) {
                start = clamp(start, 0, n);
                end = clamp(end, 0, n);
                len = end > start ? (end - start + step - 1) / step : 0;
            } else {
                start = clamp(start, 0, n - 1);
                end = clamp(end, -1, n - 1);
                len = start > end ? (start - end - step - 1) / -step : 0;
            }
            r[norm[i]] = new int[] {len == 0 ? 0 : (int) start, (int) step, (int) len};
        }
        return r;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private int[][] tables(int[] shape, int[][] r) {
        int[] strides = Shapes.strides(shape);
        int[][] t = new int[shape.length][];
        for (int d = 0; d < shape.length; d++) {
            t[d] = OffsetGather.strided(r[d][2], r[d][0], r[d][1], strides[d]);
        }
        return t;
    }

    private static int[] outShape(int[][] r) {
        int[] out = new int[r.length];
        for (int d = 0; d < r.length; d++) {
            out[d] = r[d][2];
        }
        return out;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("Slice", inputs, 1, 1);
        Tensor x = inputs[0];
        int[] shape = x.shape();
        int[][] r = resolve(shape);
        Tensor y = Tensor.zeros(outShape(r));
        OffsetGather.gather(x.data(), tables(shape, r), y.data(), 0f);
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        int[] shape = ctx.inputShape(0);
        int[][] r = resolve(shape);
        Tensor gx = Tensor.zeros(shape);
        OffsetGather.scatterAdd(gradOutputs[0].data(), tables(shape, r), gx.data());
        return new Tensor[] {gx};
    }
}
