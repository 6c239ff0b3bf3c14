package dev.netlens.core.onnx;

import java.util.Arrays;
import java.util.Set;

/**
 * Evaluates ONNX nodes whose inputs are all known at load time — the shape computations that
 * exporters emit around Reshape, Expand, Slice, Resize, … (Shape, Gather, Cast, ConstantOfShape,
 * Constant, Range, Equal, Where, Expand, Tile, Concat, Unsqueeze, arithmetic, …). Integer values
 * are computed exactly in int64. Nodes it does not know are folded by running the engine's own op
 * instead (see {@link OnnxImporter}).
 */
final class ConstantFolder {
    /** Op types evaluated here. */
    static final Set<String> OPS = Set.of("Constant", "Identity", "Gather", "Cast", "CastLike", "ConstantOfShape",
            "Range", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Where",
            "Expand", "Tile", "Unsqueeze", "Squeeze", "Concat", "Slice", "Reshape", "Transpose", "Flatten",
            "Add", "Sub", "Mul", "Div", "Mod", "Neg", "Abs", "Floor", "Ceil", "Sqrt", "Min", "Max", "Pow",
            "ReduceProd", "ReduceSum", "ReduceMin", "ReduceMax", "ReduceMean", "Sign", "Size", "Shape");

    private ConstantFolder() {
    }

    /** Shape (and Size) of a value of known shape, with ONNX-15 start/end. */
    static ConstantValue shapeOf(NodeView n, long[] dims) {
        if (n.opType().equals("Size")) {
            long count = 1;
            for (long d : dims) {
                count *= d;
            }
            return ConstantValue.scalarLong(count);
        }
        int rank = dims.length;
        long start = n.intAttr("start", 0);
        long end = n.intAttr("end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        long[] out = end > start ? Arrays.copyOfRange(dims, (int) start, (int) end) : new long[0];
        return ConstantValue.ofLongs(new long[] {out.length}, OnnxDataType.INT64, out);
    }

    static ConstantValue[] evaluate(NodeView n, ConstantValue[] in) {
        String op = n.opType();
        ConstantValue r = switch (op) {
            case "Constant" -> constant(n);
            case "Identity" -> in[0];
            case "Shape", "Size" -> shapeOf(n, in[0].dims);
            case "Gather" -> gather(n, in[0], in[1]);
            case "Cast" -> cast(in[0], OnnxDataType.of((int) n.intAttr("to", 1)));
            case "CastLike" -> cast(in[0], in[1].type);
            case "ConstantOfShape" -> constantOfShape(n, in[0]);
            case "Range" -> range(in[0], in[1], in[2]);
            case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or" -> compare(op, in[0], in[1]);
            case "Not" -> map(in[0], OnnxDataType.BOOL, v -> v == 0 ? 1 : 0, null);
            case "Where" -> where(in[0], in[1], in[2]);
            case "Expand" -> expand(in[0], in[1].asLongs());
            case "Tile" -> tile(in[0], in[1].asLongs());
            case "Unsqueeze" -> unsqueeze(in[0], n.opset >= 13 ? in[1].asLongs() : n.intsAttr("axes"));
            case "Squeeze" -> squeeze(in[0], n.opset >= 13 ? (in.length > 1 && in[1] != null ? in[1].asLongs() : null)
                    : n.intsAttr("axes"));
            case "Concat" -> concat(in, n.intAttr("axis", 0));
            case "Slice" -> slice(n, in);
            case "Reshape" -> reshape(in[0], in[1].asLongs(), n.intAttr("allowzero", 0) != 0);
            case "Transpose" -> transpose(in[0], n.intsAttr("perm"));
            case "Flatten" -> flatten(in[0], n.intAttr("axis", 1));
            case "Add", "Sub", "Mul", "Div", "Mod", "Pow", "Min", "Max" -> binaryFold(op, in);
            case "Neg" -> map(in[0], in[0].type, v -> -v, v -> -v);
            case "Abs" -> map(in[0], in[0].type, Math::abs, Math::abs);
            case "Sign" -> map(in[0], in[0].type, v -> Long.signum(v), Math::signum);
            case "Floor" -> map(in[0], in[0].type, v -> v, Math::floor);
            case "Ceil" -> map(in[0], in[0].type, v -> v, Math::ceil);
            case "Sqrt" -> map(in[0], in[0].type, v -> (long) Math.sqrt(v), Math::sqrt);
            case "ReduceProd", "ReduceSum", "ReduceMin", "ReduceMax", "ReduceMean" -> reduce(n, in);
            default -> null;
        };
        return r == null ? null : new ConstantValue[] {r};
    }

    private static ConstantValue constant(NodeView n) {
        OnnxTensor t = n.tensorAttr("value");
        if (t != null) {
            return ConstantValue.of(t);
        }
        if (n.hasAttribute("value_float")) {
            return ConstantValue.ofDoubles(new long[0], OnnxDataType.FLOAT, new double[] {n.floatAttr("value_float", 0)});
        }
        if (n.hasAttribute("value_floats")) {
            float[] f = n.floatsAttr("value_floats");
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return ConstantValue.ofDoubles(new long[] {f.length}, OnnxDataType.FLOAT, d);
        }
        if (n.hasAttribute("value_int")) {
            return ConstantValue.scalarLong(n.intAttr("value_int", 0));
        }
        if (n.hasAttribute("value_ints")) {
            long[] v = n.intsAttr("value_ints");
            return ConstantValue.ofLongs(new long[] {v.length}, OnnxDataType.INT64, v);
        }
        throw n.error("Constant needs a value, value_float(s) or value_int(s) attribute"
                + " (sparse and string constants are not supported)");
    }

    @FunctionalInterface
    private interface LongOp {
        long apply(long v);
    }

    @FunctionalInterface
    private interface DoubleOp {
        double apply(double v);
    }

    private static ConstantValue map(ConstantValue x, OnnxDataType type, LongOp l, DoubleOp d) {
        if (x.integral()) {
            long[] out = new long[x.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = l.apply(x.longs()[i]);
            }
            return ConstantValue.ofLongs(x.dims, type, out);
        }
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.apply(x.doubles()[i]);
        }
        return ConstantValue.ofDoubles(x.dims, type, out);
    }

    static ConstantValue cast(ConstantValue x, OnnxDataType to) {
        if (to.isIntegral()) {
            long[] out = new long[x.size()];
            for (int i = 0; i < out.length; i++) {
                long v = x.integral() ? x.longs()[i] : (long) x.doubles()[i];
                out[i] = to == OnnxDataType.BOOL ? (x.doubleAt(i) != 0 ? 1 : 0) : v;
            }
            return ConstantValue.ofLongs(x.dims, to, out);
        }
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = to == OnnxDataType.FLOAT ? (float) x.doubleAt(i) : x.doubleAt(i);
        }
        return ConstantValue.ofDoubles(x.dims, to, out);
    }

    private static ConstantValue constantOfShape(NodeView n, ConstantValue shape) {
        long[] dims = shape.asLongs();
        OnnxTensor v = n.tensorAttr("value");
        ConstantValue fill = v == null ? ConstantValue.ofDoubles(new long[] {1}, OnnxDataType.FLOAT, new double[] {0})
                : ConstantValue.of(v);
        int count = (int) OnnxTensor.elementCount(dims, "ConstantOfShape output");
        if (fill.integral()) {
            long[] out = new long[count];
            Arrays.fill(out, fill.longs()[0]);
            return ConstantValue.ofLongs(dims, fill.type, out);
        }
        double[] out = new double[count];
        Arrays.fill(out, fill.doubles()[0]);
        return ConstantValue.ofDoubles(dims, fill.type, out);
    }

    private static ConstantValue range(ConstantValue start, ConstantValue limit, ConstantValue delta) {
        if (start.integral()) {
            long s = start.longAt(0);
            long l = limit.longAt(0);
            long d = delta.longAt(0);
            if (d == 0) {
                throw new OnnxImportException("Range with delta 0");
            }
            long n = Math.max(0, (long) Math.ceil((double) (l - s) / d));
            long[] out = new long[Math.toIntExact(n)];
            for (int i = 0; i < out.length; i++) {
                out[i] = s + i * d;
            }
            return ConstantValue.ofLongs(new long[] {n}, start.type, out);
        }
        double s = start.doubleAt(0);
        double d = delta.doubleAt(0);
        long n = Math.max(0, (long) Math.ceil((limit.doubleAt(0) - s) / d));
        double[] out = new double[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = s + i * d;
        }
        return ConstantValue.ofDoubles(new long[] {n}, start.type, out);
    }

    /** Row-major index of the output element {@code flat} in an operand broadcast from {@code dims}. */
    private static int broadcastIndex(long[] outDims, long[] dims, int flat) {
        int rank = outDims.length;
        int offset = 0;
        int stride = 1;
        int rest = flat;
        int[] idx = new int[rank];
        for (int d = rank - 1; d >= 0; d--) {
            idx[d] = (int) (rest % outDims[d]);
            rest /= outDims[d];
        }
        for (int d = dims.length - 1, od = rank - 1; d >= 0; d--, od--) {
            if (dims[d] != 1) {
                offset += idx[od] * stride;
            }
            stride *= dims[d];
        }
        return offset;
    }

    static long[] broadcastDims(long[]... all) {
        int rank = 0;
        for (long[] d : all) {
            rank = Math.max(rank, d.length);
        }
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] d : all) {
            for (int i = 0; i < d.length; i++) {
                int o = rank - d.length + i;
                if (d[i] != 1) {
                    if (out[o] != 1 && out[o] != d[i]) {
                        throw new OnnxImportException("shapes " + Arrays.toString(all[0]) + " and " + Arrays.toString(d)
                                + " cannot be broadcast");
                    }
                    out[o] = d[i];
                }
            }
        }
        return out;
    }

    private static ConstantValue binaryFold(String op, ConstantValue[] in) {
        ConstantValue r = in[0];
        for (int k = 1; k < in.length; k++) {
            r = binary(op, r, in[k]);
        }
        return r;
    }

    private static ConstantValue binary(String op, ConstantValue a, ConstantValue b) {
        long[] dims = broadcastDims(a.dims, b.dims);
        int n = (int) OnnxTensor.elementCount(dims, op);
        if (a.integral() && b.integral() && !op.equals("Pow")) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                long x = a.longs()[broadcastIndex(dims, a.dims, i)];
                long y = b.longs()[broadcastIndex(dims, b.dims, i)];
                out[i] = switch (op) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    case "Div" -> {
                        if (y == 0) {
                            throw new OnnxImportException("integer division by zero while folding constants");
                        }
                        yield x / y;
                    }
                    case "Mod" -> y == 0 ? 0 : Math.floorMod(x, y);
                    case "Min" -> Math.min(x, y);
                    default -> Math.max(x, y);
                };
            }
            return ConstantValue.ofLongs(dims, a.type, out);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double x = a.doubleAt(broadcastIndex(dims, a.dims, i));
            double y = b.doubleAt(broadcastIndex(dims, b.dims, i));
            out[i] = switch (op) {
                case "Add" -> x + y;
                case "Sub" -> x - y;
                case "Mul" -> x * y;
                case "Div" -> x / y;
                case "Mod" -> x % y;
                case "Pow" -> Math.pow(x, y);
                case "Min" -> Math.min(x, y);
                default -> Math.max(x, y);
            };
        }
        if (a.integral()) {
            long[] l = new long[n];
            for (int i = 0; i < n; i++) {
                l[i] = (long) out[i];
            }
            return ConstantValue.ofLongs(dims, a.type, l);
        }
        return ConstantValue.ofDoubles(dims, a.type, out);
    }

    private static ConstantValue compare(String op, ConstantValue a, ConstantValue b) {
        long[] dims = broadcastDims(a.dims, b.dims);
        int n = (int) OnnxTensor.elementCount(dims, op);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            double x = a.doubleAt(broadcastIndex(dims, a.dims, i));
            double y = b.doubleAt(broadcastIndex(dims, b.dims, i));
            boolean v = switch (op) {
                case "Equal" -> x == y;
                case "Less" -> x < y;
                case "Greater" -> x > y;
                case "LessOrEqual" -> x <= y;
                case "GreaterOrEqual" -> x >= y;
                case "And" -> x != 0 && y != 0;
                default -> x != 0 || y != 0;
            };
            out[i] = v ? 1 : 0;
        }
        return ConstantValue.ofLongs(dims, OnnxDataType.BOOL, out);
    }

    private static ConstantValue where(ConstantValue c, ConstantValue x, ConstantValue y) {
        long[] dims = broadcastDims(c.dims, x.dims, y.dims);
        int n = (int) OnnxTensor.elementCount(dims, "Where");
        boolean integral = x.integral();
        long[] l = integral ? new long[n] : null;
        double[] d = integral ? null : new double[n];
        for (int i = 0; i < n; i++) {
            boolean pick = c.longAt(broadcastIndex(dims, c.dims, i)) != 0;
            ConstantValue s = pick ? x : y;
            int j = broadcastIndex(dims, s.dims, i);
            if (integral) {
                l[i] = s.longAt(j);
            } else {
                d[i] = s.doubleAt(j);
            }
        }
        return integral ? ConstantValue.ofLongs(dims, x.type, l) : ConstantValue.ofDoubles(dims, x.type, d);
    }

    /** Gathers elements by flat source index into a new value of the given dims. */
    private static ConstantValue pick(ConstantValue x, long[] dims, int[] sourceIndex) {
        if (x.integral()) {
            long[] out = new long[sourceIndex.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = x.longs()[sourceIndex[i]];
            }
            return ConstantValue.ofLongs(dims, x.type, out);
        }
        double[] out = new double[sourceIndex.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x.doubles()[sourceIndex[i]];
        }
        return ConstantValue.ofDoubles(dims, x.type, out);
    }

    private static ConstantValue expand(ConstantValue x, long[] shape) {
        long[] dims = broadcastDims(x.dims, shape);
        int n = (int) OnnxTensor.elementCount(dims, "Expand");
        int[] src = new int[n];
        for (int i = 0; i < n; i++) {
            src[i] = broadcastIndex(dims, x.dims, i);
        }
        return pick(x, dims, src);
    }

    private static ConstantValue tile(ConstantValue x, long[] repeats) {
        if (repeats.length != x.rank()) {
            throw new OnnxImportException("Tile repeats " + Arrays.toString(repeats) + " do not match rank " + x.rank());
        }
        long[] dims = new long[x.rank()];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = x.dims[d] * repeats[d];
        }
        int n = (int) OnnxTensor.elementCount(dims, "Tile");
        int[] src = new int[n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            int off = 0;
            int stride = 1;
            for (int d = dims.length - 1; d >= 0; d--) {
                int idx = (int) (rest % dims[d]);
                rest /= dims[d];
                off += (int) (idx % x.dims[d]) * stride;
                stride *= x.dims[d];
            }
            src[i] = off;
        }
        return pick(x, dims, src);
    }

    private static ConstantValue gather(NodeView n, ConstantValue data, ConstantValue indices) {
        int rank = data.rank();
        int axis = (int) n.intAttr("axis", 0);
        if (axis < 0) {
            axis += rank;
        }
        if (axis < 0 || axis >= rank) {
            throw n.error("Gather axis out of range for rank " + rank);
        }
        long extent = data.dims[axis];
        long[] dims = new long[rank - 1 + indices.rank()];
        System.arraycopy(data.dims, 0, dims, 0, axis);
        System.arraycopy(indices.dims, 0, dims, axis, indices.rank());
        System.arraycopy(data.dims, axis + 1, dims, axis + indices.rank(), rank - axis - 1);
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= (int) data.dims[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < rank; d++) {
            inner *= (int) data.dims[d];
        }
        int count = indices.size();
        int[] src = new int[outer * count * inner];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < count; j++) {
                long idx = indices.longAt(j);
                if (idx < 0) {
                    idx += extent;
                }
                if (idx < 0 || idx >= extent) {
                    throw n.error("Gather index " + indices.longAt(j) + " out of range for extent " + extent);
                }
                for (int i = 0; i < inner; i++) {
                    src[k++] = (int) ((o * extent + idx) * inner + i);
                }
            }
        }
        return pick(data, dims, src);
    }

    private static ConstantValue unsqueeze(ConstantValue x, long[] axes) {
        int outRank = x.rank() + axes.length;
        boolean[] inserted = new boolean[outRank];
        for (long a : axes) {
            int ax = (int) (a < 0 ? a + outRank : a);
            if (ax < 0 || ax >= outRank || inserted[ax]) {
                throw new OnnxImportException("Unsqueeze axes " + Arrays.toString(axes) + " invalid for rank " + x.rank());
            }
            inserted[ax] = true;
        }
        long[] dims = new long[outRank];
        for (int d = 0, s = 0; d < outRank; d++) {
            dims[d] = inserted[d] ? 1 : x.dims[s++];
        }
        return reshapeTo(x, dims);
    }

    private static ConstantValue squeeze(ConstantValue x, long[] axes) {
        boolean[] drop = new boolean[x.rank()];
        if (axes == null || axes.length == 0) {
            for (int d = 0; d < x.rank(); d++) {
                drop[d] = x.dims[d] == 1;
            }
        } else {
            for (long a : axes) {
                int ax = (int) (a < 0 ? a + x.rank() : a);
                drop[ax] = true;
            }
        }
        long[] dims = new long[x.rank()];
        int k = 0;
        for (int d = 0; d < x.rank(); d++) {
            if (!drop[d]) {
                dims[k++] = x.dims[d];
            }
        }
        return reshapeTo(x, Arrays.copyOf(dims, k));
    }

    private static ConstantValue reshapeTo(ConstantValue x, long[] dims) {
        return x.integral() ? ConstantValue.ofLongs(dims, x.type, x.longs()) : ConstantValue.ofDoubles(dims, x.type, x.doubles());
    }

    private static ConstantValue reshape(ConstantValue x, long[] target, boolean allowZero) {
        long[] dims = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0 && !allowZero) {
                dims[i] = x.dims[i];
            }
            if (dims[i] == -1) {
                infer = i;
            } else {
                known *= dims[i];
            }
        }
        if (infer >= 0) {
            dims[infer] = known == 0 ? 0 : x.size() / known;
        }
        return reshapeTo(x, dims);
    }

    private static ConstantValue flatten(ConstantValue x, long axis) {
        int a = (int) (axis < 0 ? axis + x.rank() : axis);
        long outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= x.dims[d];
        }
        return reshapeTo(x, new long[] {outer, x.size() / Math.max(1, outer)});
    }

    private static ConstantValue transpose(ConstantValue x, long[] perm) {
        int rank = x.rank();
        if (perm == null) {
            perm = new long[rank];
            for (int d = 0; d < rank; d++) {
                perm[d] = rank - 1 - d;
            }
        }
        long[] dims = new long[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = x.dims[(int) perm[d]];
        }
        long[] inStrides = new long[rank];
        long acc = 1;
        for (int d = rank - 1; d >= 0; d--) {
            inStrides[d] = acc;
            acc *= x.dims[d];
        }
        int n = x.size();
        int[] src = new int[n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            long off = 0;
            for (int d = rank - 1; d >= 0; d--) {
                int idx = (int) (rest % dims[d]);
                rest /= dims[d];
                off += idx * inStrides[(int) perm[d]];
            }
            src[i] = (int) off;
        }
        return pick(x, dims, src);
    }

    private static ConstantValue concat(ConstantValue[] in, long axisAttr) {
        int rank = in[0].rank();
        int axis = (int) (axisAttr < 0 ? axisAttr + rank : axisAttr);
        long[] dims = in[0].dims.clone();
        dims[axis] = 0;
        for (ConstantValue v : in) {
            dims[axis] += v.dims[axis];
        }
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= (int) dims[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < rank; d++) {
            inner *= (int) dims[d];
        }
        boolean integral = in[0].integral();
        int n = (int) OnnxTensor.elementCount(dims, "Concat");
        long[] l = integral ? new long[n] : null;
        double[] dd = integral ? null : new double[n];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (ConstantValue v : in) {
                int len = (int) v.dims[axis] * inner;
                for (int i = 0; i < len; i++) {
                    int j = o * len + i;
                    if (integral) {
                        l[k++] = v.longAt(j);
                    } else {
                        dd[k++] = v.doubleAt(j);
                    }
                }
            }
        }
        return integral ? ConstantValue.ofLongs(dims, in[0].type, l) : ConstantValue.ofDoubles(dims, in[0].type, dd);
    }

    private static ConstantValue slice(NodeView n, ConstantValue[] in) {
        ConstantValue x = in[0];
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (n.opset >= 10) {
            starts = in[1].asLongs();
            ends = in[2].asLongs();
            axes = in.length > 3 && in[3] != null ? in[3].asLongs() : null;
            steps = in.length > 4 && in[4] != null ? in[4].asLongs() : null;
        } else {
            starts = n.intsAttr("starts");
            ends = n.intsAttr("ends");
            axes = n.intsAttr("axes");
            steps = null;
        }
        int rank = x.rank();
        long[] begin = new long[rank];
        long[] step = new long[rank];
        long[] count = x.dims.clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int ax = (int) (axes == null ? i : (axes[i] < 0 ? axes[i] + rank : axes[i]));
            long dim = x.dims[ax];
            long st = steps == null ? 1 : steps[i];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (st > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
                count[ax] = Math.max(0, (e - s + st - 1) / st);
            } else {
                s = Math.max(-1, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
                count[ax] = Math.max(0, (s - e + (-st) - 1) / (-st));
            }
            begin[ax] = s;
            step[ax] = st;
        }
        int total = (int) OnnxTensor.elementCount(count, "Slice");
        int[] src = new int[total];
        long[] strides = new long[rank];
        long acc = 1;
        for (int d = rank - 1; d >= 0; d--) {
            strides[d] = acc;
            acc *= x.dims[d];
        }
        for (int i = 0; i < total; i++) {
            int rest = i;
            long off = 0;
            for (int d = rank - 1; d >= 0; d--) {
                long idx = rest % count[d];
                rest /= count[d];
                off += (begin[d] + idx * step[d]) * strides[d];
            }
            src[i] = (int) off;
        }
        return pick(x, count, src);
    }

    private static ConstantValue reduce(NodeView n, ConstantValue[] in) {
        ConstantValue x = in[0];
        long[] axes = (n.opType().equals("ReduceSum") && n.opset >= 13) || n.opset >= 18
                ? (in.length > 1 && in[1] != null ? in[1].asLongs() : null) : n.intsAttr("axes");
        boolean keep = n.intAttr("keepdims", 1) != 0;
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        if (axes == null || axes.length == 0) {
            if (n.intAttr("noop_with_empty_axes", 0) != 0) {
                return x;
            }
            Arrays.fill(reduced, true);
        } else {
            for (long a : axes) {
                reduced[(int) (a < 0 ? a + rank : a)] = true;
            }
        }
        long[] outDims = new long[rank];
        for (int d = 0; d < rank; d++) {
            outDims[d] = reduced[d] ? 1 : x.dims[d];
        }
        int outN = (int) OnnxTensor.elementCount(outDims, "reduce");
        double[] acc = new double[outN];
        String op = n.opType();
        double init = switch (op) {
            case "ReduceProd" -> 1;
            case "ReduceMin" -> Double.POSITIVE_INFINITY;
            case "ReduceMax" -> Double.NEGATIVE_INFINITY;
            default -> 0;
        };
        Arrays.fill(acc, init);
        int count = x.size() / Math.max(1, outN);
        for (int i = 0; i < x.size(); i++) {
            int rest = i;
            int off = 0;
            int stride = 1;
            for (int d = rank - 1; d >= 0; d--) {
                int idx = (int) (rest % x.dims[d]);
                rest /= x.dims[d];
                if (!reduced[d]) {
                    off += idx * stride;
                }
                stride *= (int) outDims[d];
            }
            double v = x.doubleAt(i);
            acc[off] = switch (op) {
                case "ReduceProd" -> acc[off] * v;
                case "ReduceMin" -> Math.min(acc[off], v);
                case "ReduceMax" -> Math.max(acc[off], v);
                default -> acc[off] + v;
            };
        }
        if (op.equals("ReduceMean")) {
            for (int i = 0; i < outN; i++) {
                acc[i] /= count;
            }
        }
        long[] dims = outDims;
        if (!keep) {
            long[] kept = new long[rank];
            int k = 0;
            for (int d = 0; d < rank; d++) {
                if (!reduced[d]) {
                    kept[k++] = outDims[d];
                }
            }
            dims = Arrays.copyOf(kept, k);
        }
        if (x.integral()) {
            long[] l = new long[outN];
            for (int i = 0; i < outN; i++) {
                l[i] = (long) acc[i];
            }
            return ConstantValue.ofLongs(dims, x.type, l);
        }
        return ConstantValue.ofDoubles(dims, x.type, acc);
    }
}
