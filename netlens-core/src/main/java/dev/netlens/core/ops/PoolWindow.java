package dev.netlens.core.ops;

import dev.netlens.core.kernels.PoolGeometry;
import dev.netlens.core.tensor.Shapes;
import java.util.Arrays;
import java.util.Map;

/**
 * The window attributes MaxPool and AveragePool share (kernel_shape, strides, pads, dilations,
 * ceil_mode, auto_pad), validated once, and their translation into a {@link PoolGeometry} for a
 * given input shape. One spatial dimension maps to a pooling geometry of height 1.
 */
final class PoolWindow {
    final int[] kernelShape;
    /** As given (null = ONNX default). */
    final int[] strides;
    final int[] pads;
    final int[] dilations;
    final boolean ceilMode;
    final AutoPad autoPad;

    /** The attributes being collected by a builder. */
    static final class Spec {
        int[] kernelShape;
        int[] strides;
        int[] pads;
        int[] dilations;
        boolean ceilMode;
        AutoPad autoPad = AutoPad.NOTSET;
    }

    PoolWindow(String op, Spec s) {
        if (s.kernelShape == null) {
            throw new IllegalArgumentException(op + " needs kernel_shape (1 entry for [N, C, W] inputs, 2 for "
                    + "[N, C, H, W]), e.g. kernelShape(2, 2)");
        }
        int spatial = s.kernelShape.length;
        if (spatial != 1 && spatial != 2) {
            throw new IllegalArgumentException(op + " supports 1-D and 2-D pooling: kernel_shape must have 1 or 2 "
                    + "entries, got " + Arrays.toString(s.kernelShape));
        }
        requirePositive(op, "kernel_shape", s.kernelShape);
        if (s.strides != null) {
            requireLength(op, "strides", s.strides, spatial);
            requirePositive(op, "strides", s.strides);
        }
        if (s.dilations != null) {
            requireLength(op, "dilations", s.dilations, spatial);
            requirePositive(op, "dilations", s.dilations);
        }
        if (s.pads != null) {
            requireLength(op, "pads (all beginnings, then all ends)", s.pads, 2 * spatial);
            for (int p : s.pads) {
                if (p < 0) {
                    throw new IllegalArgumentException(op + " pads must be >= 0, got " + Arrays.toString(s.pads));
                }
            }
        }
        if (s.autoPad == null) {
            throw new IllegalArgumentException(op + " auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER, got null");
        }
        this.kernelShape = s.kernelShape.clone();
        this.strides = s.strides == null ? null : s.strides.clone();
        this.pads = s.pads == null ? null : s.pads.clone();
        this.dilations = s.dilations == null ? null : s.dilations.clone();
        this.ceilMode = s.ceilMode;
        this.autoPad = s.autoPad;
    }

    private static void requireLength(String op, String what, int[] v, int n) {
        if (v.length != n) {
            throw new IllegalArgumentException(op + " " + what + " must have " + n + " entries to match kernel_shape, got "
                    + Arrays.toString(v));
        }
    }

    private static void requirePositive(String op, String what, int[] v) {
        for (int x : v) {
            if (x < 1) {
                throw new IllegalArgumentException(op + " " + what + " must all be >= 1, got " + Arrays.toString(v));
            }
        }
    }

    int spatial() {
        return kernelShape.length;
    }

    private int stride(int i) {
        return strides == null ? 1 : strides[i];
    }

    private int dilation(int i) {
        return dilations == null ? 1 : dilations[i];
    }

    /** The pooling geometry for an input of shape {@code x} (validated, naming {@code op}). */
    PoolGeometry geometry(String op, int[] x) {
        int spatial = spatial();
        if (x.length != spatial + 2) {
            throw new IllegalArgumentException(op + " with kernel_shape " + Arrays.toString(kernelShape) + " needs a "
                    + (spatial + 2) + "-D input " + (spatial == 1 ? "[N, C, W]" : "[N, C, H, W]") + ", got shape "
                    + Shapes.toString(x));
        }
        int[] begin = new int[spatial];
        int[] end = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            int in = x[2 + i];
            int k = kernelShape[i];
            if (in < 1) {
                throw new IllegalArgumentException(op + " needs non-empty spatial axes, got shape " + Shapes.toString(x));
            }
            int[] be = autoPad.pads(in, k, stride(i), dilation(i), pads == null ? 0 : pads[i],
                    pads == null ? 0 : pads[i + spatial]);
            begin[i] = be[0];
            end[i] = be[1];
            int out = PoolGeometry.outputExtent(in, k, stride(i), dilation(i), be[0], be[1], ceilMode);
            if (out < 1) {
                throw new IllegalArgumentException(op + " has an empty output along spatial axis " + i + ": input extent "
                        + in + " padded by (" + be[0] + ", " + be[1] + ") is smaller than the window extent "
                        + ((k - 1) * dilation(i) + 1) + " (kernel " + k + ", dilation " + dilation(i)
                        + "); use a smaller kernel or dilation, or more padding");
            }
        }
        if (spatial == 1) {
            return new PoolGeometry(x[0], x[1], 1, x[2], 1, kernelShape[0], 1, stride(0), 1, dilation(0),
                    new int[] {0, begin[0], 0, end[0]}, ceilMode);
        }
        return new PoolGeometry(x[0], x[1], x[2], x[3], kernelShape[0], kernelShape[1], stride(0), stride(1),
                dilation(0), dilation(1), new int[] {begin[0], begin[1], end[0], end[1]}, ceilMode);
    }

    /** The output shape for input shape {@code x} and its geometry. */
    static int[] outputShape(int[] x, PoolGeometry g) {
        return x.length == 3 ? new int[] {x[0], x[1], g.outWidth} : new int[] {x[0], x[1], g.outHeight, g.outWidth};
    }

    /**
     * Global pooling over all spatial axes of {@code x} [N, C, D1, …, Dk] (k ≥ 1): the spatial axes
     * are flattened into one row, so any rank maps onto the 2-D pooling kernels.
     */
    static PoolGeometry global(String op, int[] x) {
        if (x.length < 3) {
            throw new IllegalArgumentException(op + " needs an input [N, C, D1, …] with at least one spatial axis, got shape "
                    + Shapes.toString(x));
        }
        int area = Shapes.size(x, 2, x.length);
        if (area < 1) {
            throw new IllegalArgumentException(op + " needs non-empty spatial axes, got shape " + Shapes.toString(x));
        }
        return new PoolGeometry(x[0], x[1], 1, area, 1, area, 1, 1, 1, 1, new int[4], false);
    }

    /** The output shape [N, C, 1, …, 1] of a global pool. */
    static int[] globalOutputShape(int[] x) {
        int[] out = new int[x.length];
        Arrays.fill(out, 1);
        out[0] = x[0];
        out[1] = x[1];
        return out;
    }

    /** Adds the ONNX attributes (those set, and all non-defaults) to {@code a}. */
    void describe(Map<String, Object> a) {
        a.put("kernel_shape", kernelShape.clone());
        if (strides != null) {
            a.put("strides", strides.clone());
        }
        if (pads != null && autoPad == AutoPad.NOTSET) {
            a.put("pads", pads.clone());
        }
        if (dilations != null) {
            a.put("dilations", dilations.clone());
        }
        if (autoPad != AutoPad.NOTSET) {
            a.put("auto_pad", autoPad.name());
        }
        a.put("ceil_mode", ceilMode ? 1 : 0);
    }
}
