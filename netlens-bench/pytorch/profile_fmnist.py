#!/usr/bin/env python3
"""PyTorch's per-operator times inside a training step of the bundled architecture.

Runs train_fmnist.py's model, optimiser and augmentation on Fashion-MNIST (batch 128, 2 threads
by default): 20 warm-up steps, 50 timed steps (prints the mean step time), then 30 steps under
torch.profiler, and prints the operators by self CPU time with their input shapes. Usage:
  profile_fmnist.py [--arch resnet8] [--threads 2] [--data /usr/share/datasets/fashion-mnist]
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.profiler import ProfilerActivity, profile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fmnist as T  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--arch", default="resnet8")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    images = T.read_idx(T.find(args.data, "train-images-idx3-ubyte"))[:12800]
    labels = T.read_idx(T.find(args.data, "train-labels-idx1-ubyte"))[:12800]
    x_all = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y_all = torch.from_numpy(labels.astype(np.int64))
    model = T.build(args.arch, 10)
    opt = T.optimizer(model)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(0)

    def step():
        idx = torch.randperm(len(x_all), generator=gen)[:args.batch]
        xb, yb = T.augment(x_all[idx], gen), y_all[idx]
        out = model(xb)
        loss = loss_fn(out, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss.item()

    for _ in range(20):
        step()
    t = time.perf_counter()
    for _ in range(50):
        step()
    print("mean step %.1f ms" % ((time.perf_counter() - t) / 50 * 1e3))
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        for _ in range(30):
            step()
    print(prof.key_averages(group_by_input_shape=True).table(sort_by="self_cpu_time_total", row_limit=30))


if __name__ == "__main__":
    main()
