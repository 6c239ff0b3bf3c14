"""Shared helpers for the netlens fixture generators: summarise the ops of an
exported ONNX graph (op types with counts, plus the variant details that matter
to an importer: attribute-vs-input forms, pooling flags, Resize modes, ...)."""

import collections

import numpy as np
import onnx
from onnx import numpy_helper


def _constants(graph):
    """name -> numpy value for initializers and Constant node outputs."""
    vals = {}
    for init in graph.initializer:
        vals[init.name] = numpy_helper.to_array(init)
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute:
            a = node.attribute[0]
            if a.name == "value":
                vals[node.output[0]] = numpy_helper.to_array(a.t)
            elif a.name in ("value_float",):
                vals[node.output[0]] = np.array(a.f, dtype=np.float32)
            elif a.name in ("value_int",):
                vals[node.output[0]] = np.array(a.i, dtype=np.int64)
            elif a.name in ("value_floats",):
                vals[node.output[0]] = np.array(list(a.floats), dtype=np.float32)
            elif a.name in ("value_ints",):
                vals[node.output[0]] = np.array(list(a.ints), dtype=np.int64)
    return vals


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            v = onnx.helper.get_attribute_value(a)
            if isinstance(v, bytes):
                v = v.decode()
            if isinstance(v, list):
                v = list(v)
            return v
    return default


def _fmt(v):
    if isinstance(v, np.ndarray):
        if v.size == 0:
            return "[]"
        if v.size <= 8:
            flat = v.reshape(-1).tolist()
            flat = [round(x, 6) if isinstance(x, float) else x for x in flat]
            return "[" + ",".join(str(x) for x in flat) + "]" if v.ndim else str(flat[0])
        return "<%s %s>" % (v.dtype, list(v.shape))
    if isinstance(v, float):
        return str(round(v, 6))
    if isinstance(v, list):
        return "[" + ",".join(_fmt(x) for x in v) + "]"
    return str(v)


def _input_kind(node, i, consts):
    """describe input i: '-' missing, 'empty' const empty tensor, const value, or 'dyn'."""
    if i >= len(node.input) or node.input[i] == "":
        return "-"
    name = node.input[i]
    if name in consts:
        return "const" + _fmt(consts[name]) if consts[name].size else "empty"
    return "dyn"


def node_detail(node, consts):
    """Return a short string describing the variant of this node, or None."""
    op = node.op_type
    a = lambda n, d=None: _attr(node, n, d)
    k = lambda i: _input_kind(node, i, consts)
    if op == "Clip":
        if a("min") is not None or a("max") is not None:
            return "Clip(min/max attrs)"
        return "Clip(min=%s,max=%s)" % (k(1), k(2))
    if op == "Pad":
        if a("pads") is not None:
            return "Pad(mode=%s,pads=attr)" % a("mode", "constant")
        return "Pad(mode=%s,pads=%s,value=%s)" % (a("mode", "constant"), k(1), k(2))
    if op == "Resize":
        return "Resize(mode=%s,ctm=%s,nearest=%s,roi=%s,scales=%s,sizes=%s)" % (
            a("mode", "nearest"), a("coordinate_transformation_mode", "half_pixel"),
            a("nearest_mode", "round_prefer_floor") if a("mode", "nearest") == "nearest" else "n/a",
            k(1), k(2), k(3))
    if op == "Upsample":
        return "Upsample(mode=%s,scales=%s)" % (a("mode", "nearest"), k(1))
    if op in ("Squeeze", "Unsqueeze"):
        if a("axes") is not None:
            return "%s(axes=attr%s)" % (op, _fmt(a("axes")))
        return "%s(axes=input:%s)" % (op, k(1))
    if op.startswith("Reduce"):
        if a("axes") is not None:
            ax = "attr" + _fmt(a("axes"))
        elif len(node.input) > 1:
            ax = "input:" + k(1)
        else:
            ax = "all"
        return "%s(axes=%s,keepdims=%s)" % (op, ax, a("keepdims", 1))
    if op in ("Softmax", "LogSoftmax", "Hardmax"):
        return "%s(axis=%s)" % (op, a("axis", "default"))
    if op == "Split":
        if a("split") is not None:
            s = "attr" + _fmt(a("split"))
        elif len(node.input) > 1:
            s = "input:" + k(1)
        else:
            s = "equal"
        return "Split(axis=%s,split=%s,outputs=%d)" % (a("axis", 0), s, len(node.output))
    if op in ("MaxPool", "AveragePool"):
        s = "%s(k=%s,s=%s,p=%s,ceil=%s" % (op, _fmt(a("kernel_shape")), _fmt(a("strides", [])),
                                           _fmt(a("pads", [])), a("ceil_mode", 0))
        if op == "AveragePool":
            s += ",count_include_pad=%s" % a("count_include_pad", 0)
        if a("dilations") is not None:
            s += ",dil=%s" % _fmt(a("dilations"))
        return s + ")"
    if op in ("Conv", "ConvTranspose"):
        parts = ["k=%s" % _fmt(a("kernel_shape"))]
        if a("group", 1) != 1:
            parts.append("group=%s" % a("group"))
        d = a("dilations")
        if d is not None and any(x != 1 for x in d):
            parts.append("dil=%s" % _fmt(d))
        st = a("strides")
        if st is not None and any(x != 1 for x in st):
            parts.append("s=%s" % _fmt(st))
        p = a("pads")
        if p is not None and any(x != 0 for x in p):
            parts.append("p=%s" % _fmt(p))
        if a("output_padding") is not None:
            parts.append("output_padding=%s" % _fmt(a("output_padding")))
        if a("output_shape") is not None:
            parts.append("output_shape=%s" % _fmt(a("output_shape")))
        if a("auto_pad") not in (None, "NOTSET"):
            parts.append("auto_pad=%s" % a("auto_pad"))
        parts.append("bias=%s" % ("yes" if len(node.input) > 2 and node.input[2] else "no"))
        return "%s(%s)" % (op, ",".join(parts))
    if op == "Gemm":
        return "Gemm(transA=%s,transB=%s,alpha=%s,beta=%s,C=%s)" % (
            a("transA", 0), a("transB", 0), _fmt(a("alpha", 1.0)), _fmt(a("beta", 1.0)),
            "yes" if len(node.input) > 2 and node.input[2] else "no")
    if op in ("HardSigmoid",):
        return "HardSigmoid(alpha=%s,beta=%s)" % (_fmt(a("alpha", 0.2)), _fmt(a("beta", 0.5)))
    if op in ("LeakyRelu", "Elu"):
        return "%s(alpha=%s)" % (op, _fmt(a("alpha", 0.01 if op == "LeakyRelu" else 1.0)))
    if op == "Selu":
        return "Selu(alpha=%s,gamma=%s)" % (_fmt(a("alpha", 1.67326)), _fmt(a("gamma", 1.0507)))
    if op == "Cast":
        return "Cast(to=%s)" % onnx.TensorProto.DataType.Name(a("to"))
    if op in ("Flatten", "Concat", "Gather"):
        return "%s(axis=%s)" % (op, a("axis", 1 if op == "Flatten" else 0))
    if op == "Transpose":
        return "Transpose(perm=%s)" % _fmt(a("perm"))
    if op == "Reshape":
        return "Reshape(shape=%s%s)" % (k(1), ",allowzero=%s" % a("allowzero") if a("allowzero") else "")
    if op == "BatchNormalization":
        return "BatchNormalization(eps=%s,outputs=%d)" % (_fmt(a("epsilon", 1e-5)), len(node.output))
    if op == "Dropout":
        return "Dropout(ratio=%s,training_mode=%s,outputs=%d)" % (k(1), k(2), len(node.output))
    if op == "Slice":
        if a("starts") is not None:
            return "Slice(attrs)"
        return "Slice(starts=%s,ends=%s,axes=%s,steps=%s)" % (k(1), k(2), k(3), k(4))
    if op == "Expand":
        return "Expand(shape=%s)" % k(1)
    if op == "ConstantOfShape":
        v = _attr(node, "value")
        return "ConstantOfShape(value=%s)" % (_fmt(numpy_helper.to_array(v)) if v is not None else "0.0")
    if op == "LRN":
        return "LRN(size=%s,alpha=%s,beta=%s,bias=%s)" % (a("size"), _fmt(a("alpha", 1e-4)),
                                                          _fmt(a("beta", 0.75)), _fmt(a("bias", 1.0)))
    if op == "Pow":
        return "Pow(exponent=%s)" % k(1)
    if op == "Gelu":
        return "Gelu(approximate=%s)" % a("approximate", "none")
    return None


def _walk_nodes(graph):
    for node in graph.node:
        yield graph, node
        for at in node.attribute:
            if at.type == onnx.AttributeProto.GRAPH:
                yield from _walk_nodes(at.g)
            elif at.type == onnx.AttributeProto.GRAPHS:
                for g in at.graphs:
                    yield from _walk_nodes(g)


def inventory(model):
    """Return (ops_str 'Op:count,...' sorted by name, details_str 'a; b; ...')."""
    counts = collections.Counter()
    details = []
    const_cache = {}
    for g, node in _walk_nodes(model.graph):
        counts[node.op_type] += 1
        if id(g) not in const_cache:
            const_cache[id(g)] = _constants(g)
        d = node_detail(node, const_cache[id(g)])
        if d is not None and d not in details:
            details.append(d)
    ops = ",".join("%s:%d" % (k, counts[k]) for k in sorted(counts))
    return ops, "; ".join(details)


def check(model):
    """onnx.checker (full_check incl. strict shape inference when possible)."""
    onnx.checker.check_model(model)
    try:
        onnx.checker.check_model(model, full_check=True)
        return "ok(full)"
    except Exception as e:  # shape inference complaint, still structurally valid
        return "ok(basic; full_check: %s)" % str(e).splitlines()[0][:120]


def opset_of(model):
    for imp in model.opset_import:
        if imp.domain in ("", "ai.onnx"):
            return imp.version
    return None
