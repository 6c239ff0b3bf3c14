#!/usr/bin/python3
"""PyTorch side of the attribution speed comparison: ResNet-18 (random weights), 224x224, batch 1.

Prints median milliseconds (over REPEAT runs after WARMUP; integrated gradients over
REPEAT_INTEGRATED runs after WARMUP_INTEGRATED, by default the same) of: forward (no_grad), saliency
(forward + gradient of the top logit w.r.t. the input only — weights do not require grad, as in
Captum) and integrated gradients with 32 steps (Captum's IntegratedGradients when importable,
else the same computation written out: 32 gauss-legendre points, one batch).

Usage: /usr/bin/python3 bench_resnet18.py [--threads 2] [--repeat 10] [--warmup 3]
       [--repeat-integrated N] [--warmup-integrated N] [--export model.onnx input.npy]
Optional: PYTHONPATH=<captum checkout> to time Captum itself.
"""
import argparse
import statistics
import time

import numpy as np
import torch
import torchvision


def timed(fn, warmup, repeat):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts), ts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--repeat-integrated", type=int, default=None)
    ap.add_argument("--warmup-integrated", type=int, default=None)
    ap.add_argument("--export", nargs=2, metavar=("MODEL", "INPUT"))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    if args.export:
        torch.onnx.export(model, x, args.export[0], opset_version=13, input_names=["input"], output_names=["logits"])
        np.save(args.export[1], x.numpy())
    with torch.no_grad():
        target = int(model(x).argmax())

    def forward():
        with torch.no_grad():
            model(x)

    def saliency():
        xi = x.clone().requires_grad_(True)
        y = model(xi)[0, target]
        torch.autograd.grad(y, xi)

    try:
        from captum.attr import IntegratedGradients
        ig = IntegratedGradients(model)

        def integrated():
            ig.attribute(x, target=target, n_steps=32)
        ig_name = "captum IntegratedGradients"
    except ImportError:
        nodes, weights = np.polynomial.legendre.leggauss(32)
        alphas = torch.tensor((nodes + 1) / 2, dtype=torch.float32).view(-1, 1, 1, 1)
        w = torch.tensor(weights / 2, dtype=torch.float32).view(-1, 1, 1, 1)

        def integrated():
            xs = (alphas * x).requires_grad_(True)
            y = model(xs)[:, target].sum()
            g, = torch.autograd.grad(y, xs)
            (x * (g * w).sum(0, keepdim=True))
        ig_name = "integrated gradients written out"

    print("torch", torch.__version__, "threads", torch.get_num_threads())
    ig_warmup = args.warmup if args.warmup_integrated is None else args.warmup_integrated
    ig_repeat = args.repeat if args.repeat_integrated is None else args.repeat_integrated
    for name, fn, warmup, repeat in [("forward", forward, args.warmup, args.repeat),
                                     ("saliency", saliency, args.warmup, args.repeat),
                                     ("integrated-gradients-32 (" + ig_name + ")", integrated, ig_warmup, ig_repeat)]:
        med, ts = timed(fn, warmup, repeat)
        print("%s median_ms=%.3f (min %.3f, max %.3f)" % (name, med, min(ts), max(ts)))


if __name__ == "__main__":
    main()
