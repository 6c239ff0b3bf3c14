package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ONNX Pad (opset 18/19 semantics) with pads, constant_value and axes as attributes. {@code pads}
 * lists all beginnings, then all ends: [x1_begin, x2_begin, …, x1_end, x2_end, …] for the axes in
 * {@code axes} (default: all axes in order; negative axes count from the end). Modes:
 * <ul>
 *   <li>{@code constant} (default): new positions take {@code constant_value} (default 0);
 *       negative pads remove elements (cropping);</li>
 *   <li>{@code reflect}: mirror without repeating the edge element; pads beyond extent − 1 keep
 *       mirroring (period 2·(extent − 1); an axis of extent 1 repeats its element), as in the
 *       operator's example of reflect-padding 2 on an axis of 2;</li>
 *   <li>{@code edge}: repeat the edge element;</li>
 *   <li>{@code wrap}: continue periodically (as numpy's wrap).</li>
 * </ul>
 * Negative pads are accepted only in constant mode. The VJP accumulates the output gradient into
 * the source position of every output element (constant positions contribute nothing); it needs
 * only the input shape.
 */
public final class Pad extends ValueOp {
    /** Pad modes by ONNX name. */
    public enum Mode {
        CONSTANT, REFLECT, EDGE, WRAP;

        /** The ONNX attribute value, e.g. "reflect". */
        public String onnxName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode with ONNX name {@code name}. */
        public static Mode parse(String name) {
            for (Mode m : values()) {
                if (m.onnxName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("Pad: mode '" + name + "' is not supported (valid: constant, reflect, edge, wrap)");
        }
    }

    private final Mode mode;
    private final int[] pads;
    private final float constantValue;
    private final int[] axes;

    /** Constant padding with zeros of all axes. */
    public Pad(int... pads) {
        this(Mode.CONSTANT, pads, 0f, null);
    }

    /** Padding in {@code mode}; {@code axes} null = all axes. */
    public Pad(Mode mode, int[] pads, float constantValue, int[] axes) {
        if (mode == null || pads == null) {
            throw new IllegalArgumentException("Pad needs a mode and pads");
        }
        if (pads.length % 2 != 0) {
            throw new IllegalArgumentException("Pad: pads " + Arrays.toString(pads)
                    + " must have an even length (all beginnings, then all ends)");
        }
        if (axes != null && pads.length != 2 * axes.length) {
            throw new IllegalArgumentException("Pad: pads " + Arrays.toString(pads) + " must have 2 entries per axis of "
                    + Arrays.toString(axes) + ", i.e. " + (2 * axes.length));
        }
        if (mode != Mode.CONSTANT) {
            for (int p : pads) {
                if (p < 0) {
                    throw new IllegalArgumentException("Pad: pads " + Arrays.toString(pads) + " are negative in mode "
                            + mode.onnxName() + "; cropping with negative pads is supported in constant mode only");
                }
            }
        }
        this.mode = mode;
        this.pads = pads.clone();
        this.constantValue = constantValue;
        this.axes = axes == null ? null : axes.clone();
    }

    /** Padding by ONNX mode name ("constant", "reflect", "edge", "wrap"); {@code axes} null = all axes. */
    public static Pad of(String mode, int[] pads, float constantValue, int[] axes) {
        return new Pad(Mode.parse(mode), pads, constantValue, axes);
    }

    /** Constant padding of all axes with {@code value}. */
    public static Pad constant(float value, int... pads) {
        return new Pad(Mode.CONSTANT, pads, value, null);
    }

    /** Reflect padding of all axes. */
    public static Pad reflect(int... pads) {
        return new Pad(Mode.REFLECT, pads, 0f, null);
    }

    /** Edge padding of all axes. */
    public static Pad edge(int... pads) {
        return new Pad(Mode.EDGE, pads, 0f, null);
    }

    /** Wrap-around padding of all axes. */
    public static Pad wrap(int... pads) {
        return new Pad(Mode.WRAP, pads, 0f, null);
    }

    @Override
    public String type() {
        return "Pad";
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
        a.put("mode", mode.onnxName());
        a.put("pads", pads.clone());
        if (mode == Mode.CONSTANT) {
            a.put("constant_value", constantValue);
        }
        if (axes != null) {
            a.put("axes", axes.clone());
        }
        return a;
    }

    /** {begin, end} per input dimension. */
    private int[][] perDim(int[] in) {
        int rank = in.length;
        int[] ax;
        if (axes == null) {
            if (pads.length != 2 * rank) {
                throw new IllegalArgumentException("Pad: pads " + Arrays.toString(pads) + " has " + pads.length
                        + " entries but an input of shape " + Shapes.toString(in) + " needs " + (2 * rank)
                        + " (beginnings then ends), or give axes");
            }
            ax = new int[rank];
            for (int d = 0; d < rank; d++) {
                ax[d] = d;
            }
        } else {
            ax = Axes.normalizeAll("Pad", "axes", axes, rank);
        }
        int[][] be = new int[rank][2];
        for (int i = 0; i < ax.length; i++) {
            int d = ax[i];
            int begin = pads[i];
            int end = pads[i + ax.length];
            be[d][0] = begin;
            be[d][1] = end;
            long out = (long) in[d] + begin + end;
            if (out < 0) {
                throw new IllegalArgumentException("Pad: pads " + Arrays.toString(pads) + " remove more than the "
                        + in[d] + " elements of axis " + d + " of the input " + Shapes.toString(in));
            }
            if (mode != Mode.CONSTANT && in[d] == 0 && begin + end > 0) {
                throw new IllegalArgumentException("Pad: " + mode.onnxName() + " padding of the empty axis " + d
                        + " of the input " + Shapes.toString(in) + " has nothing to copy; use constant mode");
            }
        }
        return be;
    }

    private int[][] tables(int[] in, int[][] be) {
        int[] strides = Shapes.strides(in);
        int[][] t = new int[in.length][];
        for (int d = 0; d < in.length; d++) {
            int n = in[d];
            int out = n + be[d][0] + be[d][1];
            t[d] = new int[out];
            for (int i = 0; i < out; i++) {
                int c = i - be[d][0];
                if (c < 0 || c >= n) {
                    c = switch (mode) {
                        case CONSTANT -> -1;
                        case EDGE -> c < 0 ? 0 : n - 1;
                        case REFLECT -> reflect(c, n);
                        case WRAP -> Math.floorMod(c, n);
                    };
                }
                t[d][i] = c < 0 ? -1 : c * strides[d];
            }
        }
        return t;
    }

    /** Index of coordinate c after mirroring at 0 and n − 1 as often as needed (period 2(n − 1)). */
    private static int reflect(int c, int n) {
        if (n == 1) {
            return 0;
        }
        int m = Math.floorMod(c, 2 * (n - 1));
        return m < n ? m : 2 * (n - 1) - m;
    }

    private static int[] outShape(int[] in, int[][] be) {
        int[] out = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            out[d] = in[d] + be[d][0] + be[d][1];
        }
        return out;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("Pad", inputs, 1, 1);
        Tensor x = inputs[0];
        int[] in = x.shape();
        int[][] be = perDim(in);
        Tensor y = Tensor.zeros(outShape(in, be));
        OffsetGather.gather(x.data(), tables(in, be), y.data(), constantValue);
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        int[] in = ctx.inputShape(0);
        Tensor gx = Tensor.zeros(in);
        OffsetGather.scatterAdd(gradOutputs[0].data(), tables(in, perDim(in)), gx.data());
        return new Tensor[] {gx};
    }
}
