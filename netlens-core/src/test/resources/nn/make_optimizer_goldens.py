#!/usr/bin/env python3
"""Goldens for dev.netlens.core.nn.{loss,optim} tests, made with PyTorch 1.13 (CPU).

Run from this directory:  /usr/bin/python3 make_optimizer_goldens.py
Writes optimizer_goldens.txt, one tensor per line: `name shape v1 v2 ...` (shape comma-separated,
`-` for a scalar; float32 arrays as the shortest decimals that read back to the same float, read them
with Float.parseFloat; float64 values and Python floats as repr, read them with Double.parseDouble).

Contents:
  * params.<p>, grads.s<k>.<p>, lr.s<k>: a fixed problem - two parameters (a [4, 5] matrix, large
    enough for PyTorch's vectorised kernels plus a scalar tail, and a [3] vector), a fixed sequence of
    gradients of mixed magnitudes for 6 steps (the vector has no gradient at step 2, like
    p.grad = None) and a learning rate that changes every step.
  * <config>.s<k>.<p>: the parameters after step k for each optimiser configuration in CONFIGS
    (torch.optim single-tensor path, foreach=False).
  * sched.<name>: learning rates from torch.optim.lr_scheduler, one per step (or per epoch).
  * clip.*: clip_grad_norm_ / clip_grad_value_ inputs, returned norms and clipped gradients.
  * loss.*: values and gradients of CrossEntropyLoss / BCEWithLogitsLoss / MSELoss.
"""
import math

import numpy as np
import torch

torch.set_default_dtype(torch.float32)
STEPS = 6
LINES = []


def put(name, array):
    a = np.asarray(array)
    shape = ",".join(str(d) for d in a.shape) if a.ndim else "-"
    # float32: shortest text that reads back to the same float; float64: Python's repr (exact)
    text = str if a.dtype == np.float32 else (lambda v: repr(float(v)))
    values = " ".join(text(v) for v in a.reshape(-1))
    LINES.append(f"{name} {shape} {values}")


def f32(a):
    return np.asarray(a, dtype=np.float32)


# --- the fixed problem ---------------------------------------------------------------------------
k_w = np.arange(20, dtype=np.float64).reshape(4, 5)
k_b = np.arange(3, dtype=np.float64)
PARAMS = {"w": f32(np.sin(0.7 * k_w + 0.3)), "b": f32(0.5 - 0.25 * k_b)}


def gradient(name, step):
    k = k_w if name == "w" else k_b
    scale = np.where(k % 3 == 0, 1e-3, np.where(k % 3 == 1, 1.0, 10.0))
    return f32(scale * np.cos(1.3 * k + 0.5 * step + (0.0 if name == "w" else 1.0)))


GRADS = [{n: gradient(n, s) for n in PARAMS if not (n == "b" and s == 2)} for s in range(STEPS)]
LRS = [1.0 - 0.1 * s for s in range(STEPS)]  # multiplies each config's base lr

for n, v in PARAMS.items():
    put(f"params.{n}", v)
for s, g in enumerate(GRADS):
    for n, v in g.items():
        put(f"grads.s{s}.{n}", v)
    put(f"lr.s{s}", LRS[s])

CONFIGS = {
    "sgd_plain": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_momentum": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.1)),
    "sgd_nesterov": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    "sgd_weight_decay": (torch.optim.SGD, dict(lr=0.1, weight_decay=0.05)),
    "adam": (torch.optim.Adam, dict(lr=0.01)),
    "adam_weight_decay": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    "adam_amsgrad": (torch.optim.Adam, dict(lr=0.02, weight_decay=0.01, amsgrad=True)),
    "adamw": (torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
    "adamw_amsgrad": (torch.optim.AdamW, dict(lr=0.01, betas=(0.85, 0.995), weight_decay=0.05, amsgrad=True)),
}

for config, (cls, kwargs) in CONFIGS.items():
    params = {n: torch.tensor(v, requires_grad=True) for n, v in PARAMS.items()}
    opt = cls(list(params.values()), foreach=False, **kwargs)
    for s in range(STEPS):
        for n, p in params.items():
            p.grad = torch.tensor(GRADS[s][n]) if n in GRADS[s] else None
        opt.param_groups[0]["lr"] = kwargs["lr"] * LRS[s]
        opt.step()
        for n, p in params.items():
            put(f"{config}.s{s}.{n}", p.detach().numpy())


# --- schedules -----------------------------------------------------------------------------------
def run_schedule(make, steps, base_lr=0.1):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(out, dtype=np.float64)


S = torch.optim.lr_scheduler
STEPS_PER_EPOCH = 7
put("sched.step_per_epoch", STEPS_PER_EPOCH)
# StepLR(step_size=3, gamma=0.5) stepped per epoch, base 0.1, 11 epochs
put("sched.step_lr", run_schedule(lambda o: S.StepLR(o, step_size=3, gamma=0.5), 11))
# CosineAnnealingLR over 5 epochs of 7 steps, stepped per batch, eta_min 0.001; 36 values (0..T)
put("sched.cosine", run_schedule(lambda o: S.CosineAnnealingLR(o, T_max=5 * STEPS_PER_EPOCH, eta_min=1e-3),
                                 5 * STEPS_PER_EPOCH + 1))
# LinearLR warm-up (start 0.1, 8 steps) chained with CosineAnnealingLR(T_max=35)
put("sched.warmup_cosine", run_schedule(lambda o: S.ChainedScheduler([
    S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=8),
    S.CosineAnnealingLR(o, T_max=5 * STEPS_PER_EPOCH, eta_min=0.0)]), 5 * STEPS_PER_EPOCH + 1))
# LinearLR warm-up (start 0.25, 10 steps) chained with a constant rate
put("sched.warmup_constant", run_schedule(lambda o: S.LinearLR(o, start_factor=0.25, total_iters=10), 20))


# --- clipping ------------------------------------------------------------------------------------
for case, max_norm in (("clip.norm_small", 1.0), ("clip.norm_large", 100.0)):
    grads = {n: torch.tensor(GRADS[0][n]) for n in PARAMS}
    params = {n: torch.zeros_like(g, requires_grad=True) for n, g in grads.items()}
    for n in params:
        params[n].grad = grads[n]
    total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm)
    put(f"{case}.max_norm", max_norm)
    put(f"{case}.total", float(total))
    for n, p in params.items():
        put(f"{case}.{n}", p.grad.numpy())
params = {n: torch.zeros(v.shape, requires_grad=True) for n, v in PARAMS.items()}
for n in params:
    params[n].grad = torch.tensor(GRADS[1][n])
torch.nn.utils.clip_grad_value_(list(params.values()), 0.5)
for n, p in params.items():
    put(f"clip.value.{n}", p.grad.numpy())


# --- losses --------------------------------------------------------------------------------------
def loss_case(name, loss, x, t):
    x = torch.tensor(f32(x), requires_grad=True)
    t = torch.tensor(t)
    value = loss(x, t)
    value.backward()
    put(f"loss.{name}.x", x.detach().numpy())
    put(f"loss.{name}.t", t.numpy().astype(np.float32))
    put(f"loss.{name}.value", float(value))
    put(f"loss.{name}.grad", x.grad.numpy())


kx = np.arange(12, dtype=np.float64).reshape(3, 4)
logits = 3.0 * np.sin(1.7 * kx + 0.2)
labels = np.array([2, 0, 3], dtype=np.int64)
probs = np.abs(np.cos(0.9 * kx))
probs = probs / probs.sum(axis=1, keepdims=True)
loss_case("ce_index", torch.nn.CrossEntropyLoss(), logits, labels)
loss_case("ce_index_smooth", torch.nn.CrossEntropyLoss(label_smoothing=0.2), logits, labels)
loss_case("ce_probs", torch.nn.CrossEntropyLoss(), logits, f32(probs))
loss_case("ce_probs_smooth", torch.nn.CrossEntropyLoss(label_smoothing=0.1), logits, f32(probs))
loss_case("ce_large", torch.nn.CrossEntropyLoss(), 100.0 * logits, labels)
bce_t = f32((kx % 3 == 0).astype(np.float64) * 0.9 + 0.05 * (kx % 2))
loss_case("bce", torch.nn.BCEWithLogitsLoss(), 8.0 * np.sin(1.1 * kx), bce_t)
pos_weight = f32([0.5, 1.0, 2.0, 3.0])
put("loss.bce_pos_weight.pos_weight", pos_weight)
loss_case("bce_pos_weight", torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pos_weight)),
          8.0 * np.sin(1.1 * kx), bce_t)
loss_case("mse", torch.nn.MSELoss(), np.sin(kx), f32(np.cos(kx)))

with open("optimizer_goldens.txt", "w") as f:
    f.write(f"# made by make_optimizer_goldens.py with torch {torch.__version__}, numpy {np.__version__}\n")
    f.write("\n".join(LINES) + "\n")
print(f"wrote {len(LINES)} tensors")
