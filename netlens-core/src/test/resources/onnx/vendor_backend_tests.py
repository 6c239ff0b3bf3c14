#!/usr/bin/python3
"""Copies ONNX's backend node tests (Debian package libonnx-testdata) for the ops netlens supports
into netlens-core/src/test/resources/onnx/backend.

A test is copied when every node of its model is an op netlens imports (the op table) or folds at
load time, and its data tensors are floating point (netlens computes in float32): the first graph
input and every graph output must be float/double/float16. Integer inputs that ops take as
attributes (shapes, axes, starts, sizes, split) are allowed; the test binds them at import.

Usage: /usr/bin/python3 vendor_backend_tests.py SUPPORTED_OPS_FILE OUT_DIR
(SUPPORTED_OPS_FILE: one op type per line; the test OnnxOpsTableTest writes it.)
"""
import os
import shutil
import sys

import onnx

SRC = "/usr/include/onnx/backend/test/data/node"
FLOAT = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16}


def main():
    supported = {l.strip() for l in open(sys.argv[1]) if l.strip()}
    out = sys.argv[2]
    kept, skipped = [], []
    for name in sorted(os.listdir(SRC)):
        path = os.path.join(SRC, name, "model.onnx")
        if not os.path.exists(path):
            continue
        m = onnx.load(path)
        ops = {n.op_type for n in m.graph.node}
        if not ops or not ops <= supported:
            continue
        init = {i.name for i in m.graph.initializer}
        inputs = [i for i in m.graph.input if i.name not in init]
        types = [i.type.tensor_type.elem_type for i in inputs[:1]] + [o.type.tensor_type.elem_type for o in m.graph.output]
        if not all(t in FLOAT for t in types):
            skipped.append((name, "non-float data"))
            continue
        shutil.copytree(os.path.join(SRC, name), os.path.join(out, name))
        kept.append(name)
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("# ONNX backend node tests (vendored subset)\n\n")
        f.write("Copied from the ONNX project's backend test data (Debian package libonnx-testdata "
                "1.12.0), licensed under the Apache License 2.0 (see LICENSE in this folder; "
                "Copyright (c) ONNX Project Contributors), by `../vendor_backend_tests.py`.\n\n")
        f.write("%d tests kept. Skipped because their data tensors are not floating point:\n\n" % len(kept))
        for n, why in skipped:
            f.write("- %s (%s)\n" % (n, why))
    print(len(kept), "kept,", len(skipped), "skipped")


if __name__ == "__main__":
    main()
