#!/usr/bin/env python3
"""Generates elementwise_goldens.txt: PyTorch reference values for netlens' element-wise,
broadcasting, variadic, softmax and reduction ops (read by ElementwiseGoldensTest).

Run with the Debian interpreter that has torch:  /usr/bin/python3 make_elementwise_goldens.py

Inputs are float32 values (rounded to a few decimals so the file stays small); outputs and input
gradients are computed by PyTorch autograd in float64 from those exact values, for a random upstream
gradient, and written with 9 significant digits. Inputs keep away from kinks (Relu-like, Clip,
HardSigmoid/HardSwish bounds, |x| at 0) and are positive where the op needs it (Log, Sqrt, Pow
base); Max/Min/ReduceMax/ReduceMin cases deliberately contain exact ties.

File format, one record per line, fields separated by single spaces:
  case <name>
  op <OnnxType> [key=value ...]      (array values comma-separated, e.g. axes=0,-1)
  in <shape> <values...>             (one line per input, in order)
  out <shape> <values...>
  gout <shape> <values...>           (the upstream gradient)
  gin <index> <shape> <values...>    (dL/d input <index>; inputs without a line are not checked)
  end
<shape> is the extents joined by 'x' (e.g. 2x3x4), or 'scalar' for rank 0.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20240611
rng = np.random.default_rng(SEED)
torch.set_default_dtype(torch.float64)


def shape_str(shape):
    return 'x'.join(str(d) for d in shape) if len(shape) else 'scalar'


def values(t, exact):
    flat = np.asarray(t, dtype=np.float64).reshape(-1)
    if exact:
        return ' '.join(np.format_float_positional(np.float32(v), unique=True, trim='-') for v in flat)
    return ' '.join('%.9g' % v for v in flat)


def rounded(a, decimals=3):
    return np.round(np.asarray(a, dtype=np.float64), decimals).astype(np.float32)


def normal(shape, scale=1.0):
    return rounded(rng.standard_normal(shape) * scale)


def uniform(shape, lo, hi):
    return rounded(rng.uniform(lo, hi, size=shape))


def away(a, kinks, margin=0.05):
    a = np.array(a, dtype=np.float32)
    for k in kinks:
        near = np.abs(a - k) < margin
        a[near] = np.where(a[near] >= k, k + 2 * margin, k - 2 * margin)
    return rounded(a)


def ties(shape, choices=(-1.0, -0.5, 0.0, 0.5, 1.0)):
    return np.array(rng.choice(choices, size=shape), dtype=np.float32)


lines = []


def case(name, op, attrs, fn, inputs, grad_inputs=None):
    """Runs fn on float64 copies of the float32 inputs and records outputs and input gradients."""
    ts = [torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True) for x in inputs]
    y = fn(*ts)
    gout = normal(tuple(y.shape))
    y.backward(torch.tensor(gout.astype(np.float64)))
    lines.append('case ' + name)
    lines.append(('op ' + op + ' ' + ' '.join(attrs)).rstrip())
    for x in inputs:
        x = np.asarray(x, dtype=np.float32)
        lines.append('in %s %s' % (shape_str(x.shape), values(x, True)))
    lines.append('out %s %s' % (shape_str(tuple(y.shape)), values(y.detach().numpy(), False)))
    lines.append('gout %s %s' % (shape_str(gout.shape), values(gout, True)))
    for i, t in enumerate(ts):
        if grad_inputs is not None and i not in grad_inputs:
            continue
        g = t.grad if t.grad is not None else torch.zeros_like(t)
        lines.append('gin %d %s %s' % (i, shape_str(tuple(t.shape)), values(g.numpy(), False)))
    lines.append('end')


S = (2, 3, 4)  # default shape for unary cases

# ---- unary activations -------------------------------------------------------------------
case('leakyrelu_default', 'LeakyRelu', [], lambda x: F.leaky_relu(x, 0.01), [away(normal(S, 2), [0])])
case('leakyrelu_alpha', 'LeakyRelu', ['alpha=0.2'], lambda x: F.leaky_relu(x, float(np.float32(0.2))),
     [away(normal(S, 2), [0])])
case('elu_default', 'Elu', [], lambda x: F.elu(x, 1.0), [away(normal(S, 2), [0])])
case('elu_alpha', 'Elu', ['alpha=0.5'], lambda x: F.elu(x, 0.5), [away(normal(S, 2), [0])])
case('selu', 'Selu', [], F.selu, [away(normal(S, 2), [0])])
case('sigmoid', 'Sigmoid', [], torch.sigmoid, [normal(S, 4)])
case('tanh', 'Tanh', [], torch.tanh, [normal(S, 2)])
case('clip_both', 'Clip', ['min=-0.5', 'max=0.8'], lambda x: torch.clamp(x, -0.5, float(np.float32(0.8))),
     [away(normal(S, 1.5), [-0.5, 0.8])])
case('clip_min', 'Clip', ['min=0.25'], lambda x: torch.clamp(x, min=0.25), [away(normal(S, 1.5), [0.25])])
case('clip_max', 'Clip', ['max=6'], lambda x: torch.clamp(x, max=6.0), [away(normal(S, 5), [6])])
case('hardsigmoid_default', 'HardSigmoid', [],
     lambda x: torch.clamp(float(np.float32(0.2)) * x + 0.5, 0.0, 1.0), [away(uniform(S, -4, 4), [-2.5, 2.5])])
case('hardsigmoid_torch', 'HardSigmoid', ['alpha=0.16666667', 'beta=0.5'],
     lambda x: torch.clamp(float(np.float32(1 / 6)) * x + 0.5, 0.0, 1.0), [away(uniform(S, -5, 5), [-3, 3])])
case('hardswish', 'HardSwish', [], F.hardswish, [away(uniform(S, -5, 5), [-3, 3])])
case('softplus', 'Softplus', [], F.softplus, [normal(S, 4)])
case('gelu_none', 'Gelu', ['approximate=none'], lambda x: F.gelu(x, approximate='none'), [normal(S, 2.5)])
case('gelu_tanh', 'Gelu', ['approximate=tanh'], lambda x: F.gelu(x, approximate='tanh'), [normal(S, 2.5)])

# ---- unary arithmetic ----------------------------------------------------------------------
case('erf', 'Erf', [], torch.erf, [normal(S, 1.5)])
case('neg', 'Neg', [], torch.neg, [normal(S)])
case('abs', 'Abs', [], torch.abs, [away(normal(S), [0])])
case('exp', 'Exp', [], torch.exp, [normal(S, 2)])
case('log', 'Log', [], torch.log, [uniform(S, 0.05, 5)])
case('sqrt', 'Sqrt', [], torch.sqrt, [uniform(S, 0.05, 5)])
case('reciprocal', 'Reciprocal', [], torch.reciprocal, [away(normal(S, 2), [0], 0.2)])

# ---- binary with broadcasting ----------------------------------------------------------------
case('sub_bcast', 'Sub', [], torch.sub, [normal((2, 3, 4, 5)), normal((3, 1, 1))])
case('sub_scalar', 'Sub', [], torch.sub, [normal(()), normal((2, 3))])
case('mul_bcast', 'Mul', [], torch.mul, [normal((4,)), normal((3, 1))])
case('mul_one', 'Mul', [], torch.mul, [normal((2, 3, 4)), normal((1,))])
case('div_bcast', 'Div', [], torch.div, [normal((2, 3, 4)), away(normal((3, 1)), [0], 0.3)])
case('pow_bcast', 'Pow', [], torch.pow, [uniform((2, 3, 4), 0.2, 3), normal((4,))])
case('pow_scalar_exp', 'Pow', [], torch.pow, [uniform((3, 4), 0.2, 3), np.float32(2.5).reshape(())])
# Negative bases with integer exponents: d/d exponent differs by design (netlens 0, PyTorch NaN),
# so only the base gradient is recorded.
case('pow_negative_base', 'Pow', [], torch.pow,
     [away(normal((3, 4), 2), [0], 0.2), np.array([[2.0], [3.0], [-1.0]], dtype=np.float32)], grad_inputs=[0])


def prelu(x, s):
    return torch.where(x >= 0, x, s * x)


case('prelu_channel', 'PRelu', [], prelu, [away(normal((2, 3, 4, 4)), [0]), uniform((3, 1, 1), 0, 0.5)])
case('prelu_shared', 'PRelu', [], prelu, [away(normal((2, 5)), [0]), uniform((1,), 0, 0.5)])
case('prelu_trailing', 'PRelu', [], prelu, [away(normal((2, 3, 4)), [0]), uniform((4,), -0.5, 0.5)])


# ---- variadic Max / Min (gradient split equally among tied inputs, as amax over a stack) -------
def variadic(reduce):
    def fn(*xs):
        return reduce(torch.stack(torch.broadcast_tensors(*xs)), dim=0)
    return fn


case('max_two', 'Max', [], variadic(torch.amax), [normal((3, 4)), normal((4,))])
case('max_three_ties', 'Max', [], variadic(torch.amax), [ties((2, 3, 4)), ties((3, 1)), ties((4,))])
case('max_one', 'Max', [], variadic(torch.amax), [normal((2, 3))])
case('min_two_ties', 'Min', [], variadic(torch.amin), [ties((2, 3)), ties((2, 3))])
case('min_three', 'Min', [], variadic(torch.amin), [normal((2, 1, 4)), normal((3, 1)), ties(())])

# ---- Softmax / LogSoftmax ----------------------------------------------------------------------
x3 = normal((2, 3, 4), 2)
case('softmax_axis1', 'Softmax', ['axis=1'], lambda x: torch.softmax(x, 1), [x3])
case('softmax_last', 'Softmax', ['axis=-1'], lambda x: torch.softmax(x, -1), [normal((3, 5), 3)])
case('softmax_legacy1', 'Softmax', ['axis=1', 'legacy=1'],
     lambda x: torch.softmax(x.reshape(2, 12), 1).reshape(2, 3, 4), [x3])
case('softmax_legacy2', 'Softmax', ['axis=2', 'legacy=1'],
     lambda x: torch.softmax(x.reshape(6, 4), 1).reshape(2, 3, 4), [normal((2, 3, 4), 2)])
case('logsoftmax_axis0', 'LogSoftmax', ['axis=0'], lambda x: torch.log_softmax(x, 0), [x3])
case('logsoftmax_last', 'LogSoftmax', ['axis=-1'], lambda x: torch.log_softmax(x, -1), [normal((2, 2, 5), 3)])
case('logsoftmax_legacy', 'LogSoftmax', ['axis=1', 'legacy=1'],
     lambda x: torch.log_softmax(x.reshape(2, 12), 1).reshape(2, 3, 4), [x3])

# ---- reductions ----------------------------------------------------------------------------------
x4 = normal((2, 3, 4, 2))
case('reducesum_axis1', 'ReduceSum', ['axes=1', 'keepdims=1'], lambda x: x.sum(1, keepdim=True), [x4])
case('reducesum_all', 'ReduceSum', ['keepdims=0'], lambda x: x.sum(), [normal((3, 4))])
case('reducesum_noop', 'ReduceSum', ['noop_with_empty_axes=1'], lambda x: x * 1.0, [normal((2, 3))])
case('reducemean_02', 'ReduceMean', ['axes=0,2', 'keepdims=0'], lambda x: x.mean((0, 2)), [x4])
case('reducemean_spatial', 'ReduceMean', ['axes=-2,-1', 'keepdims=1'], lambda x: x.mean((2, 3), keepdim=True),
     [normal((2, 3, 3, 3))])
case('reducemean_all', 'ReduceMean', [], lambda x: x.mean().reshape(1, 1, 1), [normal((2, 3, 4))])
case('reducemax_last_ties', 'ReduceMax', ['axes=-1', 'keepdims=1'], lambda x: torch.amax(x, -1, keepdim=True),
     [ties((3, 4, 5))])
case('reducemax_all', 'ReduceMax', ['keepdims=0'], lambda x: torch.amax(x), [normal((3, 4))])
case('reducemin_12_ties', 'ReduceMin', ['axes=1,2', 'keepdims=0'], lambda x: torch.amin(x, (1, 2)),
     [ties((2, 3, 4))])
case('reducemin_axis0', 'ReduceMin', ['axes=0'], lambda x: torch.amin(x, 0, keepdim=True), [normal((4, 3))])

header = ['# netlens element-wise goldens: made by make_elementwise_goldens.py with torch %s, seed %d.'
          % (torch.__version__, SEED),
          '# Outputs and gradients computed in float64 from the float32 inputs; format in the script.']
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'elementwise_goldens.txt')
with open(out, 'w') as f:
    f.write('\n'.join(header + lines) + '\n')
print('wrote %s (%d bytes, %d cases)' % (out, os.path.getsize(out), sum(1 for l in lines if l.startswith('case '))))
