#!/usr/bin/python3
"""Writes pool_norm_goldens.txt: PyTorch reference values for netlens' pooling and normalisation ops.

Run with the Debian interpreter that has torch:  /usr/bin/python3 make_pool_norm_goldens.py
(from this directory). Deterministic: fixed seed, inputs drawn in float32, results computed in
float64 from those float32 inputs.

Format: one tensor per line, `name shape v1 v2 ...`, shape as comma-separated extents; lines
starting with '#' are comments. Each case `<case>` has `<case>.x` (input), `<case>.gy` (random
upstream gradient), `<case>.y` (output), `<case>.gx` (input gradient of sum(gy * y)) and attributes
as small tensors (`<case>.kernel`, `.stride`, `.pad`, `.dilation`, `.ceil`, ...). Pads are in
ONNX order (all beginnings, then all ends). The case name's prefix says which op it is for.

Conventions translated to ONNX here:
  * MaxPool Indices: torch returns the index within each (n, c) plane; ONNX counts in the whole
    tensor, so the plane offset (n*C + c)*H*W is added.
  * Asymmetric pads: torch pools pad symmetrically, so those cases pad with -inf first.
  * LRN with an even size: torch's window is [c - size//2, c + (size-1)//2], ONNX's is
    [c - (size-1)//2, c + ceil((size-1)/2)]; torch applied to the channel-reversed input and reversed
    back gives ONNX's window.
  * BatchNormalization momentum is stored in ONNX's convention (weight of the old running value);
    torch's momentum is 1 - that. Running variance: torch updates with the unbiased batch variance.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(20240611)
lines = []


def put(name, t):
    t = torch.as_tensor(t).detach().to(torch.float64).reshape(-1) if not isinstance(t, (list, tuple)) \
        else torch.tensor(t, dtype=torch.float64)
    lines.append(name + " " + ",".join(str(d) for d in shape_of[name]) + " "
                 + " ".join("%.9g" % v for v in t.tolist()))


shape_of = {}


def save(name, t):
    if isinstance(t, (list, tuple)):
        shape_of[name] = [len(t)]
    else:
        shape_of[name] = list(t.shape) if t.dim() > 0 else [1]
    put(name, t)


def inputs(*shape):
    x32 = torch.randn(*shape, dtype=torch.float32)
    return x32, x32.to(torch.float64).requires_grad_(True)


def finish(case, x32, x64, y, extra_grads=()):
    gy = torch.randn(y.shape, dtype=torch.float32)
    grads = torch.autograd.grad(y, [x64, *extra_grads], gy.to(torch.float64))
    save(case + ".x", x32)
    save(case + ".y", y)
    save(case + ".gy", gy)
    save(case + ".gx", grads[0])
    return grads[1:]


def max_pool2d(case, shape, k, s, pads, d=(1, 1), ceil=False):
    """pads = (top, left, bottom, right)."""
    x32, x64 = inputs(*shape)
    if pads[0] == pads[2] and pads[1] == pads[3]:
        y, idx = F.max_pool2d(x64, k, s, (pads[0], pads[1]), d, ceil_mode=ceil, return_indices=True)
        ih, iw = shape[2], shape[3]
    else:
        xp = F.pad(x64, (pads[1], pads[3], pads[0], pads[2]), value=float("-inf"))
        y, idx = F.max_pool2d(xp, k, s, 0, d, ceil_mode=ceil, return_indices=True)
        pw = shape[3] + pads[1] + pads[3]
        row, col = idx // pw - pads[0], idx % pw - pads[1]
        ih, iw = shape[2], shape[3]
        idx = row * iw + col
    n, c = shape[0], shape[1]
    plane = torch.arange(n * c).reshape(n, c, 1, 1) * ih * iw
    finish(case, x32, x64, y)
    save(case + ".indices", idx + plane)
    save(case + ".kernel", list(k))
    save(case + ".stride", list(s))
    save(case + ".pad", list(pads))
    save(case + ".dilation", list(d))
    save(case + ".ceil", [int(ceil)])


def avg_pool2d(case, shape, k, s, p, ceil, include):
    x32, x64 = inputs(*shape)
    y = F.avg_pool2d(x64, k, s, p, ceil_mode=ceil, count_include_pad=include)
    finish(case, x32, x64, y)
    save(case + ".kernel", list(k))
    save(case + ".stride", list(s))
    save(case + ".pad", [p[0], p[1], p[0], p[1]])
    save(case + ".dilation", [1, 1])
    save(case + ".ceil", [int(ceil)])
    save(case + ".count_include_pad", [int(include)])


def max_pool1d(case, shape, k, s, p, d, ceil):
    x32, x64 = inputs(*shape)
    y, idx = F.max_pool1d(x64, k, s, p, d, ceil_mode=ceil, return_indices=True)
    n, c, w = shape
    finish(case, x32, x64, y)
    save(case + ".indices", idx + torch.arange(n * c).reshape(n, c, 1) * w)
    save(case + ".kernel", [k])
    save(case + ".stride", [s])
    save(case + ".pad", [p, p])
    save(case + ".dilation", [d])
    save(case + ".ceil", [int(ceil)])


def avg_pool1d(case, shape, k, s, p, ceil, include):
    x32, x64 = inputs(*shape)
    y = F.avg_pool1d(x64, k, s, p, ceil_mode=ceil, count_include_pad=include)
    finish(case, x32, x64, y)
    save(case + ".kernel", [k])
    save(case + ".stride", [s])
    save(case + ".pad", [p, p])
    save(case + ".dilation", [1])
    save(case + ".ceil", [int(ceil)])
    save(case + ".count_include_pad", [int(include)])


def global_pools(case, shape):
    spatial = len(shape) - 2
    x32, x64 = inputs(*shape)
    avg = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}[spatial]
    mx = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}[spatial]
    finish("gap_" + case, x32, x64, avg(x64, 1))
    x32, x64 = inputs(*shape)
    finish("gmp_" + case, x32, x64, mx(x64, 1))


def lrn(case, shape, size, alpha, beta, bias):
    x32, x64 = inputs(*shape)
    if size % 2 == 1:
        y = F.local_response_norm(x64, size, alpha, beta, bias)
    else:
        y = F.local_response_norm(x64.flip(1), size, alpha, beta, bias).flip(1)
    finish(case, x32, x64, y)
    save(case + ".size", [size])
    save(case + ".alpha", [alpha])
    save(case + ".beta", [beta])
    save(case + ".bias", [bias])


def bn_params(c):
    scale32 = torch.randn(c, dtype=torch.float32)
    b32 = torch.randn(c, dtype=torch.float32)
    mean32 = torch.randn(c, dtype=torch.float32)
    var32 = torch.rand(c, dtype=torch.float32) + 0.25
    return scale32, b32, mean32, var32


def bn_eval(case, shape, eps):
    x32, x64 = inputs(*shape)
    c = shape[1]
    scale32, b32, mean32, var32 = bn_params(c)
    leaves = [t.to(torch.float64).requires_grad_(True) for t in (scale32, b32, mean32, var32)]
    w, b, m, v = leaves
    bshape = [1, c] + [1] * (len(shape) - 2)
    # The formula itself, so autograd also gives d/d mean and d/d var.
    y = (x64 - m.reshape(bshape)) / torch.sqrt(v.reshape(bshape) + eps) * w.reshape(bshape) + b.reshape(bshape)
    ref = F.batch_norm(x64, m.detach(), v.detach(), w.detach(), b.detach(), training=False, eps=eps)
    assert torch.allclose(ref, y, atol=1e-12)
    gs, gb, gm, gv = finish(case, x32, x64, y, leaves)
    for name, t in (("scale", scale32), ("B", b32), ("mean", mean32), ("var", var32)):
        save(case + "." + name, t)
    for name, t in (("gscale", gs), ("gB", gb), ("gmean", gm), ("gvar", gv)):
        save(case + "." + name, t)
    save(case + ".epsilon", [eps])
    save(case + ".momentum", [0.9])


def bn_train(case, shape, eps, onnx_momentum):
    x32, x64 = inputs(*shape)
    c = shape[1]
    scale32, b32, mean32, var32 = bn_params(c)
    w = scale32.to(torch.float64).requires_grad_(True)
    b = b32.to(torch.float64).requires_grad_(True)
    running_mean = mean32.to(torch.float64).clone()
    running_var = var32.to(torch.float64).clone()
    y = F.batch_norm(x64, running_mean, running_var, w, b, training=True, momentum=1.0 - onnx_momentum, eps=eps)
    gs, gb = finish(case, x32, x64, y, [w, b])
    for name, t in (("scale", scale32), ("B", b32), ("mean", mean32), ("var", var32)):
        save(case + "." + name, t)
    save(case + ".gscale", gs)
    save(case + ".gB", gb)
    save(case + ".running_mean", running_mean)
    save(case + ".running_var", running_var)
    save(case + ".epsilon", [eps])
    save(case + ".momentum", [onnx_momentum])


max_pool2d("maxpool2d_basic", (2, 3, 8, 8), (2, 2), (2, 2), (0, 0, 0, 0))
max_pool2d("maxpool2d_pad", (1, 2, 7, 9), (3, 3), (2, 2), (1, 1, 1, 1))
max_pool2d("maxpool2d_ceil", (1, 2, 7, 7), (2, 2), (2, 2), (0, 0, 0, 0), ceil=True)
max_pool2d("maxpool2d_ceil_pad", (1, 2, 8, 8), (3, 3), (2, 2), (1, 1, 1, 1), ceil=True)
max_pool2d("maxpool2d_ceil_drop", (1, 2, 5, 5), (2, 2), (2, 2), (1, 1, 1, 1), ceil=True)
max_pool2d("maxpool2d_dilation", (1, 2, 9, 9), (3, 3), (1, 1), (1, 1, 1, 1), d=(2, 2))
max_pool2d("maxpool2d_dilation_ceil", (2, 2, 10, 9), (2, 3), (3, 2), (1, 1, 1, 1), d=(2, 1), ceil=True)
max_pool2d("maxpool2d_rect", (1, 3, 6, 9), (2, 3), (1, 2), (1, 0, 1, 0))
max_pool2d("maxpool2d_asym", (1, 2, 7, 8), (3, 3), (2, 2), (0, 1, 2, 0))

avg_pool2d("avgpool2d_basic", (2, 3, 8, 8), (2, 2), (2, 2), (0, 0), False, True)
avg_pool2d("avgpool2d_pad_incl", (1, 2, 7, 9), (3, 3), (2, 2), (1, 1), False, True)
avg_pool2d("avgpool2d_pad_excl", (1, 2, 7, 9), (3, 3), (2, 2), (1, 1), False, False)
avg_pool2d("avgpool2d_ceil_incl", (1, 2, 6, 6), (3, 3), (2, 2), (1, 1), True, True)
avg_pool2d("avgpool2d_ceil_excl", (1, 2, 6, 6), (3, 3), (2, 2), (1, 1), True, False)
avg_pool2d("avgpool2d_ceil_nopad_incl", (1, 2, 7, 7), (2, 2), (2, 2), (0, 0), True, True)
avg_pool2d("avgpool2d_ceil_nopad_excl", (1, 2, 7, 7), (2, 2), (2, 2), (0, 0), True, False)
avg_pool2d("avgpool2d_ceil_rect_incl", (2, 2, 8, 11), (2, 3), (2, 3), (1, 1), True, True)
avg_pool2d("avgpool2d_ceil_drop_incl", (1, 2, 5, 5), (2, 2), (2, 2), (1, 1), True, True)

max_pool1d("maxpool1d_ceil", (2, 3, 11), 3, 2, 1, 2, True)
avg_pool1d("avgpool1d_ceil_incl", (2, 3, 10), 3, 2, 1, True, True)
avg_pool1d("avgpool1d_excl", (2, 3, 10), 4, 3, 2, False, False)

global_pools("1d", (2, 3, 7))
global_pools("2d", (2, 4, 5, 6))
global_pools("3d", (1, 3, 2, 3, 4))

lrn("lrn_defaults", (2, 7, 3, 4), 5, 1e-4, 0.75, 1.0)
lrn("lrn_strong", (2, 6, 3, 3), 3, 0.5, 0.75, 2.0)
lrn("lrn_beta", (1, 5, 4, 3), 5, 0.8, 1.3, 1.5)
lrn("lrn_even", (2, 6, 2, 3), 4, 0.6, 0.75, 1.0)
lrn("lrn_size1", (1, 3, 2, 2), 1, 0.9, 0.5, 1.0)

bn_eval("bn_eval_4d", (2, 3, 4, 5), 1e-5)
bn_eval("bn_eval_2d", (5, 4), 1e-3)
bn_train("bn_train_4d", (4, 3, 3, 3), 1e-5, 0.9)
bn_train("bn_train_2d", (6, 4), 1e-5, 0.7)
bn_train("bn_train_3d", (3, 2, 5), 1e-2, 0.9)

header = ["# PyTorch " + torch.__version__ + " goldens for netlens pooling/normalisation ops;"
          " written by make_pool_norm_goldens.py (see its docstring for the format)."]
with open("pool_norm_goldens.txt", "w") as f:
    f.write("\n".join(header + lines) + "\n")
print(len(lines), "tensors")
