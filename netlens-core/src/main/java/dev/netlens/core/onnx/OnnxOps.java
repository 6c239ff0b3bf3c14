package dev.netlens.core.onnx;

import dev.netlens.core.ops.Abs;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.AutoPad;
import dev.netlens.core.ops.AveragePool;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Clip;
import dev.netlens.core.ops.Concat;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.ConvTranspose;
import dev.netlens.core.ops.Div;
import dev.netlens.core.ops.Dropout;
import dev.netlens.core.ops.Elu;
import dev.netlens.core.ops.Erf;
import dev.netlens.core.ops.Exp;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gelu;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.GlobalMaxPool;
import dev.netlens.core.ops.HardSigmoid;
import dev.netlens.core.ops.HardSwish;
import dev.netlens.core.ops.Identity;
import dev.netlens.core.ops.LeakyRelu;
import dev.netlens.core.ops.Log;
import dev.netlens.core.ops.LogSoftmax;
import dev.netlens.core.ops.Lrn;
import dev.netlens.core.ops.MatMul;
import dev.netlens.core.ops.Max;
import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.Min;
import dev.netlens.core.ops.Mul;
import dev.netlens.core.ops.Neg;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.PRelu;
import dev.netlens.core.ops.Pad;
import dev.netlens.core.ops.Pow;
import dev.netlens.core.ops.Reciprocal;
import dev.netlens.core.ops.ReduceMax;
import dev.netlens.core.ops.ReduceMean;
import dev.netlens.core.ops.ReduceMin;
import dev.netlens.core.ops.ReduceSum;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.ops.Reshape;
import dev.netlens.core.ops.Resize;
import dev.netlens.core.ops.Selu;
import dev.netlens.core.ops.Sigmoid;
import dev.netlens.core.ops.Slice;
import dev.netlens.core.ops.Softmax;
import dev.netlens.core.ops.Softplus;
import dev.netlens.core.ops.Split;
import dev.netlens.core.ops.Sqrt;
import dev.netlens.core.ops.Squeeze;
import dev.netlens.core.ops.Sub;
import dev.netlens.core.ops.Tanh;
import dev.netlens.core.ops.Transpose;
import dev.netlens.core.ops.Unsqueeze;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The op table of the ONNX importer: for each ONNX op type, converters registered by the opset
 * version their semantics start at; a node is converted by the entry with the highest version not
 * above the model's opset (attribute-vs-input changes such as Clip, Pad, Split, Squeeze/Unsqueeze,
 * Reduce* axes, Slice, Resize/Upsample and Softmax's axis are distinct entries). A converter turns
 * constant inputs into op attributes and says which inputs stay data inputs of the node.
 */
public final class OnnxOps {
    /** Lowest and highest default-domain opset the importer accepts. */
    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 21;

    /** An op converted from a node, with the node inputs (by index) that remain its data inputs. */
    record Converted(Op op, int[] dataInputs) {
    }

    @FunctionalInterface
    interface Converter {
        Converted convert(NodeView n);
    }

    private record Entry(int since, Converter converter) {
    }

    private static final Map<String, List<Entry>> TABLE = new TreeMap<>();

    private OnnxOps() {
    }

    private static void register(String type, int since, Converter c) {
        List<Entry> list = TABLE.computeIfAbsent(type, k -> new ArrayList<>());
        list.add(new Entry(since, c));
        list.sort(Comparator.comparingInt(Entry::since));
    }

    /** A converter that keeps every present input as a data input. */
    private static Converter allInputs(java.util.function.Function<NodeView, Op> f) {
        return n -> new Converted(f.apply(n), presentInputs(n));
    }

    private static Converter simple(Supplier<Op> s) {
        return allInputs(n -> s.get());
    }

    private static int[] presentInputs(NodeView n) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            if (n.hasInput(i)) {
                idx.add(i);
            }
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Converted first(NodeView n, Op op) {
        return new Converted(op, new int[] {0});
    }

    /** The converter for an op type at an opset, or null when the op is not supported there. */
    static Converter resolve(String type, long opset) {
        List<Entry> entries = TABLE.get(type);
        if (entries == null) {
            return null;
        }
        Converter best = null;
        for (Entry e : entries) {
            if (e.since() <= opset) {
                best = e.converter();
            }
        }
        return best;
    }

    /** Supported op types with the opset versions at which their converters start. */
    public static Map<String, int[]> supported() {
        Map<String, int[]> out = new TreeMap<>();
        TABLE.forEach((k, v) -> out.put(k, v.stream().mapToInt(Entry::since).toArray()));
        return out;
    }

    static {
        // ---- convolution and dense layers
        register("Conv", 1, allInputs(n -> {
            Conv.Builder b = Conv.builder().autoPad(autoPad(n)).group(n.intAttrAsInt("group", 1));
            int[] v;
            if ((v = n.intArrayAttr("strides")) != null) {
                b.strides(v);
            }
            if ((v = n.intArrayAttr("dilations")) != null) {
                b.dilations(v);
            }
            if ((v = n.intArrayAttr("pads")) != null) {
                b.pads(v);
            }
            if ((v = n.intArrayAttr("kernel_shape")) != null) {
                b.kernelShape(v);
            }
            return b.build();
        }));
        register("ConvTranspose", 1, allInputs(n -> {
            ConvTranspose.Builder b = ConvTranspose.builder().autoPad(autoPad(n)).group(n.intAttrAsInt("group", 1));
            int[] v;
            if ((v = n.intArrayAttr("strides")) != null) {
                b.strides(v);
            }
            if ((v = n.intArrayAttr("dilations")) != null) {
                b.dilations(v);
            }
            if ((v = n.intArrayAttr("pads")) != null) {
                b.pads(v);
            }
            if ((v = n.intArrayAttr("kernel_shape")) != null) {
                b.kernelShape(v);
            }
            if ((v = n.intArrayAttr("output_padding")) != null) {
                b.outputPadding(v);
            }
            if ((v = n.intArrayAttr("output_shape")) != null) {
                b.outputShape(v);
            }
            return b.build();
        }));
        register("Gemm", 1, allInputs(n -> new Gemm(n.floatAttr("alpha", 1f), n.floatAttr("beta", 1f),
                n.intAttr("transA", 0) != 0, n.intAttr("transB", 0) != 0)));
        register("MatMul", 1, simple(MatMul::new));

        // ---- activations and element-wise
        register("Relu", 1, simple(Relu::new));
        register("LeakyRelu", 1, allInputs(n -> new LeakyRelu(n.floatAttr("alpha", 0.01f))));
        register("PRelu", 1, simple(PRelu::new));
        register("Elu", 1, allInputs(n -> new Elu(n.floatAttr("alpha", 1f))));
        register("Selu", 1, allInputs(n -> new Selu(n.floatAttr("alpha", 1.67326319217681884765625f),
                n.floatAttr("gamma", 1.05070102214813232421875f))));
        register("Sigmoid", 1, simple(Sigmoid::new));
        register("Tanh", 1, simple(Tanh::new));
        register("HardSigmoid", 1, allInputs(n -> new HardSigmoid(n.floatAttr("alpha", 0.2f), n.floatAttr("beta", 0.5f))));
        register("HardSwish", 14, simple(HardSwish::new));
        register("Softplus", 1, simple(Softplus::new));
        register("Gelu", 20, allInputs(n -> Gelu.of(n.enumAttr("approximate", "none", "none", "tanh"))));
        register("Erf", 9, simple(Erf::new));
        register("Neg", 1, simple(Neg::new));
        register("Abs", 1, simple(Abs::new));
        register("Exp", 1, simple(Exp::new));
        register("Log", 1, simple(Log::new));
        register("Sqrt", 1, simple(Sqrt::new));
        register("Reciprocal", 1, simple(Reciprocal::new));
        register("Clip", 6, n -> first(n, Clip.of(
                n.hasAttribute("min") ? n.floatAttr("min", 0) : null,
                n.hasAttribute("max") ? n.floatAttr("max", 0) : null)));
        register("Clip", 11, n -> first(n, Clip.of(
                n.hasInput(1) ? scalar(n, 1) : null, n.hasInput(2) ? scalar(n, 2) : null)));
        register("Add", 7, simple(Add::new));
        register("Sub", 7, simple(Sub::new));
        register("Mul", 7, simple(Mul::new));
        register("Div", 7, simple(Div::new));
        register("Pow", 7, simple(Pow::new));
        register("Max", 8, simple(Max::new));
        register("Min", 8, simple(Min::new));
        register("Softmax", 1, n -> first(n, Softmax.legacyCoerced(n.intAttrAsInt("axis", 1))));
        register("Softmax", 13, n -> first(n, Softmax.along(n.intAttrAsInt("axis", -1))));
        register("LogSoftmax", 1, n -> first(n, LogSoftmax.legacyCoerced(n.intAttrAsInt("axis", 1))));
        register("LogSoftmax", 13, n -> first(n, LogSoftmax.along(n.intAttrAsInt("axis", -1))));
        register("Identity", 1, n -> first(n, new Identity()));
        register("Cast", 6, n -> {
            OnnxDataType to = OnnxDataType.of((int) n.intAttr("to", 0));
            if (to != OnnxDataType.FLOAT && to != OnnxDataType.DOUBLE && to != OnnxDataType.FLOAT16) {
                throw n.error("Cast of computed data to " + to + " is not supported (netlens computes in float32)");
            }
            return first(n, new Identity());
        });

        // ---- pooling and normalisation
        register("MaxPool", 1, n -> first(n, maxPool(n)));
        register("AveragePool", 1, n -> first(n, averagePool(n)));
        register("GlobalAveragePool", 1, simple(GlobalAveragePool::new));
        register("GlobalMaxPool", 1, simple(GlobalMaxPool::new));
        register("LRN", 1, n -> first(n, Lrn.builder().size(n.intAttrAsInt("size", 0)).alpha(n.floatAttr("alpha", 1e-4f))
                .beta(n.floatAttr("beta", 0.75f)).bias(n.floatAttr("bias", 1f)).build()));
        register("BatchNormalization", 7, allInputs(n -> {
            if (n.intAttr("spatial", 1) != 1) {
                throw n.error("BatchNormalization with spatial=0 is not supported");
            }
            if (n.intAttr("training_mode", 0) != 0) {
                throw n.error("BatchNormalization with training_mode=1 is not supported in an imported model"
                        + " (netlens chooses batch statistics with Run.training(true))");
            }
            return BatchNormalization.builder().epsilon(n.floatAttr("epsilon", 1e-5f))
                    .momentum(n.floatAttr("momentum", 0.9f)).build();
        }));
        register("Dropout", 7, n -> first(n, new Dropout(n.floatAttr("ratio", 0.5f), n.outputCount() > 1)));
        register("Dropout", 12, n -> {
            if (n.hasInput(2) && n.constant(2).longAt(0) != 0) {
                throw n.error("Dropout with training_mode=true is not supported in an imported model");
            }
            return first(n, new Dropout(n.hasInput(1) ? scalar(n, 1) : 0.5f, n.outputCount() > 1));
        });

        // ---- data movement
        register("Concat", 4, allInputs(n -> new Concat(n.intAttrAsInt("axis", 0))));
        register("Flatten", 1, n -> first(n, new Flatten(n.intAttrAsInt("axis", 1))));
        register("Transpose", 1, n -> {
            int[] perm = n.intArrayAttr("perm");
            return first(n, perm == null ? new Transpose() : new Transpose(perm));
        });
        register("Reshape", 5, n -> first(n, new Reshape(ints(n, n.constantLongs(1)), n.intAttr("allowzero", 0) != 0)));
        register("Squeeze", 1, n -> first(n, squeeze(n.intArrayAttr("axes"))));
        register("Squeeze", 13, n -> first(n, squeeze(n.hasInput(1) ? ints(n, n.constantLongs(1)) : null)));
        register("Unsqueeze", 1, n -> first(n, new Unsqueeze(require(n, n.intArrayAttr("axes"), "axes"))));
        register("Unsqueeze", 13, n -> first(n, new Unsqueeze(ints(n, n.constantLongs(1)))));
        register("Split", 2, n -> first(n, split(n, n.intArrayAttr("split"))));
        register("Split", 13, n -> first(n, split(n, n.hasInput(1) ? ints(n, n.constantLongs(1)) : null)));
        register("Slice", 1, n -> first(n, new Slice(require(n, n.intsAttr("starts"), "starts"),
                require(n, n.intsAttr("ends"), "ends"), n.intsAttr("axes"), null)));
        register("Slice", 10, n -> first(n, new Slice(n.constantLongs(1), n.constantLongs(2),
                n.hasInput(3) ? n.constantLongs(3) : null, n.hasInput(4) ? n.constantLongs(4) : null)));
        register("Pad", 2, n -> first(n, Pad.of(n.enumAttr("mode", "constant", "constant", "reflect", "edge"),
                require(n, n.intArrayAttr("pads"), "pads"), n.floatAttr("value", 0f), null)));
        register("Pad", 11, n -> first(n, Pad.of(n.enumAttr("mode", "constant", "constant", "reflect", "edge", "wrap"),
                ints(n, n.constantLongs(1)), n.hasInput(2) ? scalar(n, 2) : 0f,
                n.hasInput(3) ? ints(n, n.constantLongs(3)) : null)));
        register("ReduceMean", 1, n -> first(n, ReduceMean.of(n.intArrayAttr("axes"), keepdims(n), false)));
        register("ReduceMean", 18, n -> first(n, ReduceMean.of(axesInput(n), keepdims(n), noop(n))));
        register("ReduceMax", 1, n -> first(n, ReduceMax.of(n.intArrayAttr("axes"), keepdims(n), false)));
        register("ReduceMax", 18, n -> first(n, ReduceMax.of(axesInput(n), keepdims(n), noop(n))));
        register("ReduceMin", 1, n -> first(n, ReduceMin.of(n.intArrayAttr("axes"), keepdims(n), false)));
        register("ReduceMin", 18, n -> first(n, ReduceMin.of(axesInput(n), keepdims(n), noop(n))));
        register("ReduceSum", 1, n -> first(n, ReduceSum.of(n.intArrayAttr("axes"), keepdims(n), false)));
        register("ReduceSum", 13, n -> first(n, ReduceSum.of(axesInput(n), keepdims(n), noop(n))));
        register("Upsample", 7, n -> first(n, Resize.upsample(n.enumAttr("mode", "nearest", "nearest", "linear", "bilinear"),
                require(n, n.floatsAttr("scales"), "scales"))));
        register("Upsample", 9, n -> first(n, Resize.upsample(n.enumAttr("mode", "nearest", "nearest", "linear", "bilinear"),
                n.constantFloats(1))));
        register("Resize", 10, n -> first(n, Resize.builder().mode(n.enumAttr("mode", "nearest", "nearest", "linear"))
                .coordinateTransformationMode("asymmetric").nearestMode("floor").scales(n.constantFloats(1)).build()));
        register("Resize", 11, n -> first(n, resize(n)));
    }

    private static AutoPad autoPad(NodeView n) {
        return AutoPad.parse(n.enumAttr("auto_pad", "NOTSET", "NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"));
    }

    private static float scalar(NodeView n, int input) {
        ConstantValue v = n.constant(input);
        if (v.size() != 1) {
            throw n.error("input " + input + " must be a scalar, got " + v.size() + " values");
        }
        return (float) v.doubleAt(0);
    }

    private static <T> T require(NodeView n, T value, String attribute) {
        if (value == null) {
            throw n.error("attribute " + attribute + " is required");
        }
        return value;
    }

    private static int[] ints(NodeView n, long[] v) {
        if (v == null) {
            return null;
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v[i]));
        }
        return out;
    }

    private static boolean keepdims(NodeView n) {
        return n.intAttr("keepdims", 1) != 0;
    }

    private static boolean noop(NodeView n) {
        return n.intAttr("noop_with_empty_axes", 0) != 0;
    }

    private static int[] axesInput(NodeView n) {
        return n.hasInput(1) ? ints(n, n.constantLongs(1)) : null;
    }

    private static Squeeze squeeze(int[] axes) {
        return axes == null ? new Squeeze() : new Squeeze(axes);
    }

    private static Split split(NodeView n, int[] sizes) {
        int axis = n.intAttrAsInt("axis", 0);
        if (sizes != null && sizes.length > 0) {
            if (sizes.length != n.outputCount()) {
                throw n.error("split has " + sizes.length + " sizes but the node has " + n.outputCount() + " outputs");
            }
            return Split.of(axis, sizes);
        }
        int parts = n.hasAttribute("num_outputs") ? n.intAttrAsInt("num_outputs", 0) : n.outputCount();
        return Split.equal(axis, parts);
    }

    private static MaxPool maxPool(NodeView n) {
        MaxPool.Builder b = MaxPool.builder().autoPad(autoPad(n))
                .kernelShape(require(n, n.intArrayAttr("kernel_shape"), "kernel_shape"))
                .ceilMode(n.intAttr("ceil_mode", 0) != 0).storageOrder(n.intAttrAsInt("storage_order", 0));
        int[] v;
        if ((v = n.intArrayAttr("strides")) != null) {
            b.strides(v);
        }
        if ((v = n.intArrayAttr("pads")) != null) {
            b.pads(v);
        }
        if ((v = n.intArrayAttr("dilations")) != null) {
            b.dilations(v);
        }
        return b.build();
    }

    private static AveragePool averagePool(NodeView n) {
        AveragePool.Builder b = AveragePool.builder().autoPad(autoPad(n))
                .kernelShape(require(n, n.intArrayAttr("kernel_shape"), "kernel_shape"))
                .ceilMode(n.intAttr("ceil_mode", 0) != 0).countIncludePad(n.intAttr("count_include_pad", 0) != 0);
        int[] v;
        if ((v = n.intArrayAttr("strides")) != null) {
            b.strides(v);
        }
        if ((v = n.intArrayAttr("pads")) != null) {
            b.pads(v);
        }
        if ((v = n.intArrayAttr("dilations")) != null) {
            b.dilations(v);
        }
        return b.build();
    }

    private static Resize resize(NodeView n) {
        return resize(n, null, null);
    }

    /**
     * Resize (opset ≥ 11). With {@code axes}/{@code sizes} given, only those axes are resized to
     * those sizes (used when the other target extents follow dynamic input extents).
     */
    static Resize resize(NodeView n, int[] axesOverride, int[] sizesOverride) {
        String mode = n.enumAttr("mode", "nearest", "nearest", "linear", "cubic");
        if (mode.equals("cubic")) {
            throw n.error("mode 'cubic' is not supported; supported: nearest, linear");
        }
        if (n.intAttr("antialias", 0) != 0) {
            throw n.error("antialias=1 is not supported");
        }
        String coordinates = n.stringAttr("coordinate_transformation_mode", "half_pixel");
        if (coordinates.equals("tf_crop_and_resize")) {
            throw n.error("coordinate_transformation_mode 'tf_crop_and_resize' is not supported");
        }
        Resize.Builder b = Resize.builder().mode(mode).coordinateTransformationMode(coordinates)
                .nearestMode(n.stringAttr("nearest_mode", "round_prefer_floor"));
        int[] axes = n.intArrayAttr("axes");
        if (n.hasAttribute("keep_aspect_ratio_policy")) {
            b.keepAspectRatioPolicy(n.stringAttr("keep_aspect_ratio_policy", "stretch"));
        }
        if (sizesOverride != null) {
            if (axes != null) {
                throw n.error("a dynamic sizes input together with the axes attribute is not supported");
            }
            return b.axes(axesOverride).sizes(sizesOverride).build();
        }
        if (axes != null) {
            b.axes(axes);
        }
        boolean hasSizes = n.hasInput(3) && n.constant(3).size() > 0;
        boolean hasScales = n.hasInput(2) && n.constant(2).size() > 0;
        if (hasSizes) {
            b.sizes(ints(n, n.constantLongs(3)));
        } else if (hasScales) {
            b.scales(n.constantFloats(2));
        } else {
            throw n.error("Resize needs non-empty scales (input 2) or sizes (input 3)");
        }
        return b.build();
    }
}
