#!/usr/bin/python3
"""A tiny ONNX classifier the netlens engine cannot import (it uses Einsum), for the black-box CLI
test: logits[n, k] = sum_{c,h,w} x[n, c, h, w] * W[k, c, h, w] + b[k] for x [N, 3, 8, 8], 4 classes,
dynamic batch, fixed seed, with netlens.classes metadata.  Needs Debian's python3-onnx:

  /usr/bin/python3 netlens-cli/src/test/resources/blackbox/make_einsum_model.py \\
      netlens-cli/src/test/resources/blackbox/einsum4.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(0)
w = rng.standard_normal((4, 3, 8, 8)).astype(np.float32)
b = np.array([0.1, -0.2, 0.3, 0.0], np.float32)
x = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 8, 8])
y = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 4])
nodes = [helper.make_node("Einsum", ["input", "W"], ["scores"], equation="nchw,kchw->nk"),
         helper.make_node("Add", ["scores", "b"], ["logits"])]
graph = helper.make_graph(nodes, "einsum4", [x], [y], [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_einsum_model.py")
model.ir_version = 8
helper.set_model_props(model, {"netlens.classes": '["a", "b", "c", "d"]'})
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
np.save(sys.argv[1].replace(".onnx", "_weights.npy"), w)
