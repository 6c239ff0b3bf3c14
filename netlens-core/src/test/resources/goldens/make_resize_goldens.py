#!/usr/bin/python3
"""Golden vectors for netlens' Resize op.

Run with Debian's python3 (which has python3-torch and python3-onnx), from this directory:

    /usr/bin/python3 make_resize_goldens.py

Writes two line-based text files:

* resize_torch.txt  - torch.nn.functional.interpolate forward outputs and input gradients
                      (nearest, nearest-exact, bilinear with align_corners False/True, several
                      scale factors up and down, explicit sizes, odd sizes) for a random upstream
                      gradient;
* resize_onnx.txt   - forward vectors of the ONNX backend node tests (libonnx-testdata) for
                      Resize/Upsample, skipping cubic and tf_crop_and_resize (written only when
                      /usr/share/libonnx-testdata is installed).

Format: one case is

    case <name>
    attr <onnx attribute name> <value...>      (strings, or numbers for scales/sizes)
    tensor <name> <rank> <dims...> <values...> (x, y and, for torch, gy and gx)
    end

The attributes follow ONNX Resize: PyTorch "nearest" is asymmetric + floor, "nearest-exact" is
half_pixel + round_prefer_ceil, bilinear with align_corners=False is half_pixel, with
align_corners=True it is align_corners.
"""
import glob
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(1234)
HERE = os.path.dirname(os.path.abspath(__file__))


def fmt(v):
    return "%.9g" % v


def tensor_line(name, a):
    a = np.asarray(a, dtype=np.float32)
    return "tensor %s %d %s %s" % (name, a.ndim, " ".join(str(d) for d in a.shape),
                                   " ".join(fmt(v) for v in a.reshape(-1)))


def torch_cases():
    # (input shape, torch mode, align_corners, scale_factor or None, size or None)
    specs = []
    for mode in ["nearest", "nearest-exact", "bilinear-false", "bilinear-true"]:
        specs += [
            (mode, (1, 2, 5, 7), (2.0, 2.0), None),
            (mode, (2, 1, 6, 8), (0.5, 0.5), None),
            (mode, (1, 2, 5, 6), (1.5, 2.5), None),
            (mode, (1, 1, 7, 5), (0.75, 1.25), None),
            (mode, (1, 1, 4, 9), (3.0, 0.25), None),
            (mode, (1, 2, 5, 7), None, (8, 3)),
            (mode, (1, 1, 6, 4), None, (4, 9)),
            (mode, (1, 1, 5, 3), None, (1, 5)),
            (mode, (1, 1, 3, 4), None, (11, 1)),
        ]
    for mode, shape, scale, size in specs:
        x = torch.randn(*shape, dtype=torch.float32, requires_grad=True)
        kwargs = {}
        if scale is not None:
            kwargs["scale_factor"] = scale
            kwargs["recompute_scale_factor"] = False
        else:
            kwargs["size"] = size
        attrs = []
        if mode.startswith("bilinear"):
            ac = mode.endswith("true")
            y = F.interpolate(x, mode="bilinear", align_corners=ac, **kwargs)
            attrs.append("attr mode linear")
            attrs.append("attr coordinate_transformation_mode " + ("align_corners" if ac else "half_pixel"))
        elif mode == "nearest":
            y = F.interpolate(x, mode="nearest", **kwargs)
            attrs += ["attr mode nearest", "attr coordinate_transformation_mode asymmetric",
                      "attr nearest_mode floor"]
        else:
            y = F.interpolate(x, mode="nearest-exact", **kwargs)
            attrs += ["attr mode nearest", "attr coordinate_transformation_mode half_pixel",
                      "attr nearest_mode round_prefer_ceil"]
        if scale is not None:
            attrs.append("attr scales 1 1 %s %s" % (fmt(scale[0]), fmt(scale[1])))
        else:
            attrs.append("attr sizes %d %d %d %d" % (shape[0], shape[1], size[0], size[1]))
        gy = torch.randn(*y.shape, dtype=torch.float32)
        y.backward(gy)
        name = "torch_%s_%s_%s" % (mode, "x".join(map(str, shape)),
                                   ("scale_%g_%g" % scale) if scale is not None else ("size_%d_%d" % size))
        yield name, attrs, [("x", x.detach().numpy()), ("y", y.detach().numpy()), ("gy", gy.numpy()),
                            ("gx", x.grad.numpy())]


def onnx_cases():
    root = "/usr/share/libonnx-testdata/data/node"
    if not os.path.isdir(root):
        return
    import onnx
    from onnx import numpy_helper
    for d in sorted(glob.glob(root + "/test_resize_*")) + [root + "/test_upsample_nearest"]:
        m = onnx.load(d + "/model.onnx")
        node = [n for n in m.graph.node if n.op_type in ("Resize", "Upsample")][0]
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in attrs.items()}
        if attrs.get("mode") == "cubic" or attrs.get("coordinate_transformation_mode") == "tf_crop_and_resize":
            continue
        # Graph inputs in order are input_0.pb, input_1.pb, ...; constants come from Constant nodes.
        values = {}
        for i, gi in enumerate(m.graph.input):
            values[gi.name] = numpy_helper.to_array(onnx.load_tensor("%s/test_data_set_0/input_%d.pb" % (d, i)))
        for n in m.graph.node:
            if n.op_type == "Constant":
                values[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
        y = numpy_helper.to_array(onnx.load_tensor(d + "/test_data_set_0/output_0.pb"))
        lines = ["attr op " + node.op_type]
        for k in sorted(attrs):
            lines.append("attr %s %s" % (k, attrs[k]))
        ins = list(node.input)
        if node.op_type == "Upsample":
            lines.append("attr scales " + " ".join(fmt(v) for v in values[ins[1]]))
        else:
            if len(ins) > 2 and ins[2] and values[ins[2]].size > 0:
                lines.append("attr scales " + " ".join(fmt(v) for v in values[ins[2]]))
            if len(ins) > 3 and ins[3]:
                lines.append("attr sizes " + " ".join(str(int(v)) for v in values[ins[3]]))
        yield "onnx_" + os.path.basename(d), lines, [("x", values[ins[0]]), ("y", y)]


def write(path, cases, header):
    with open(path, "w") as f:
        f.write("# " + header + "\n# Generated by make_resize_goldens.py; do not edit.\n")
        for name, attrs, tensors in cases:
            f.write("case %s\n" % name)
            for a in attrs:
                f.write(a + "\n")
            for tname, t in tensors:
                f.write(tensor_line(tname, t) + "\n")
            f.write("end\n")


if __name__ == "__main__":
    write(os.path.join(HERE, "resize_torch.txt"), torch_cases(),
          "torch %s torch.nn.functional.interpolate forward and input gradients" % torch.__version__)
    onnx_list = list(onnx_cases())
    if onnx_list:
        write(os.path.join(HERE, "resize_onnx.txt"), onnx_list,
              "ONNX backend node tests (libonnx-testdata) for Resize/Upsample, cubic and tf_crop_and_resize skipped")
