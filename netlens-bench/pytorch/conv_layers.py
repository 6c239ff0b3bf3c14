#!/usr/bin/env python3
"""PyTorch side of per-layer convolution comparisons: one nn.Conv2d timed alone, 2 threads.

  resnet18  ResNet-18's convolution shapes at batch 1, forward only (what a forward pass costs per
            layer; compare with netlens' per-node medians or `java -cp benchmarks.jar
            dev.netlens.bench.ConvLayerScan 1`)
  resnet8   the bundled training architecture's 3x3 shapes at batch 128, forward and backward
            (input and weight gradients, as in a training step)
  profile   torchvision's resnet18 (random weights) forward at batch 1 under torch.profiler: the
            average time of each convolution shape and of the max pool inside the network

Prints the median of the timed runs in ms. Usage: conv_layers.py resnet18|resnet8|profile [THREADS]
"""
import sys
import time

import torch


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def forward_ms(cin, cout, k, s, p, h, n, reps=50):
    conv = torch.nn.Conv2d(cin, cout, k, s, p, bias=False).eval()
    x = torch.randn(n, cin, h, h)
    times = []
    with torch.no_grad():
        for i in range(reps + 10):
            t = time.perf_counter()
            conv(x)
            if i >= 10:
                times.append(time.perf_counter() - t)
    return median(times) * 1e3


def train_ms(cin, cout, s, h, n, reps=30):
    conv = torch.nn.Conv2d(cin, cout, 3, s, 1, bias=False)
    x = torch.randn(n, cin, h, h, requires_grad=True)
    fw, bw = [], []
    for i in range(reps + 5):
        t = time.perf_counter()
        y = conv(x)
        t1 = time.perf_counter()
        g = torch.randn_like(y)
        t2 = time.perf_counter()
        y.backward(g)
        t3 = time.perf_counter()
        if i >= 5:
            fw.append(t1 - t)
            bw.append(t3 - t2)
        x.grad = None
        conv.weight.grad = None
    return median(fw) * 1e3, median(bw) * 1e3


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "resnet18"
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    if which == "resnet18":
        for name, a in [("conv1 7x7/2 3->64 224", (3, 64, 7, 2, 3, 224)),
                        ("layer1 3x3 64 56", (64, 64, 3, 1, 1, 56)),
                        ("layer2 3x3 128 28", (128, 128, 3, 1, 1, 28)),
                        ("layer3 3x3 256 14", (256, 256, 3, 1, 1, 14)),
                        ("layer4 3x3 512 7", (512, 512, 3, 1, 1, 7)),
                        ("layer4.0.conv1 3x3/2 256->512 14", (256, 512, 3, 2, 1, 14))]:
            print("%-34s forward %.3f ms" % (name, forward_ms(*a, n=1)))
    elif which == "resnet8":
        for name, a in [("16->16 28", (16, 16, 1, 28)), ("16->32 /2 28", (16, 32, 2, 28)),
                        ("32->32 14", (32, 32, 1, 14)), ("32->64 /2 14", (32, 64, 2, 14)),
                        ("64->64 7", (64, 64, 1, 7))]:
            f, b = train_ms(*a, n=128)
            print("%-14s forward %.3f ms backward %.3f ms" % (name, f, b))
    elif which == "profile":
        import torchvision
        from torch.profiler import ProfilerActivity, profile
        model = torchvision.models.resnet18(weights=None).eval()
        x = torch.randn(1, 3, 224, 224)
        with torch.no_grad():
            for _ in range(20):
                model(x)
            with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
                for _ in range(50):
                    model(x)
        for e in prof.key_averages(group_by_input_shape=True):
            if e.key in ("aten::mkldnn_convolution", "aten::max_pool2d_with_indices"):
                print("%-32s %-40s %.3f ms x %d" % (e.key, str(e.input_shapes[:2])[:40],
                                                     e.cpu_time_total / e.count / 1e3, e.count // 50))
    else:
        sys.exit("usage: conv_layers.py resnet18|resnet8|profile [THREADS]")


if __name__ == "__main__":
    main()
