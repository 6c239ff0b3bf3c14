#!/usr/bin/python3
"""PyTorch/Captum side of the occlusion throughput comparison: ResNet-18 (random weights), 224x224,
batch 1, Captum Occlusion with sliding window (3,16,16), strides (3,8,8), baseline 0 and
perturbations_per_eval BATCH (729 occluded copies per call).

Prints median milliseconds per Occlusion.attribute call (over REPEAT runs after WARMUP) and the
occluded copies per second.  --export writes the model with a dynamic batch axis (ONNX Runtime
then evaluates BATCH copies per run, as Captum does) and the input.

Usage: PYTHONPATH=<captum checkout> /usr/bin/python3 bench_occlusion.py [--threads 2] [--batch 32]
       [--repeat 5] [--warmup 1] [--export model.onnx input.npy]
"""
import argparse
import statistics
import time

import numpy as np
import torch
import torchvision


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--export", nargs=2, metavar=("MODEL", "INPUT"))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    if args.export:
        torch.onnx.export(model, x, args.export[0], opset_version=13, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        np.save(args.export[1], x.numpy())
        return
    from captum.attr import Occlusion
    with torch.no_grad():
        target = int(model(x).argmax())
    occ = Occlusion(model)

    def run():
        with torch.no_grad():
            occ.attribute(x, sliding_window_shapes=(3, 16, 16), strides=(3, 8, 8), baselines=0, target=target,
                          perturbations_per_eval=args.batch)
    for _ in range(args.warmup):
        run()
    ts = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        run()
        ts.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(ts)
    print("occlusion median_ms=%.1f copies_per_s=%.1f (captum %s, torch %s, threads %d, batch %d)" % (
        med, 729 / (med / 1000), __import__("captum").__version__, torch.__version__, args.threads, args.batch))


if __name__ == "__main__":
    main()
