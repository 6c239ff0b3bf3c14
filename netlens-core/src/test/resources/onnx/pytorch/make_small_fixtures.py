#!/usr/bin/python3
"""Tiny PyTorch modules -> ONNX fixtures for the netlens importer.

Usage: /usr/bin/python3 make_small_fixtures.py OUT_DIR [--only name1,name2]

Each module exercises one pattern found in real torchvision CNN exports.  For
every module we write
    <module>_op<opset>_fold<0|1>.onnx   (opset 11, 13, 17; constant folding off/on)
    <module>.input.npy                  (float32, fixed seed)
    <module>.output.npy                 (PyTorch eval-mode output, float32)
and one manifest.tsv describing all files (op inventory per file).

Weights are random (torch.manual_seed per module); BatchNorm running stats and
affine params are randomised so BN is not the identity.  Needs torch + onnx
(Debian's /usr/bin/python3 has torch 1.13, onnx 1.12).
"""

import argparse
import os
import sys
import time
import traceback
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_inventory import check, inventory, opset_of  # noqa: E402

OPSETS = (11, 13, 17)
FOLDINGS = (0, 1)


# --------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------

def cbr(cin, cout, k=3, s=1, p=None, groups=1, act=nn.ReLU, eps=1e-5, dil=1):
    """conv (no bias) + BN + activation, torchvision style."""
    if p is None:
        p = (k // 2) * dil
    layers = [nn.Conv2d(cin, cout, k, s, p, dilation=dil, groups=groups, bias=False),
              nn.BatchNorm2d(cout, eps=eps)]
    if act is not None:
        layers.append(act(inplace=True) if act in (nn.ReLU, nn.ReLU6, nn.Hardswish, nn.SiLU) else act())
    return nn.Sequential(*layers)


class ConvBnRelu(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


class ConvBiasBnRelu(nn.Module):
    """conv WITH bias + BN + ReLU, stride 2 (VGG-bn / fused-bias case)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, stride=2, padding=1, bias=True)
        self.bn = nn.BatchNorm2d(6)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


class ResNetBasic(nn.Module):
    """ResNet stem (7x7/2 conv, BN, ReLU, maxpool 3/2/1) + identity block + downsample block."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 4, 7, 2, 3, bias=False), nn.BatchNorm2d(4), nn.ReLU(inplace=True),
                                  nn.MaxPool2d(3, 2, 1))
        self.block1 = BasicBlock(4, 4, 1)
        self.block2 = BasicBlock(4, 8, 2)

    def forward(self, x):
        return self.block2(self.block1(self.stem(x)))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hid = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.conv = nn.Sequential(
            cbr(cin, hid, 1, act=nn.ReLU6),
            cbr(hid, hid, 3, stride, groups=hid, act=nn.ReLU6),
            nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return x + self.conv(x) if self.use_res else self.conv(x)


class MobileNetV2Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = cbr(3, 8, 3, 2, act=nn.ReLU6)
        self.b1 = InvertedResidual(8, 8, 1, 4)
        self.b2 = InvertedResidual(8, 12, 2, 2)

    def forward(self, x):
        return self.b2(self.b1(self.stem(x)))


class SqueezeExcitation(nn.Module):
    """torchvision.ops.SqueezeExcitation layout: avgpool, fc1 (1x1 conv), act, fc2, scale act."""

    def __init__(self, c, sq, act=nn.ReLU, scale=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(c, sq, 1)
        self.fc2 = nn.Conv2d(sq, c, 1)
        self.act = act()
        self.scale = scale()

    def forward(self, x):
        s = self.scale(self.fc2(self.act(self.fc1(self.avgpool(x)))))
        return s * x


class MobileNetV3Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = cbr(3, 8, 3, 2, act=nn.Hardswish)
        self.expand = cbr(8, 16, 1, act=nn.Hardswish)
        self.dw = cbr(16, 16, 5, 1, groups=16, act=nn.Hardswish)
        self.se = SqueezeExcitation(16, 8, act=nn.ReLU, scale=nn.Hardsigmoid)
        self.project = cbr(16, 8, 1, act=None)

    def forward(self, x):
        y = self.stem(x)
        return y + self.project(self.se(self.dw(self.expand(y))))


def channel_shuffle(x, groups: int):
    batchsize, num_channels, height, width = x.size()
    channels_per_group = num_channels // groups
    x = x.view(batchsize, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batchsize, -1, height, width)


class ShuffleNetBlock(nn.Module):
    """ShuffleNetV2 stride-1 unit: chunk, branch2 on half, concat, channel_shuffle."""

    def __init__(self):
        super().__init__()
        self.stem = cbr(3, 8, 3, 1)
        self.branch2 = nn.Sequential(cbr(4, 4, 1), cbr(4, 4, 3, groups=4, act=None), cbr(4, 4, 1))

    def forward(self, x):
        x = self.stem(x)
        x1, x2 = x.chunk(2, dim=1)
        out = torch.cat((x1, self.branch2(x2)), dim=1)
        return channel_shuffle(out, 2)


class Inception(nn.Module):
    """GoogLeNet inception: 1x1 | 1x1->3x3 | 1x1->3x3 | maxpool(3,1,1,ceil)->1x1, concat."""

    def __init__(self):
        super().__init__()
        e = 0.001
        self.b1 = cbr(3, 4, 1, eps=e)
        self.b2 = nn.Sequential(cbr(3, 3, 1, eps=e), cbr(3, 6, 3, eps=e))
        self.b3 = nn.Sequential(cbr(3, 2, 1, eps=e), cbr(2, 3, 3, eps=e))
        self.b4 = nn.Sequential(nn.MaxPool2d(3, 1, 1, ceil_mode=True), cbr(3, 3, 1, eps=e))

    def forward(self, x):
        return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1)


class MaxPoolVariants(nn.Module):
    """maxpool 3/2 ceil_mode (GoogLeNet), 3/2 pad 1 (ResNet), 3/2 pad 1 ceil."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.p_ceil = nn.MaxPool2d(3, 2, ceil_mode=True)          # 16 -> 8 (floor would be 7)
        self.p_pad = nn.MaxPool2d(3, 2, padding=1)                # 8 -> 4
        self.p_pad_ceil = nn.MaxPool2d(3, 2, padding=1, ceil_mode=True)  # 16 -> 9

    def forward(self, x):
        x = self.conv(x)
        a = self.p_pad(self.p_ceil(x))
        b = self.p_pad_ceil(x)
        return torch.cat([a.flatten(1), b.flatten(1)], 1)


class AvgPoolVariants(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.incl = nn.AvgPool2d(3, 2, 1, count_include_pad=True)                   # 16 -> 8
        self.excl = nn.AvgPool2d(3, 2, 1, count_include_pad=False)                  # 16 -> 8
        self.ceil = nn.AvgPool2d(3, 2, ceil_mode=True)                              # 16 -> 8
        self.ceil_pad = nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=True)   # 16 -> 9
        self.ceil_pad_ex = nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)  # 16 -> 9
        self.k2 = nn.AvgPool2d(2, 2)                                                # 16 -> 8 (DenseNet transition)

    def forward(self, x):
        x = self.conv(x)
        outs = [m(x).flatten(1) for m in (self.incl, self.excl, self.ceil, self.ceil_pad, self.ceil_pad_ex, self.k2)]
        return torch.cat(outs, 1)


class AdaptiveFlattenLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = cbr(3, 8, 3, 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.avgpool(self.features(x))
        x = torch.flatten(x, 1)
        return self.fc(x)


class AdaptiveNonGlobal(nn.Module):
    """AdaptiveAvgPool2d to a non-1 size (VGG/AlexNet (7,7)/(6,6) head) with divisible and identity sizes."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.pool4 = nn.AdaptiveAvgPool2d((4, 4))   # 8 -> 4 (exported as AveragePool k=2,s=2)
        self.pool16 = nn.AdaptiveAvgPool2d(8)       # identity size
        self.fc = nn.Linear(4 * 16 + 4 * 64, 5)

    def forward(self, x):
        x = self.conv(x)
        return self.fc(torch.cat([torch.flatten(self.pool4(x), 1), torch.flatten(self.pool16(x), 1)], 1))


class ViewFlattenLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, 2, 1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        x = x.view(x.size(0), -1)
        return self.fc(x)


class Linear3d(nn.Module):
    """nn.Linear on a 3-D input (MatMul + Add), with and without bias."""

    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(8, 6, bias=False)
        self.l2 = nn.Linear(6, 4)

    def forward(self, x):
        return self.l2(torch.tanh(self.l1(x)))


class Linear2dNoBias(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(8, 6, bias=False)
        self.l2 = nn.Linear(6, 4)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


class DropoutEval(nn.Module):
    """AlexNet/VGG classifier: Dropout, Linear, ReLU, Dropout, Linear (+ Dropout2d in features)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, 2, 1)
        self.drop2d = nn.Dropout2d(0.2)
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Linear(256, 16), nn.ReLU(inplace=True),
                                        nn.Dropout(p=0.5), nn.Linear(16, 5))

    def forward(self, x):
        x = self.drop2d(F.relu(self.conv(x)))
        return self.classifier(torch.flatten(x, 1))


class SiluGelu(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 6, 3, padding=1)
        self.c2 = nn.Conv2d(6, 6, 3, padding=1)
        self.silu = nn.SiLU(inplace=True)
        self.gelu = nn.GELU()
        self.gelu_tanh = nn.GELU(approximate="tanh")

    def forward(self, x):
        y = self.silu(self.c1(x))
        y2 = x * torch.sigmoid(x)  # hand-written swish
        z = self.c2(y)
        return torch.cat([self.gelu(z), self.gelu_tanh(z), y2], 1)


class Activations(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.acts = nn.ModuleList([nn.LeakyReLU(0.1), nn.PReLU(4), nn.ELU(alpha=0.8), nn.SELU(), nn.Softplus(),
                                   nn.Tanh(), nn.Sigmoid(), nn.Hardtanh(-0.5, 0.7), nn.ReLU6(), nn.Hardswish(),
                                   nn.Hardsigmoid()])

    def forward(self, x):
        x = self.conv(x) * 3.0
        return torch.cat([a(x) for a in self.acts], 1)


class LRN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.lrn = nn.LocalResponseNorm(5, alpha=0.05, beta=0.75, k=2.0)
        self.pool = nn.MaxPool2d(3, 2)

    def forward(self, x):
        return self.pool(self.lrn(F.relu(self.conv(x))))


class InterpNearest(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")

    def forward(self, x):
        x = self.conv(x)
        a = F.interpolate(x, scale_factor=2, mode="nearest")
        b = self.up(x)
        c = F.interpolate(x, size=(16, 16), mode="nearest")
        return torch.cat([a, b - c], 1)


class InterpBilinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        a = F.interpolate(x, size=(12, 12), mode="bilinear", align_corners=False)
        b = F.interpolate(x, size=(12, 12), mode="bilinear", align_corners=True)
        c = F.interpolate(x, scale_factor=1.5, mode="bilinear", align_corners=False)
        return torch.cat([a, b, c], 1)


class PadModes(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        a = F.pad(x, (1, 2, 2, 1), mode="reflect")
        b = F.pad(x, (1, 2, 2, 1), mode="replicate")
        c = F.pad(x, (1, 2, 2, 1), mode="constant", value=0.5)
        d = nn.ZeroPad2d((2, 1, 1, 2))(x)
        return torch.cat([a, b, c, d], 1)


class ConvTranspose(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.deconv = nn.ConvTranspose2d(4, 8, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.deconv2 = nn.ConvTranspose2d(8, 4, 2, stride=2, bias=False)

    def forward(self, x):
        return self.deconv2(F.relu(self.deconv(self.conv(x))))


class DilatedGrouped(nn.Module):
    """ResNeXt-like bottleneck: 1x1, grouped 3x3 (groups=4), 1x1, residual; then a dilated 3x3."""

    def __init__(self):
        super().__init__()
        self.stem = cbr(3, 8, 3)
        self.reduce = cbr(8, 8, 1)
        self.grouped = cbr(8, 8, 3, groups=4)
        self.expand = cbr(8, 8, 1, act=None)
        self.dilated = nn.Conv2d(8, 6, 3, padding=2, dilation=2)
        self.dilated_grouped = nn.Conv2d(6, 6, 3, padding=3, dilation=3, groups=3)

    def forward(self, x):
        x = self.stem(x)
        x = F.relu(x + self.expand(self.grouped(self.reduce(x))))
        return self.dilated_grouped(self.dilated(x))


class Conv1dNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(4, 8, 5, padding=2, bias=False)
        self.bn = nn.BatchNorm1d(8)
        self.pool = nn.MaxPool1d(2)
        self.c2 = nn.Conv1d(8, 8, 3, stride=2, groups=2, dilation=2, padding=2)
        self.avg = nn.AvgPool1d(2)

    def forward(self, x):
        x = self.pool(F.relu(self.bn(self.c1(x))))
        return self.avg(self.c2(x))


class SoftmaxDim1(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        return torch.cat([F.softmax(x, dim=1), F.log_softmax(x, dim=1), torch.softmax(x, dim=-1)], 1)


class SoftmaxLogits(nn.Module):
    """Classifier head: Linear -> softmax(dim=1) on 2-D (the common case)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        z = self.fc(x)
        return torch.cat([F.softmax(z, dim=1), F.log_softmax(z, dim=-1)], 1)


class Reductions(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        m = x.mean((2, 3))
        s = x.sum(dim=(2, 3)) * 0.01
        a = x.amax(dim=(2, 3))
        k = x.mean(1, keepdim=True).flatten(2).amax(2)      # keepdim ReduceMean, then ReduceMax
        mn = torch.amin(x, dim=(2, 3))
        per_sample = x.sum(dim=(1, 2, 3)).unsqueeze(1) * 1e-4   # keeps the module batch-independent
        return torch.cat([m, s, a, k, mn], 1) + per_sample


class ReduceAll(nn.Module):
    """Reductions over ALL axes (no dim argument): x.mean(), x.sum(), x.abs().amax() -> scalars broadcast back.
    Couples the samples of a batch, so it is exported with a fixed batch only."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        return torch.cat([x.mean((2, 3)) - x.mean(), x.amax((2, 3)) / x.abs().max(), x.sum((2, 3)) / x.sum()], 1)


class AmaxAll(nn.Module):
    """x.amax() with no dim. torch 1.13 exports ReduceMax with an EMPTY 'axes' attribute, which fails
    onnx.checker inside torch.onnx.export at every opset: kept on purpose as a recorded export failure."""

    def forward(self, x):
        return x / x.abs().amax()


class CatChunkSplit(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        a, b = x.chunk(2, 1)
        c, d, e = torch.split(x, [2, 3, 3], dim=1)
        f, g = torch.split(x, 4, dim=1)
        return torch.cat([b, a, F.relu(c), torch.sigmoid(d), e, g - f], 1)


class TransposePermuteReshape(nn.Module):
    """NCHW -> tokens (permute/reshape), Linear on 3-D, back (transpose/reshape using x.shape)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, 2, 1)
        self.fc = nn.Linear(4, 6)

    def forward(self, x):
        x = self.conv(x)
        n, c, h, w = x.shape
        t = x.permute(0, 2, 3, 1).reshape(n, -1, c)
        t = self.fc(t)
        t = t.transpose(1, 2)
        return t.reshape(n, 6, h, w)


class Clamp(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        x = self.conv(x) * 2.0
        return torch.cat([torch.clamp(x, -0.5, 0.5), x.clamp(min=0.1), x.clamp(max=0.3),
                          F.relu6(x), F.hardtanh(x, -1.0, 1.0)], 1)


class Elementwise(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.y = nn.Parameter(torch.rand(4, 1, 1) + 0.5)      # positive, broadcast over H, W
        self.row = nn.Parameter(torch.randn(8))              # broadcast over last dim

    def forward(self, x):
        x = self.conv(x)
        g = x.mean((2, 3), keepdim=True)                       # [N,C,1,1] activation-activation broadcast
        pos = x.abs() + 1.0
        outs = [x * self.y, x / self.y, x - self.y, x + self.row, x * g, x / (g.abs() + 1.0),
                x ** 2, torch.pow(pos, 0.5), torch.sqrt(pos), torch.exp(x * 0.5), torch.log(pos),
                torch.abs(x), -x, torch.reciprocal(pos), 1.0 / pos, torch.rsqrt(pos), 2.0 - x,
                torch.maximum(x, g), torch.minimum(x, self.y)]
        return torch.cat(outs, 1)


class DenseLayer(nn.Module):
    def __init__(self, cin, growth, bn_size=2):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, bn_size * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)

    def forward(self, feats):
        x = torch.cat(feats, 1)
        x = self.conv1(F.relu(self.norm1(x)))
        return self.conv2(F.relu(self.norm2(x)))


class DenseBlock(nn.Module):
    """DenseNet: pre-activation BN-ReLU-conv layers with concat growth, then a transition."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 6, 3, padding=1, bias=False)
        self.layers = nn.ModuleList([DenseLayer(6 + i * 4, 4) for i in range(3)])
        self.trans = nn.Sequential(nn.BatchNorm2d(18), nn.ReLU(inplace=True), nn.Conv2d(18, 8, 1, bias=False),
                                   nn.AvgPool2d(2, 2))
        self.norm5 = nn.BatchNorm2d(8)

    def forward(self, x):
        feats = [self.stem(x)]
        for layer in self.layers:
            feats.append(layer(feats))
        y = self.trans(torch.cat(feats, 1))
        return F.adaptive_avg_pool2d(F.relu(self.norm5(y)), (1, 1)).flatten(1)


class RegNetBlock(nn.Module):
    """RegNetY bottleneck: 1x1, grouped 3x3 stride 2 (group width 4), SE(sigmoid), 1x1; projection shortcut."""

    def __init__(self):
        super().__init__()
        self.stem = cbr(3, 8, 3, 2)
        self.a = cbr(8, 16, 1)
        self.b = cbr(16, 16, 3, 2, groups=4)
        self.se = SqueezeExcitation(16, 2, act=nn.ReLU, scale=nn.Sigmoid)
        self.c = cbr(16, 16, 1, act=None)
        self.proj = cbr(8, 16, 1, 2, act=None)

    def forward(self, x):
        x = self.stem(x)
        return F.relu(self.proj(x) + self.c(self.se(self.b(self.a(x)))))


class LinearBn1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.bn = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(F.relu(self.bn(self.fc1(x))))


class MultiOutput(nn.Module):
    """Two graph outputs (aux head style); fixtures keep output 0 only."""

    def __init__(self):
        super().__init__()
        self.conv = cbr(3, 4, 3, 2)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        y = self.conv(x)
        return self.fc(y.mean((2, 3))), y


# (name, factory, input shape, dynamic batch?, note[, options])
# options: {"training": "preserve"} exports with TrainingMode.PRESERVE (model still in eval mode), which
# skips torch's eval-mode Conv+BN fusion so BatchNormalization nodes stay in the graph.
MODULES = [
    ("conv_bn_relu", ConvBnRelu, (2, 3, 16, 16), True, "conv(no bias)+BN+ReLU"),
    ("conv_bn_relu_unfused", ConvBnRelu, (2, 3, 16, 16), True,
     "same as conv_bn_relu, exported with training=PRESERVE: BN kept as BatchNormalization", {"training": "preserve"}),
    ("conv_bias_bn_relu_static", ConvBiasBnRelu, (2, 3, 16, 16), False, "conv with bias, stride 2, BN, F.relu; fixed batch"),
    ("resnet_basic_block", ResNetBasic, (2, 3, 32, 32), True, "ResNet stem + BasicBlock identity + downsample"),
    ("resnet_basic_block_unfused", ResNetBasic, (2, 3, 32, 32), True,
     "same as resnet_basic_block, training=PRESERVE: Conv+BatchNormalization unfused", {"training": "preserve"}),
    ("mbv2_inverted_residual", MobileNetV2Block, (2, 3, 16, 16), True, "depthwise/pointwise ReLU6, residual add"),
    ("mbv3_se_hardswish", MobileNetV3Block, (2, 3, 16, 16), True, "Hardswish, SE with Hardsigmoid"),
    ("shufflenet_channel_shuffle", ShuffleNetBlock, (2, 3, 16, 16), True, "chunk + view/transpose/view from x.size()"),
    ("shufflenet_channel_shuffle_static", ShuffleNetBlock, (2, 3, 16, 16), False, "same, fixed batch"),
    ("inception_concat", Inception, (2, 3, 8, 8), True, "4 branches incl maxpool 3/1/1 ceil, concat"),
    ("maxpool_ceil_pad", MaxPoolVariants, (2, 3, 16, 16), True, "maxpool ceil_mode / padding / both"),
    ("avgpool_variants", AvgPoolVariants, (2, 3, 16, 16), True, "avgpool count_include_pad T/F, ceil_mode, k2"),
    ("adaptive_flatten_linear", AdaptiveFlattenLinear, (2, 3, 16, 16), True, "AdaptiveAvgPool2d((1,1)) + flatten + Linear"),
    ("adaptive_avgpool_nonglobal", AdaptiveNonGlobal, (2, 3, 8, 8), True, "AdaptiveAvgPool2d((4,4)) and identity size"),
    ("view_flatten_linear", ViewFlattenLinear, (2, 3, 16, 16), True, "x.view(x.size(0), -1) + Linear"),
    ("view_flatten_linear_static", ViewFlattenLinear, (2, 3, 16, 16), False, "same, fixed batch"),
    ("linear_3d", Linear3d, (2, 5, 8), True, "Linear(no bias) and Linear on 3-D input"),
    ("linear_2d_nobias", Linear2dNoBias, (2, 8), True, "Linear without bias on 2-D input"),
    ("dropout_eval", DropoutEval, (2, 3, 16, 16), True, "Dropout/Dropout2d in eval"),
    ("silu_gelu", SiluGelu, (2, 3, 8, 8), True, "SiLU, x*sigmoid(x), GELU erf and tanh"),
    ("activations", Activations, (2, 3, 8, 8), True,
     "LeakyReLU PReLU(per-channel) ELU SELU Softplus Tanh Sigmoid Hardtanh ReLU6 Hardswish Hardsigmoid"),
    ("local_response_norm", LRN, (2, 3, 16, 16), True, "nn.LocalResponseNorm(5) (AlexNet-style)"),
    ("local_response_norm_static", LRN, (2, 3, 16, 16), False, "same, fixed batch"),
    ("interp_nearest", InterpNearest, (2, 3, 8, 8), True, "nearest x2 (F.interpolate, nn.Upsample, size)"),
    ("interp_nearest_static", InterpNearest, (2, 3, 8, 8), False, "same, fixed batch"),
    ("interp_bilinear", InterpBilinear, (2, 3, 8, 8), True, "bilinear to size align_corners F/T, scale 1.5"),
    ("pad_modes", PadModes, (2, 3, 8, 8), True, "F.pad reflect/replicate/constant(0.5), ZeroPad2d"),
    ("conv_transpose", ConvTranspose, (2, 3, 8, 8), True, "ConvTranspose2d output_padding + groups; k2 s2"),
    ("dilated_grouped_conv", DilatedGrouped, (2, 3, 16, 16), True, "ResNeXt grouped bottleneck, dilated conv"),
    ("conv1d", Conv1dNet, (2, 4, 32), True, "Conv1d/BatchNorm1d/MaxPool1d/AvgPool1d, grouped+dilated Conv1d"),
    ("softmax_dim1", SoftmaxDim1, (2, 3, 8, 8), True, "softmax/log_softmax dim=1 and -1 on 4-D"),
    ("softmax_logits", SoftmaxLogits, (2, 8), True, "softmax/log_softmax on 2-D logits"),
    ("reductions", Reductions, (2, 3, 16, 16), True, "mean((2,3)), sum, amax, amin, keepdim, per-sample sum"),
    ("reduce_all_static", ReduceAll, (2, 3, 8, 8), False, "mean()/max()/sum() over all axes (couples batch: fixed batch)"),
    ("amax_all_static", AmaxAll, (2, 3, 8, 8), False,
     "EXPECTED FAILURE: x.amax() without dim (torch 1.13 emits ReduceMax axes=[]); use x.max() instead"),
    ("cat_chunk_split", CatChunkSplit, (2, 3, 8, 8), True, "chunk, split sizes, split int, cat"),
    ("transpose_permute_reshape", TransposePermuteReshape, (2, 3, 16, 16), True, "permute/reshape/transpose via x.shape"),
    ("transpose_permute_reshape_static", TransposePermuteReshape, (2, 3, 16, 16), False, "same, fixed batch"),
    ("clamp", Clamp, (2, 3, 8, 8), True, "clamp(min,max), min only, max only, relu6, hardtanh"),
    ("elementwise_broadcast", Elementwise, (2, 3, 8, 8), True,
     "mul div sub add pow sqrt exp log abs neg reciprocal rsqrt max min with broadcasting"),
    ("dense_block", DenseBlock, (2, 3, 16, 16), True, "DenseNet pre-activation layers, concat growth, transition"),
    ("regnet_block", RegNetBlock, (2, 3, 16, 16), True, "RegNetY: grouped conv + SE + projection shortcut"),
    ("linear_bn1d", LinearBn1d, (2, 8), True, "Linear -> BatchNorm1d -> ReLU -> Linear"),
    ("multi_output", MultiOutput, (2, 3, 16, 16), True, "two graph outputs; output.npy is output 0"),
]


def randomize_bn(model):
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                if m.affine:
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.5, 0.5)


def module_seed(name):
    return sum((i + 1) * ord(c) for i, c in enumerate(name)) % 100000


def build(name, factory, in_shape):
    base = name[:-len("_static")] if name.endswith("_static") else name
    seed = module_seed(base)           # static twin gets the same weights/input as its dynamic twin
    torch.manual_seed(seed)
    model = factory()
    randomize_bn(model)
    model.eval()
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(*in_shape, generator=g)
    with torch.no_grad():
        y = model(x)
    return model, x, y


def export(model, x, path, opset, fold, dynamic, n_out, training="eval"):
    out_names = ["output"] + ["output%d" % i for i in range(1, n_out)]
    kwargs = {}
    if dynamic:
        kwargs["dynamic_axes"] = {"input": {0: "batch"}}
        for o in out_names:
            kwargs["dynamic_axes"][o] = {0: "batch"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (x,), path, opset_version=opset, do_constant_folding=bool(fold),
                          input_names=["input"], output_names=out_names, export_params=True,
                          training=(torch.onnx.TrainingMode.PRESERVE if training == "preserve"
                                    else torch.onnx.TrainingMode.EVAL), **kwargs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--only", default="", help="comma-separated module names")
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    torch.set_num_threads(1)
    tv = torch.__version__

    header = ["file", "module", "opset", "folding", "batch", "input_shape", "output_shape", "status",
              "declared_output_shape", "onnx_opset", "onnx_ops", "op_details", "size_bytes", "export_s",
              "torch_version", "note"]
    rows = []
    n_fail = 0
    for entry in MODULES:
        name, factory, in_shape, dynamic, note = entry[:5]
        opts = entry[5] if len(entry) > 5 else {}
        if only and name not in only:
            continue
        model, x, y = build(name, factory, in_shape)
        n_out = len(y) if isinstance(y, (tuple, list)) else 1
        y0 = y[0] if isinstance(y, (tuple, list)) else y
        assert torch.isfinite(y0).all(), name
        np.save(os.path.join(args.out_dir, name + ".input.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(args.out_dir, name + ".output.npy"), y0.numpy().astype(np.float32))
        for opset in OPSETS:
            for fold in FOLDINGS:
                fname = "%s_op%d_fold%d.onnx" % (name, opset, fold)
                path = os.path.join(args.out_dir, fname)
                row = dict(file=fname, module=name, opset=opset, folding=fold,
                           batch="dynamic" if dynamic else "fixed",
                           input_shape="x".join(map(str, in_shape)),
                           output_shape="x".join(map(str, y0.shape)), torch_version=tv, note=note,
                           onnx_opset="", onnx_ops="", op_details="", size_bytes="", export_s="",
                           declared_output_shape="")
                t0 = time.time()
                try:
                    export(model, x, path, opset, fold, dynamic, n_out, opts.get("training", "eval"))
                    dt = time.time() - t0
                    m = onnx.load(path)
                    status = check(m)
                    ops, details = inventory(m)
                    # declared graph output shape (symbolic dims appear when shapes flow through Shape ops)
                    dims = [d.dim_param or str(d.dim_value) for d in m.graph.output[0].type.tensor_type.shape.dim]
                    for d, s in zip(dims, y0.shape):
                        if d.isdigit() and int(d) != s:
                            status += " (declared output dim %s != torch %s)" % (d, s)
                    row.update(status=status, onnx_opset=opset_of(m), onnx_ops=ops, op_details=details,
                               size_bytes=os.path.getsize(path), export_s="%.3f" % dt,
                               declared_output_shape="x".join(dims))
                except Exception as e:  # record and continue
                    n_fail += 1
                    msg = ("%s: %s" % (type(e).__name__, str(e))).replace("\t", " ").replace("\n", " ")[:300]
                    row.update(file="", status="FAILED: " + msg)
                    if os.path.exists(path):
                        os.remove(path)
                    traceback.print_exc(limit=1)
                rows.append(row)
                print("%-40s op%d fold%d %-10s %5.2fs %s" % (name, opset, fold, row["status"][:10],
                                                               time.time() - t0, row["onnx_ops"][:90]),
                      flush=True)

    with open(os.path.join(args.out_dir, "manifest.tsv"), "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(str(r[h]) for h in header) + "\n")
    total = sum(os.path.getsize(os.path.join(args.out_dir, p)) for p in os.listdir(args.out_dir))
    print("%d exports, %d failed, total size %.1f KB in %s" % (len(rows), n_fail, total / 1024, args.out_dir))


if __name__ == "__main__":
    main()
