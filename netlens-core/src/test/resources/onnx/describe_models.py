#!/usr/bin/python3
"""Reference descriptions of ONNX files, written with the official `onnx` Python package.

OnnxRealFilesTest parses the same files with netlens' OnnxReader and compares its own description
with the one this script writes, line by line (numbers compared numerically).

Run from this directory with a Python that has `onnx` and `numpy` (on the dev machines that is
/usr/bin/python3, not the pyenv `python3`):

    /usr/bin/python3 describe_models.py

It does two things:
  1. (re)generates the small synthetic models under generated/ with onnx.helper: every tensor type
     in typed fields (float16 in int32_data, uint64 in uint64_data, ...) and in raw_data, every
     attribute type, metadata, several opsets, symbolic dims, nested graphs, a model with external
     data, and a model with a sparse initializer (which netlens rejects);
  2. writes descriptions.txt for ~30 models and some test-vector tensors of the Debian package
     libonnx-testdata (/usr/include/onnx/backend/test/data) plus the generated models.

Format (one item per line, tokens separated by single spaces):
  strings/bytes are '"' + percent-encoded UTF-8 (unreserved A-Za-z0-9_.-~ kept) + '"';
  floats are Python repr, nan / inf / -inf; lists are [a,b,c];
  a tensor is `<kind> <name> <TYPE> dims=[..] n=<count> sum=<s> abs=<sum of |v|> head=[first 6 values]`
  (strings: `head=[...]` only).
"""
import os
import urllib.parse

import numpy as np
import onnx
from onnx import AttributeProto, TensorProto, helper, numpy_helper

DATA = "/usr/include/onnx/backend/test/data"
HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "generated")

MODELS = [
    "node/test_conv_with_strides_padding",     # Conv, INTS attributes (ORT round trip in the Java test)
    "node/test_constant",                      # TENSOR attribute, float_data
    "node/test_constantofshape_int_zeros",     # TENSOR attribute, INT32 in int32_data
    "node/test_cast_FLOAT_to_FLOAT16",         # STRING-free cast, float16 value infos
    "node/test_cast_FLOAT16_to_DOUBLE",
    "node/test_cast_FLOAT_to_BFLOAT16",
    "node/test_cast_STRING_to_FLOAT",          # string inputs
    "node/test_if",                            # GRAPH attributes
    "node/test_loop11",                        # loop body subgraph
    "node/test_loop16_seq_none",               # subgraphs two deep, optional/sequence types
    "node/test_if_opt",                        # TYPE_PROTO attribute
    "node/test_scan9_sum",
    "node/test_strnormalizer_export_monday_casesensintive_lower",  # STRINGS attribute
    "simple/test_gradient_of_add",             # STRINGS, two opsets
    "simple/test_sequence_model1",             # INT64 initializer in int64_data, empty dims
    "simple/test_strnorm_model_monday_casesensintive_lower",
    "pytorch-operator/test_operator_addconstant",   # DOUBLE tensor attribute
    "pytorch-operator/test_operator_non_float_params",  # INT64 raw initializers
    "pytorch-converted/test_Conv2d",           # float raw initializers
    "pytorch-converted/test_BatchNorm2d_eval",
    "pytorch-converted/test_Linear",
    "node/test_batchnorm_epsilon",             # FLOAT attribute
    "node/test_averagepool_2d_same_upper",     # STRING attribute
    "node/test_sequence_map_add_1_sequence_1_tensor_expanded",  # BOOL int32_data, dim_param
    "node/test_range_float_type_positive_delta_expanded",       # value info without type
    "node/test_layer_normalization_2d_axis0_expanded",          # INT64 tensor attributes
    "node/test_gemm_all_attributes",
    "node/test_maxpool_2d_pads",
    "node/test_relu",
    "node/test_resize_upsample_scales_linear",
    "node/test_dropout_default",
    "node/test_slice",
    "node/test_adam",
    "node/test_argmax_keepdims_example",
]

TENSORS = [
    "node/test_conv_with_strides_padding/test_data_set_0/input_0.pb",
    "node/test_conv_with_strides_padding/test_data_set_0/output_0.pb",
    "node/test_cast_FLOAT_to_FLOAT16/test_data_set_0/output_0.pb",
    "node/test_cast_FLOAT16_to_DOUBLE/test_data_set_0/output_0.pb",
    "node/test_cast_FLOAT_to_STRING/test_data_set_0/output_0.pb",
    "node/test_bitshift_left_uint64/test_data_set_0/input_0.pb",
    "node/test_bitshift_left_uint32/test_data_set_0/input_0.pb",
    "node/test_bitshift_left_uint16/test_data_set_0/input_0.pb",
    "node/test_max_int16/test_data_set_0/input_0.pb",
    "node/test_clip_default_int8_inbounds/test_data_set_0/input_0.pb",
    "node/test_add_uint8/test_data_set_0/input_0.pb",
    "node/test_and2d/test_data_set_0/output_0.pb",
    "node/test_argmax_keepdims_example/test_data_set_0/output_0.pb",
    "node/test_basic_convinteger/test_data_set_0/output_0.pb",
]

GENERATED_MODELS = ["typed_fields.onnx", "external_data.onnx"]


def q(value):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return '"' + urllib.parse.quote(bytes(value), safe="") + '"'


def fmt(x):
    x = float(x)
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def lst(items):
    return "[" + ",".join(items) + "]"


def tensor_line(kind, t, base_dir):
    name = TensorProto.DataType.Name(t.data_type)
    dims = lst(str(d) for d in t.dims)
    count = int(np.prod(t.dims)) if len(t.dims) else 1
    if t.data_type == TensorProto.STRING:
        vals = list(t.string_data)
        return f"{kind} {q(t.name)} STRING dims={dims} n={count} head={lst(q(v) for v in vals[:6])}"
    arr = numpy_helper.to_array(t, base_dir)
    if t.data_type == TensorProto.BFLOAT16 and arr.dtype != np.float32:
        arr = (arr.astype(np.uint32) << 16).view(np.float32)
    flat = arr.reshape(-1)
    integral = np.issubdtype(flat.dtype, np.integer) or flat.dtype == np.bool_
    as_f64 = flat.astype(np.float64)
    head = [str(int(v)) if integral else fmt(v) for v in flat[:6]]
    return (f"{kind} {q(t.name)} {name} dims={dims} n={count} sum={fmt(as_f64.sum())} "
            f"abs={fmt(np.abs(as_f64).sum())} head={lst(head)}")


def value_info_line(kind, vi):
    which = vi.type.WhichOneof("value")
    if which != "tensor_type":
        return f"{kind} {q(vi.name)} UNDEFINED *"
    tt = vi.type.tensor_type
    elem = TensorProto.DataType.Name(tt.elem_type)
    if not tt.HasField("shape"):
        return f"{kind} {q(vi.name)} {elem} *"
    dims = []
    for d in tt.shape.dim:
        w = d.WhichOneof("value")
        if w == "dim_value" and d.dim_value >= 0:
            dims.append(str(d.dim_value))
        elif w == "dim_param":
            dims.append("$" + q(d.dim_param))
        else:
            dims.append("?")
    return f"{kind} {q(vi.name)} {elem} {lst(dims)}"


def graph_lines(g, base_dir, out):
    out.append(f"graph {q(g.name)} doc={q(g.doc_string)}")
    for t in g.initializer:
        out.append(tensor_line("init", t, base_dir))
    for vi in g.input:
        out.append(value_info_line("input", vi))
    for vi in g.output:
        out.append(value_info_line("output", vi))
    for vi in g.value_info:
        out.append(value_info_line("value_info", vi))
    for n in g.node:
        out.append(f"node {q(n.name)} {q(n.op_type)} {q(n.domain)} in={lst(q(i) for i in n.input)} "
                   f"out={lst(q(o) for o in n.output)}")
        for a in n.attribute:
            tname = AttributeProto.AttributeType.Name(a.type)
            head = f"attr {q(a.name)} {tname}"
            if a.type == AttributeProto.FLOAT:
                out.append(f"{head} f={fmt(a.f)}")
            elif a.type == AttributeProto.INT:
                out.append(f"{head} i={a.i}")
            elif a.type == AttributeProto.STRING:
                out.append(f"{head} s={q(a.s)}")
            elif a.type == AttributeProto.FLOATS:
                out.append(f"{head} floats={lst(fmt(v) for v in a.floats)}")
            elif a.type == AttributeProto.INTS:
                out.append(f"{head} ints={lst(str(v) for v in a.ints)}")
            elif a.type == AttributeProto.STRINGS:
                out.append(f"{head} strings={lst(q(v) for v in a.strings)}")
            elif a.type == AttributeProto.TENSOR:
                out.append(head)
                out.append(tensor_line("tensor", a.t, base_dir))
            elif a.type == AttributeProto.TENSORS:
                out.append(f"{head} n={len(a.tensors)}")
                for t in a.tensors:
                    out.append(tensor_line("tensor", t, base_dir))
            elif a.type == AttributeProto.GRAPH:
                out.append(head)
                graph_lines(a.g, base_dir, out)
            elif a.type == AttributeProto.GRAPHS:
                out.append(f"{head} n={len(a.graphs)}")
                for sub in a.graphs:
                    graph_lines(sub, base_dir, out)
            elif a.type == AttributeProto.TYPE_PROTO:
                out.append(f"{head} bytes={len(a.tp.SerializeToString())}")
            elif a.type == AttributeProto.SPARSE_TENSOR:
                out.append(f"{head} bytes={len(a.sparse_tensor.SerializeToString())}")
            elif a.type == AttributeProto.TYPE_PROTOS:
                out.append(f"{head} bytes={lst(str(len(v.SerializeToString())) for v in a.type_protos)}")
            elif a.type == AttributeProto.SPARSE_TENSORS:
                out.append(f"{head} bytes={lst(str(len(v.SerializeToString())) for v in a.sparse_tensors)}")
            else:
                raise ValueError(f"unhandled attribute type {tname}")
    out.append("endgraph")


def model_lines(ref, path):
    m = onnx.load(path, load_external_data=False)
    base_dir = os.path.dirname(path)
    out = [f"model {ref}",
           f"ir {m.ir_version} model_version={m.model_version}",
           f"producer {q(m.producer_name)} {q(m.producer_version)} domain={q(m.domain)} doc={q(m.doc_string)}"]
    for o in m.opset_import:
        out.append(f"opset {q(o.domain)} {o.version}")
    for p in m.metadata_props:
        out.append(f"meta {q(p.key)} {q(p.value)}")
    graph_lines(m.graph, base_dir, out)
    out.append("end")
    return out


def tensor_file_lines(ref, path):
    t = TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return [f"pb {ref}", tensor_line("tensor", t, os.path.dirname(path)), "end"]


# ---- synthetic models ----------------------------------------------------------------------

def typed_and_raw_tensors(prefix):
    rng = np.random.RandomState(7)
    out = []
    specs = [
        (TensorProto.FLOAT, np.float32, [2, 3]),
        (TensorProto.DOUBLE, np.float64, [3]),
        (TensorProto.FLOAT16, np.float16, [2, 2]),
        (TensorProto.INT8, np.int8, [4]),
        (TensorProto.UINT8, np.uint8, [4]),
        (TensorProto.INT16, np.int16, [4]),
        (TensorProto.UINT16, np.uint16, [4]),
        (TensorProto.INT32, np.int32, [2, 2]),
        (TensorProto.INT64, np.int64, [3]),
        (TensorProto.UINT32, np.uint32, [3]),
        (TensorProto.UINT64, np.uint64, [3]),
        (TensorProto.BOOL, np.bool_, [5]),
    ]
    for code, dtype, dims in specs:
        tname = TensorProto.DataType.Name(code).lower()
        if dtype == np.bool_:
            arr = rng.rand(*dims) > 0.5
        elif np.issubdtype(dtype, np.floating):
            arr = (rng.randn(*dims) * 3).astype(dtype)
        else:
            info = np.iinfo(dtype)
            arr = np.array([info.min, info.max, 0, 1, 2, 3][:int(np.prod(dims))] * 1, dtype=dtype)
            arr = np.resize(arr, dims)
        typed = helper.make_tensor(f"{prefix}{tname}_typed", code, dims, arr.reshape(-1).tolist(), raw=False)
        raw = numpy_helper.from_array(arr, f"{prefix}{tname}_raw")
        out += [typed, raw]
    # bfloat16 only exists in typed form in onnx.helper (bits in int32_data)
    out.append(helper.make_tensor(f"{prefix}bfloat16_typed", TensorProto.BFLOAT16, [3], [1.0, -2.5, 3.140625]))
    out.append(helper.make_tensor(f"{prefix}string", TensorProto.STRING, [2, 2],
                                  [b"a", "h\u00e9llo".encode(), b"", b"x y=z,w"]))
    out.append(helper.make_tensor(f"{prefix}scalar", TensorProto.FLOAT, [], [42.0]))
    out.append(helper.make_tensor(f"{prefix}empty", TensorProto.FLOAT, [0, 3], []))
    return out


def make_typed_fields_model():
    sub_then = helper.make_graph(
        [helper.make_node("Identity", ["sub_init"], ["y_then"], name="sub_id")], "then_branch", [],
        [helper.make_tensor_value_info("y_then", TensorProto.FLOAT, [2])],
        initializer=[helper.make_tensor("sub_init", TensorProto.FLOAT, [2], [1.5, -1.5])],
        doc_string="a subgraph")
    inner = helper.make_graph(
        [helper.make_node("Neg", ["a"], ["b"], name="inner_neg")], "inner", 
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["M"])],
        [helper.make_tensor_value_info("b", TensorProto.FLOAT, ["M"])])
    nested = helper.make_graph(
        [helper.make_node("Wrap", [], ["c"], name="wrap", domain="netlens.test", body=inner)], "nested", [],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, None)])
    sparse = helper.make_sparse_tensor(
        helper.make_tensor("sp_values", TensorProto.FLOAT, [2], [5.0, 6.0]),
        helper.make_tensor("sp_indices", TensorProto.INT64, [2], [1, 3]), [4])
    seq_type = helper.make_sequence_type_proto(helper.make_tensor_type_proto(TensorProto.FLOAT, [2, "K"]))
    node = helper.make_node(
        "AllAttributes", ["x", "", "y"], ["out1", ""], name="all attributes, one node",
        domain="netlens.test", doc_string="every attribute type",
        a_float=0.1, a_int=-7, a_string="h\u00e9llo w=rld", a_floats=[1.5, -0.25, 1e-8, 3.4e38],
        a_ints=[0, -1, 2**40, -(2**62)], a_strings=[b"one", b"", "tw\u00f6".encode()],
        a_tensor=helper.make_tensor("t_double", TensorProto.DOUBLE, [2], [0.1, -2.0]),
        a_tensors=[helper.make_tensor("t1", TensorProto.INT64, [2], [1, -2]),
                   helper.make_tensor("t2", TensorProto.FLOAT16, [1], [0.5])],
        a_graph=sub_then, a_graphs=[nested, sub_then],
        a_sparse=sparse, a_sparses=[sparse, sparse],
        a_type=seq_type, a_types=[seq_type, helper.make_tensor_type_proto(TensorProto.INT8, None)])
    inits = typed_and_raw_tensors("")
    graph = helper.make_graph(
        [node, helper.make_node("Relu", ["out1"], ["z"])], "typed_fields",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, None]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT16, []),
         helper.make_tensor_sequence_value_info("s", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, None),
         helper.make_tensor_value_info("u", TensorProto.UINT64, ["batch", "seq"])],
        initializer=inits,
        value_info=[helper.make_tensor_value_info("out1", TensorProto.FLOAT, [1, 2, 3])],
        doc_string="graph doc")
    model = helper.make_model(graph, producer_name="describe_models.py", producer_version="1.0",
                              domain="dev.netlens.test", model_version=3, doc_string="typed fields",
                              opset_imports=[helper.make_opsetid("", 13),
                                             helper.make_opsetid("netlens.test", 1)])
    helper.set_model_props(model, {"netlens.classes": '["cat","dog"]', "netlens.input_size": "224,224",
                                   "k\u00e9y": "v\u00e4lue"})
    onnx.save(model, os.path.join(GEN, "typed_fields.onnx"))


def make_external_data_model():
    rng = np.random.RandomState(3)
    w = numpy_helper.from_array(rng.randn(4, 2, 3, 3).astype(np.float32), "W")
    b = numpy_helper.from_array(rng.randn(4).astype(np.float32), "B")
    shape = numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "flat_shape")
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "W", "B"], ["c"], name="conv", pads=[1, 1, 1, 1]),
         helper.make_node("Reshape", ["c", "flat_shape"], ["y"], name="flatten")],
        "external", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 5, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 100])], initializer=[w, b, shape])
    model = helper.make_model(graph, producer_name="describe_models.py",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    data_file = os.path.join(GEN, "external_data.onnx.data")
    if os.path.exists(data_file):
        os.remove(data_file)  # onnx appends to an existing data file
    onnx.save_model(model, os.path.join(GEN, "external_data.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="external_data.onnx.data", size_threshold=16)


def make_sparse_initializer_model():
    sparse = helper.make_sparse_tensor(
        helper.make_tensor("S", TensorProto.FLOAT, [1], [2.0]),
        helper.make_tensor("S_idx", TensorProto.INT64, [1], [0]), [3])
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "S"], ["y"])], "sparse",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])], sparse_initializer=[sparse])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, os.path.join(GEN, "sparse_initializer.onnx"))


def main():
    os.makedirs(GEN, exist_ok=True)
    make_typed_fields_model()
    make_external_data_model()
    make_sparse_initializer_model()
    lines = ["# written by describe_models.py with onnx " + onnx.__version__ + "; do not edit"]
    for m in MODELS:
        lines += model_lines("data:" + m + "/model.onnx", os.path.join(DATA, m, "model.onnx"))
    for t in TENSORS:
        lines += tensor_file_lines("data:" + t, os.path.join(DATA, t))
    for g in GENERATED_MODELS:
        lines += model_lines("res:generated/" + g, os.path.join(GEN, g))
    with open(os.path.join(HERE, "descriptions.txt"), "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} lines for {len(MODELS) + len(GENERATED_MODELS)} models and {len(TENSORS)} tensors")


if __name__ == "__main__":
    main()
