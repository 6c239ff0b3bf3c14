#!/usr/bin/python3
"""PyTorch side of the training-speed comparison (issue 5): the same architectures as netlens'
`--arch` (resnet8, resnet8-wide, resnet14, resnet20, lenet5, mlp; same layer order, no conv bias
before batch norm, PyTorch default momentum 0.1 / eps 1e-5), trained with SGD (momentum 0.9,
Nesterov, weight decay 5e-4) and cross-entropy on Fashion-MNIST (IDX files), batch 128,
`--threads` threads, the same augmentation as `netlens train --augment` (random crop with 2 pixels
of zero padding, horizontal flip) done on whole batches in torch.

Prints the wall time of each epoch (data shuffling, augmentation, forward, backward, update) and
`epoch_seconds=<median>` last. `--synthetic` trains on random data of the same shape instead.

Usage: /usr/bin/python3 train_fmnist.py --data /usr/share/datasets/fashion-mnist [--arch resnet8]
       [--epochs 1] [--batch 128] [--threads 2] [--limit N]
"""
import argparse
import gzip
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(directory, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(directory, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(os.path.join(directory, stem))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        s = x if self.downsample is None else self.downsample(x)
        return F.relu(y + s)


class CifarResNet(nn.Module):
    def __init__(self, blocks, width, classes, cin=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        layers = []
        c = width
        for stage, w in enumerate([width, 2 * width, 4 * width]):
            for b in range(blocks):
                layers.append(Block(c, w, 2 if stage > 0 and b == 0 else 1))
                c = w
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layers(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def build(arch, classes):
    if arch.startswith("resnet"):
        blocks = {"resnet8": 1, "resnet8-wide": 1, "resnet14": 2, "resnet20": 3}[arch]
        return CifarResNet(blocks, 32 if arch == "resnet8-wide" else 16, classes)
    if arch == "lenet5":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                             nn.Linear(84, classes))
    if arch == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, classes))
    raise ValueError(arch)


def optimizer(model):
    """The optimiser netlens train uses by default: SGD, Nesterov momentum 0.9, weight decay 5e-4."""
    return torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)


def augment(x, gen, pad=2):
    n, c, h, w = x.shape
    flip = torch.rand(n, generator=gen) < 0.5
    x = torch.where(flip.view(n, 1, 1, 1), x.flip(3), x)
    padded = F.pad(x, (pad, pad, pad, pad))
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    rows = (dy.view(n, 1) + torch.arange(h).view(1, h))  # [n, h]
    cols = (dx.view(n, 1) + torch.arange(w).view(1, w))  # [n, w]
    idx_r = rows.view(n, 1, h, 1).expand(n, c, h, w + 2 * pad)
    x = padded.gather(2, idx_r)
    idx_c = cols.view(n, 1, 1, w).expand(n, c, h, w)
    return x.gather(3, idx_c)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--arch", default="resnet8")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--no-augment", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.synthetic:
        images = np.random.default_rng(0).integers(0, 256, (60000, 28, 28), dtype=np.uint8)
        labels = np.random.default_rng(1).integers(0, 10, 60000)
    else:
        images = read_idx(find(args.data, "train-images-idx3-ubyte"))
        labels = read_idx(find(args.data, "train-labels-idx1-ubyte"))
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    x_all = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y_all = torch.from_numpy(labels.astype(np.int64))
    model = build(args.arch, 10)
    opt = optimizer(model)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(0)
    print("torch", torch.__version__, "threads", torch.get_num_threads(), "arch", args.arch, "batch", args.batch)
    times = []
    for epoch in range(args.epochs):
        model.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(x_all), generator=gen)
        correct = 0
        total_loss = 0.0
        for i in range(0, len(order) - args.batch + 1, args.batch):
            idx = order[i:i + args.batch]
            xb, yb = x_all[idx], y_all[idx]
            if not args.no_augment:
                xb = augment(xb, gen)
            out = model(xb)
            loss = loss_fn(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
        dt = time.perf_counter() - t0
        times.append(dt)
        seen = (len(order) // args.batch) * args.batch
        print("epoch %d: %.1f s, loss %.4f, accuracy %.4f" % (epoch + 1, dt, total_loss / seen, correct / seen))
    print("epoch_seconds=%.3f" % statistics.median(times))


if __name__ == "__main__":
    main()
