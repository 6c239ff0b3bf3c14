#!/usr/bin/python3
"""Reference attributions (Captum 0.6 / zennit) for netlens' attribution methods.

Usage (from the repository root; Captum and zennit are not installed system-wide):

  export PYTHONPATH=/work/ext/captum:/work/ext/zennit/src

  # the small model set whose ONNX files and goldens are committed (~15 s):
  /usr/bin/python3 netlens-explain/src/test/resources/goldens/make_attribution_goldens.py --set small \\
      --models-dir netlens-explain/src/test/resources/goldens/attribution-small \\
      --goldens-dir netlens-explain/src/test/resources/goldens/attribution-small

  # torchvision resnet18, vgg11_bn, mobilenet_v2 at 224x224 (on demand; ~5 min on 2 cores, ~590 MB of
  # ONNX, ~29 MB of goldens; --summary rewrites the committed compact summary):
  /usr/bin/python3 netlens-explain/src/test/resources/goldens/make_attribution_goldens.py --set torchvision \\
      --models-dir /data/netlens-models --goldens-dir /data/netlens-goldens \\
      --summary netlens-explain/src/test/resources/goldens/attribution-torchvision-summary.tsv

  # only the models, inputs and logits (~30 s; enough for the compact check against the committed summary):
  ... --set torchvision --models-dir D --goldens-dir D --models-only

Models: random weights (torch.manual_seed(0) before construction); BatchNorm running statistics
calibrated on a small batch (the three skimage photos, mirrored, and two noise images; rounded to
3 significant digits) so that BN normalises as in a trained network, then affine parameters randomised mildly (generator seeded 0:
weight U(0.8,1.2), bias U(-0.1,0.1)); eval mode.  (With torchvision's initialisation and BN at
mean 0 / var 1 mobilenet_v2's logits do not depend on the input: gradients ~1e-10.)  Before anything
is computed the model is put in the form the ONNX export has:
  * every BatchNorm that directly follows a convolution is folded into it (torch's
    fuse_conv_bn_eval) and replaced by nn.Identity - torch.onnx.export in eval mode folds BN the
    same way, so the exported file and the torch model used for the references hold bit-identical
    weights, and zennit's SequentialMergeBatchNorm has nothing left to merge;
  * ReLU modules are made unique and not in-place: torchvision's BasicBlock calls self.relu twice,
    which breaks Captum's DeepLift (it stores one input/output per module) and makes module hooks
    ambiguous, so blocks get a second nn.ReLU (relu2) for the post-addition ReLU (same function);
  * mobilenet_v2's functional adaptive_avg_pool2d becomes an nn.AdaptiveAvgPool2d module (same ONNX
    GlobalAveragePool) so that zennit can attach its Norm rule to it;
  * residual additions are plain `a + b` (ONNX Add); for zennit a canonizer rewrites them to
    zennit.layer.Sum over a stacked tensor (as zennit.torchvision.ResNetCanonizer does) so that the
    Norm rule applies to them.
The ONNX file: torch.onnx.export(opset 13, do_constant_folding=True, input "input", output "logits",
fixed batch 1).  The references are then computed in float64 with these float32 weights (exactly
representable): a float32 reference carries its own rounding noise - one ReLU whose pre-activation
lies within ~1e-6 of 0 flips its mask, which moves resnet18's 224x224 input gradient by relL2 1.6e-2
(torch float32 vs float64) - while the acceptance bound is 1e-2.  Goldens are stored as float32.
float64 convolutions are made position-uniform (install_uniform_float64_convolutions, checked per
model by check_uniform_convolutions) so that exact max-pool ties at blank inputs - the zero baseline
of integrated gradients' trapezoid rule - stay exact ties, as in float32 PyTorch.

Inputs: skimage's chelsea.png (a real photo), resized (shorter side 256, bilinear) and centre-cropped
to 224x224, or downsampled to 32x32 for the small set; scaled to [0,1] and normalised with the
ImageNet mean/std.  Target: the model's predicted class on that input.

Methods and reference configurations (see also the report printed at the end and manifest.json):
  gradient             Captum Saliency(abs=False)
  saliency             Captum Saliency(abs=True)
  input-x-gradient     Captum InputXGradient
  integrated-gradients Captum IntegratedGradients, baseline zeros, method='gausslegendre' n_steps=50 and
                       method='riemann_trapezoid' and 'riemann_left' n_steps=20 (internal batching; both
                       evaluate the gradient at the baseline itself)
  guided-backprop      Captum GuidedBackprop; deconvnet: Captum Deconvolution.  Captum only overrides
                       nn.ReLU; SPECS treats ReLU6 (ONNX Clip(0,6)) as ReLU-family, so on ReLU6 models the
                       default reference replaces nn.ReLU6 by a nn.ReLU subclass computing relu6 (Captum then
                       overrides it exactly as SPECS says) and a second case with relu_only=true keeps
                       Captum's stock behaviour.
  grad-cam             Captum LayerGradCam(relu_attributions=True) at a named layer
  guided-grad-cam      Captum GuidedGradCam (nearest upsampling)
  deeplift             Captum DeepLift (rescale, baseline zeros).  SPECS: MaxPool passes the ordinary
                       gradient of the max - the reference removes nn.MaxPool2d from Captum's
                       SUPPORTED_NON_LINEAR for that; the stock Captum max-pool rule is a second,
                       report-only case.  ReLU6 is registered as a rescale non-linearity.
  lrp                  zennit EpsilonPlusFlat and EpsilonGammaBox (per-channel bounds of the normalised
                       [0,1] range), relevance seeded with one-hot(target) * y; stock zennit rules, plus
                       report-only "spec-literal" variants (ZPlus without bias; the plain, non-generalised
                       gamma rule) to tell convention differences from bugs.
  grad-cam-pp, layer-cam, xgrad-cam, score-cam
                       no Captum equivalent: computed with torch from the SPECS section B formulas.
  smoothgrad, gradient-shap: not generated (they draw random noise; netlens and torch RNGs differ).

Outputs in GOLDENS_DIR: models.tsv (one row per model: ONNX file, input, logits, target, CAM layer with
its activation and gradient), manifest.tsv (one row per case), manifest.json (everything, with
versions and self-checks), summary.tsv (compact: sum, L2, values at fixed positions, full CAM maps)
and <model>/<case>.npy.  ONNX files go to MODELS_DIR.
"""

import argparse
import copy
import csv
import hashlib
import inspect
import json
import os
import sys
import time
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.mobilenetv2 import InvertedResidual, MobileNetV2
from torchvision.models.resnet import BasicBlock

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
SAMPLE_RANDOM = 150      # pseudo-random positions per case in the compact summary
SAMPLE_TOP = 50          # plus the positions of the largest |value|
SAMPLE_SEED = 20240611


# ---------------------------------------------------------------------------------------------
# torch 1.13 compatibility for the zennit checkout (written for torch >= 2.1)
# ---------------------------------------------------------------------------------------------

def install_zennit_shims():
    """zennit registers forward hooks with `with_kwargs=True` and swaps parameters with
    load_state_dict(assign=True); torch 1.13 has neither.  Our models call every module with
    positional arguments only, so passing an empty kwargs dict is exact, and `assign` is emulated by
    replacing the parameter objects.  Returns the list of shims installed."""
    installed = []
    if "with_kwargs" not in inspect.signature(nn.Module.register_forward_hook).parameters:
        orig_pre = nn.Module.register_forward_pre_hook
        orig_fwd = nn.Module.register_forward_hook

        def register_forward_pre_hook(self, hook, *, with_kwargs=False):
            if not with_kwargs:
                return orig_pre(self, hook)

            def wrapped(module, args):
                result = hook(module, args, {})
                if result is None:
                    return None
                new_args, new_kwargs = result
                if new_kwargs:
                    raise RuntimeError("zennit shim: keyword arguments are not supported on torch < 2")
                return new_args
            return orig_pre(self, wrapped)

        def register_forward_hook(self, hook, *, with_kwargs=False):
            if not with_kwargs:
                return orig_fwd(self, hook)
            return orig_fwd(self, lambda module, args, output: hook(module, args, {}, output))

        nn.Module.register_forward_pre_hook = register_forward_pre_hook
        nn.Module.register_forward_hook = register_forward_hook
        installed.append("forward hooks with_kwargs")
    if "assign" not in inspect.signature(nn.Module.load_state_dict).parameters:
        orig_load = nn.Module.load_state_dict

        def load_state_dict(self, state_dict, strict=True, assign=False):
            if not assign:
                return orig_load(self, state_dict, strict)
            for key, value in state_dict.items():
                owner = self
                *path, name = key.split(".")
                for p in path:
                    owner = getattr(owner, p)
                if name in owner._parameters:
                    # as torch >= 2.1: setattr of a Parameter also drops an instance attribute of the
                    # same name (zennit's MergeBatchNorm sets those with object.__setattr__)
                    old = owner._parameters[name]
                    setattr(owner, name, value if isinstance(value, nn.Parameter) else nn.Parameter(
                        value, requires_grad=old.requires_grad if old is not None else False))
                elif name in owner._buffers:
                    owner._buffers[name] = value
                else:
                    raise KeyError(key)
            return None

        nn.Module.load_state_dict = load_state_dict
        installed.append("load_state_dict(assign=True)")
    return installed


SHIMS = install_zennit_shims()

import captum  # noqa: E402
from captum.attr import (DeepLift, Deconvolution, GuidedBackprop, GuidedGradCam, InputXGradient,  # noqa: E402
                         IntegratedGradients, LayerGradCam, Saliency)
from captum.attr._core import deep_lift as captum_deep_lift  # noqa: E402
import zennit  # noqa: E402
from zennit.canonizers import AttributeCanonizer  # noqa: E402
from zennit.composites import EpsilonGammaBox, EpsilonPlusFlat  # noqa: E402
from zennit.core import BasicHook, Stabilizer  # noqa: E402
from zennit.layer import Sum  # noqa: E402
from zennit.rules import GammaMod, ZPlus  # noqa: E402
from zennit.types import Convolution  # noqa: E402


# ---------------------------------------------------------------------------------------------
# Model preparation
# ---------------------------------------------------------------------------------------------

class UniqueReluBasicBlock(BasicBlock):
    """torchvision BasicBlock with a separate ReLU module after the residual addition."""

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu2(out + identity)


class PooledMobileNetV2(MobileNetV2):
    """torchvision MobileNetV2 whose global average pooling is a module (self.pool)."""

    def forward(self, x):
        x = self.features(x)
        x = self.pool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


class ReLU6AsReLU(nn.ReLU):
    """relu6 as an nn.ReLU subclass: Captum's GuidedBackprop/Deconvolution override every
    isinstance(nn.ReLU) module, so this makes them apply their rule to ReLU6 as SPECS §A asks
    (guided: max(g_out, 0) * [0 < x < 6]; deconvnet: max(g_out, 0))."""

    def forward(self, x):
        return F.relu6(x)


class TinyResNet(nn.Module):
    """ResNet-like, 3x32x32: conv-BN-ReLU stem, padded 3x3/2 max pool, an identity block and a
    strided block with a 1x1 downsample, global average pool, linear."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = nn.Sequential(BasicBlock(8, 8))
        self.layer2 = nn.Sequential(BasicBlock(8, 16, stride=2, downsample=nn.Sequential(
            nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class TinyVGG(nn.Module):
    """VGG-like, 3x32x32: four conv-BN-ReLU with three 2x2 max pools, a 4x4 -> 2x2 average pool, two
    linear layers with ReLU and dropout."""

    def __init__(self, num_classes=10):
        super().__init__()

        def cbr(i, o):
            return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
        self.features = nn.Sequential(*cbr(3, 8), nn.MaxPool2d(2), *cbr(8, 16), nn.MaxPool2d(2),
                                      *cbr(16, 16), *cbr(16, 16), nn.MaxPool2d(2))
        self.avgpool = nn.AdaptiveAvgPool2d(2)
        self.classifier = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Dropout(), nn.Linear(32, num_classes))

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


class TinyMobileNet(nn.Module):
    """MobileNetV2-like, 3x32x32: ReLU6, depthwise convolutions, inverted residual blocks with and
    without a residual addition and linear bottlenecks (negative inputs to later convolutions)."""

    def __init__(self, num_classes=10):
        super().__init__()
        from torchvision.ops.misc import Conv2dNormActivation
        self.features = nn.Sequential(
            Conv2dNormActivation(3, 8, stride=2, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6),
            InvertedResidual(8, 8, 1, 1),
            InvertedResidual(8, 16, 2, 4),
            InvertedResidual(16, 16, 1, 4),
            Conv2dNormActivation(16, 32, kernel_size=1, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(32, num_classes))
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def init_tiny(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.bias is not None:
                nn.init.uniform_(m.bias, -0.1, 0.1)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.1)
            nn.init.uniform_(m.bias, -0.1, 0.1)
    return model


def calibration_batch(size):
    """The calibration photos and their mirror images, plus two N(0,1) noise images (seed 1)."""
    imgs = [load_input(size, p) for p in CALIBRATION_PHOTOS]
    imgs += [torch.flip(i, dims=[3]) for i in imgs]
    g = torch.Generator().manual_seed(1)
    imgs.append(torch.randn(2, 3, size, size, generator=g))
    return torch.cat(imgs)


def round_significant(t, digits):
    return torch.tensor([float("%.*g" % (digits, v)) for v in t.tolist()], dtype=t.dtype)


def calibrate_batchnorm(model, batch, seed=0):
    """BatchNorm as in a trained network: running mean/variance set to the statistics of a
    calibration batch (one train-mode pass with a cumulative average), then the affine parameters
    randomised mildly (generator seeded 0: weight U(0.8,1.2), bias U(-0.1,0.1)).  Without this,
    torchvision's initialisation (kaiming fan_out, which makes depthwise convolutions shrink their
    input ~sqrt(2/C) times) with eval-mode BN (mean 0, var 1) leaves mobilenet_v2's logits
    independent of the input (d logit/d input ~ 1e-10)."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    model.eval()
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
        m.train()
    with torch.no_grad():
        model(batch)
    model.eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in bns:
            # 3 significant digits: the statistics (hence the exported weights) do not depend on the
            # last bits of the calibration pass (thread count, CPU instruction set)
            m.running_mean.copy_(round_significant(m.running_mean, 3))
            m.running_var.copy_(round_significant(m.running_var, 3))
            m.momentum = 0.1
            c = m.num_features
            m.weight.copy_(torch.rand(c, generator=g) * 0.4 + 0.8)
            m.bias.copy_(torch.rand(c, generator=g) * 0.2 - 0.1)
    return len(bns)


def set_submodule(root, path, module):
    *parents, last = path.split(".")
    owner = root
    for p in parents:
        owner = getattr(owner, p)
    setattr(owner, last, module)


def leaves(model):
    return [(n, m) for n, m in model.named_modules() if not list(m.children())]


def fold_batchnorm(model):
    """Folds each BatchNorm that directly follows a convolution (in module order, as zennit's
    SequentialMergeBatchNorm) into the convolution; the BatchNorm becomes nn.Identity."""
    folded = []
    lv = leaves(model)
    for (n1, m1), (n2, m2) in zip(lv, lv[1:]):
        if isinstance(m1, nn.Conv2d) and isinstance(m2, nn.BatchNorm2d):
            set_submodule(model, n1, torch.nn.utils.fusion.fuse_conv_bn_eval(m1, m2))
            set_submodule(model, n2, nn.Identity())
            folded.append((n1, n2))
    left = [n for n, m in model.named_modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if left:
        raise RuntimeError("BatchNorm not preceded by a convolution: %s" % left)
    return folded


def make_relus_unique(model):
    n = 0
    for m in model.modules():
        if type(m) is BasicBlock:
            m.__class__ = UniqueReluBasicBlock
            m.relu2 = nn.ReLU()
            n += 1
    return n


def no_inplace(model):
    for m in model.modules():
        if hasattr(m, "inplace"):
            m.inplace = False


def check_unique_modules(model, x):
    """Every leaf module must run exactly once per forward (hooks of Captum/zennit assume it)."""
    counts = {}
    handles = [m.register_forward_hook(lambda mod, i, o, name=n: counts.__setitem__(name, counts.get(name, 0) + 1))
               for n, m in leaves(model)]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    reused = {k: v for k, v in counts.items() if v > 1}
    if reused:
        raise RuntimeError("modules used more than once: %s" % reused)


# Plane sizes of float64 convolution inputs are padded (bottom/right, with zeros) to a multiple of
# this before the convolution and the output cropped back: the same values, computed position-uniformly.
UNIFORM_CONV_ALIGN = 16


def install_uniform_float64_convolutions():
    """Makes every float64 nn.Conv2d compute all its output positions by the same sequence of
    operations, so that positions with equal receptive fields get bit-equal values and exact ties
    in max pooling stay exact ties (the gradient then goes to the window's first element, as in
    float32 PyTorch/oneDNN and in exact arithmetic).  It matters at blank inputs: the all-zero
    baseline that integrated gradients' trapezoid rule evaluates makes every feature map constant
    away from its borders.  torch's float64 convolution (im2col + BLAS) is not uniform on some plane
    sizes: on 14x14 and 7x7 planes with 64-512 channels one position came out differently rounded,
    which decided 786 ties of vgg11_bn's last pool at the zero input and moved its Riemann-trapezoid
    reference by relL2 1e-2.  Padding the input planes to a multiple of UNIFORM_CONV_ALIGN gave
    uniform outputs for every geometry of the models here; check_uniform_convolutions verifies it
    on each model before any reference is computed."""
    if getattr(nn.Conv2d, "_netlens_uniform", False):
        return
    plain = nn.Conv2d._conv_forward

    def forward(self, input, weight, bias):
        if (input.dtype != torch.float64 or self.padding_mode != "zeros" or input.dim() != 4
                or isinstance(self.padding, str)):
            return plain(self, input, weight, bias)
        h, w = input.shape[2:]
        ph, pw = (-h) % UNIFORM_CONV_ALIGN, (-w) % UNIFORM_CONV_ALIGN
        if ph == 0 and pw == 0:
            return plain(self, input, weight, bias)
        oh, ow = conv_output_size(self, h, w)
        return plain(self, F.pad(input, (0, pw, 0, ph)), weight, bias)[:, :, :oh, :ow]

    nn.Conv2d._conv_forward = forward
    nn.Conv2d._netlens_uniform = True


def conv_pads(conv):
    """The (top, left) zero padding of an nn.Conv2d, also for padding='valid' / 'same'."""
    if conv.padding == "valid":
        return 0, 0
    if conv.padding == "same":
        return tuple(d * (k - 1) // 2 for d, k in zip(conv.dilation, conv.kernel_size))
    return conv.padding


def conv_output_size(conv, h, w):
    (kh, kw), (sh, sw), (dh, dw), (ph, pw) = conv.kernel_size, conv.stride, conv.dilation, conv.padding
    return (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1


def check_uniform_convolutions(model, x, batches=(1,)):
    """Every nn.Conv2d of the (float64) model, fed per-channel-constant planes of the shape it sees
    on x, must give bit-equal outputs at all positions whose window lies inside the input - at each
    of the given batch sizes (the references run at batch 1 and at the internal batches)."""
    shapes = {}
    handles = [m.register_forward_hook(lambda mod, i, o, name=n: shapes.__setitem__(name, tuple(i[0].shape)))
               for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    g = torch.Generator().manual_seed(3)
    bad = []
    for name, m in model.named_modules():
        if name not in shapes:
            continue
        _, c, h, w = shapes[name]
        (kh, kw), (sh, sw), (dh, dw) = m.kernel_size, m.stride, m.dilation
        ph, pw = conv_pads(m)
        for n in batches:
            const = torch.randn(n, c, 1, 1, generator=g, dtype=x.dtype).expand(n, c, h, w).contiguous()
            with torch.no_grad():
                y = m(const)
            rows = [o for o in range(y.shape[2]) if o * sh - ph >= 0 and o * sh - ph + dh * (kh - 1) < h]
            cols = [o for o in range(y.shape[3]) if o * sw - pw >= 0 and o * sw - pw + dw * (kw - 1) < w]
            inner = y[:, :, rows][:, :, :, cols].reshape(y.shape[0] * y.shape[1], -1)
            if inner.shape[1] > 1 and bool((inner != inner[:, :1]).any()):
                bad.append("%s %s at batch %d" % (name, shapes[name], n))
    if bad:
        raise RuntimeError("float64 convolutions are not position-uniform (exact max-pool ties at blank "
                           "inputs would be decided by rounding): %s" % bad)


def set_relu6_class(model, cls):
    """Replaces every ReLU6-like module (nn.ReLU6 or ReLU6AsReLU) by a fresh instance of cls."""
    names = [n for n, m in model.named_modules() if isinstance(m, (nn.ReLU6, ReLU6AsReLU))]
    for n in names:
        set_submodule(model, n, cls())
    return len(names)


def has_relu6(model):
    return any(isinstance(m, (nn.ReLU6, ReLU6AsReLU)) for m in model.modules())


def has_maxpool(model):
    return any(isinstance(m, nn.MaxPool2d) for m in model.modules())


def build(name):
    """Returns (model as torchvision/our class builds it, prepared model) - the second is the one
    exported and explained."""
    torch.manual_seed(0)
    if name == "resnet18":
        model = torchvision.models.resnet18(weights=None)
    elif name == "vgg11_bn":
        model = torchvision.models.vgg11_bn(weights=None)
    elif name == "mobilenet_v2":
        model = torchvision.models.mobilenet_v2(weights=None)
    elif name == "tiny_resnet":
        model = init_tiny(TinyResNet())
    elif name == "tiny_vgg":
        model = init_tiny(TinyVGG())
    elif name == "tiny_mobilenet":
        model = init_tiny(TinyMobileNet())
    else:
        raise ValueError("unknown model " + name)
    calibrate_batchnorm(model, calibration_batch(MODELS[name][1]), 0)
    model.eval()
    return model


def prepare(model):
    m = copy.deepcopy(model)
    no_inplace(m)
    make_relus_unique(m)
    if type(m) is MobileNetV2:
        m.__class__ = PooledMobileNetV2
        m.pool = nn.AdaptiveAvgPool2d(1)
    fold_batchnorm(m)
    m.eval()
    for p in m.parameters():
        p.requires_grad_(True)
    return m


MODELS = {
    # name: (set, input size, CAM layer module, internal batch for IG, score-cam batch)
    "resnet18": ("torchvision", 224, "layer4", 10, 32),
    "vgg11_bn": ("torchvision", 224, "features.27", 10, 16),
    "mobilenet_v2": ("torchvision", 224, "features.18", 10, 32),
    "tiny_resnet": ("small", 32, "layer2", 50, 64),
    "tiny_vgg": ("small", 32, "features.13", 50, 64),
    "tiny_mobilenet": ("small", 32, "features.4", 50, 64),
}


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------

PHOTO = "chelsea.png"                                  # the explained input
CALIBRATION_PHOTOS = ("chelsea.png", "astronaut.png", "coffee.png")


def photo_path(name=PHOTO):
    try:
        import skimage.data
        p = os.path.join(os.path.dirname(skimage.data.__file__), name)
        if os.path.exists(p):
            return p
    except Exception:
        pass
    p = os.path.join("/usr/lib/python3/dist-packages/skimage/data", name)
    if os.path.exists(p):
        return p
    raise FileNotFoundError(name + " not found (install python3-skimage)")


def load_input(size, name=PHOTO):
    from PIL import Image
    img = Image.open(photo_path(name)).convert("RGB")
    w, h = img.size
    s = 256.0 / min(w, h)
    img = img.resize((max(256, round(w * s)), max(256, round(h * s))), Image.BILINEAR)
    w, h = img.size
    left, top = (w - 224) // 2, (h - 224) // 2
    img = img.crop((left, top, left + 224, top + 224))
    if size != 224:
        img = img.resize((size, size), Image.BOX)
    a = np.asarray(img, dtype=np.float32) / 255.0
    a = (a - np.array(MEAN, np.float32)) / np.array(STD, np.float32)
    return torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1)[None])).float()


def bounds(x):
    """Per-channel image of [0,1] under the normalisation: (low, high) with the input's shape."""
    mean = torch.tensor(MEAN, dtype=torch.float64).view(1, 3, 1, 1)
    std = torch.tensor(STD, dtype=torch.float64).view(1, 3, 1, 1)
    low = ((0 - mean) / std).expand(x.shape).to(x.dtype).contiguous()
    high = ((1 - mean) / std).expand(x.shape).to(x.dtype).contiguous()
    return low, high


# ---------------------------------------------------------------------------------------------
# ONNX
# ---------------------------------------------------------------------------------------------

def export_onnx(model, x, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (x,), path, opset_version=13, do_constant_folding=True,
                          input_names=["input"], output_names=["logits"], export_params=True,
                          training=torch.onnx.TrainingMode.EVAL)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    return m


def onnx_value_of_module(onnx_model, module_path, expected_shape):
    """The ONNX value holding a module's output: torch 1.13 names nodes by module scope
    ("/layer4/layer4.1/relu2/Relu"), so it is the output of the last node in the module's scope."""
    parts = module_path.split(".")
    prefix = "/" + "/".join(".".join(parts[:i + 1]) for i in range(len(parts))) + "/"
    nodes = [n for n in onnx_model.graph.node if n.name.startswith(prefix)]
    if not nodes:
        raise RuntimeError("no ONNX node in scope " + prefix)
    value = nodes[-1].output[0]
    inferred = onnx.shape_inference.infer_shapes(onnx_model)
    shapes = {vi.name: [d.dim_value for d in vi.type.tensor_type.shape.dim]
              for vi in list(inferred.graph.value_info) + list(inferred.graph.output)}
    if value in shapes and shapes[value] != list(expected_shape):
        raise RuntimeError("ONNX value %s has shape %s, module %s gives %s" % (
            value, shapes[value], module_path, list(expected_shape)))
    return value, nodes[-1].op_type


def onnx_ops(onnx_model):
    ops = {}
    for n in onnx_model.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    return ops


# ---------------------------------------------------------------------------------------------
# Reference computations
# ---------------------------------------------------------------------------------------------

def module(model, path):
    return model.get_submodule(path)


def layer_forward(model, x, layer, target):
    """(logits, activation, d logit[target] / d activation) at a module's output."""
    store = {}
    h = module(model, layer).register_forward_hook(lambda m, i, o: store.__setitem__("a", o))
    try:
        out = model(x)
    finally:
        h.remove()
    a = store["a"]
    g, = torch.autograd.grad(out[0, target], a)
    return out.detach(), a.detach(), g.detach()


class DeepLiftRules:
    """Temporarily edits Captum's DeepLift rule table: ReLU6AsReLU gets the rescale rule; with
    maxpool='gradient' nn.MaxPool2d is unregistered so it passes the ordinary gradient (SPECS §C)."""

    def __init__(self, maxpool):
        self.maxpool = maxpool
        self.saved = None

    def __enter__(self):
        table = captum_deep_lift.SUPPORTED_NON_LINEAR
        self.saved = dict(table)
        table[ReLU6AsReLU] = captum_deep_lift.nonlinear
        if self.maxpool == "gradient":
            table.pop(nn.MaxPool2d, None)
        return self

    def __exit__(self, *exc):
        table = captum_deep_lift.SUPPORTED_NON_LINEAR
        table.clear()
        table.update(self.saved)


def basic_block_forward_sum(self, x):
    identity = x
    out = self.relu(self.bn1(self.conv1(x)))
    out = self.bn2(self.conv2(out))
    if self.downsample is not None:
        identity = self.downsample(x)
    return self.relu2(self.canonizer_sum(torch.stack([identity, out], dim=-1)))


def inverted_residual_forward_sum(self, x):
    return self.canonizer_sum(torch.stack([x, self.conv(x)], dim=-1))


class ResidualSumCanonizer(AttributeCanonizer):
    """Residual additions through zennit.layer.Sum (zennit then applies Norm to them), for the
    prepared BasicBlock (as zennit.torchvision.ResNetBasicBlockCanonizer, but with relu2) and for
    MobileNetV2's InvertedResidual with a residual connection (zennit has no canonizer for it)."""

    def __init__(self):
        super().__init__(self._attribute_map)

    @classmethod
    def _attribute_map(cls, name, mod):
        if isinstance(mod, UniqueReluBasicBlock):
            return {"forward": basic_block_forward_sum.__get__(mod), "canonizer_sum": Sum()}
        if isinstance(mod, InvertedResidual) and mod.use_res_connect:
            return {"forward": inverted_residual_forward_sum.__get__(mod), "canonizer_sum": Sum()}
        return None

    def copy(self):
        return ResidualSumCanonizer()


class PlainGamma(BasicHook):
    """The gamma rule as SPECS §C writes it: weights w + gamma*w+ and bias b + gamma*b+ in numerator
    and denominator, whatever the output's sign (zennit's Gamma is the generalised rule, which uses
    w + gamma*w- for outputs < 0 and treats negative inputs separately)."""

    def __init__(self, gamma=0.25, stabilizer=1e-6):
        stab = Stabilizer.ensure(stabilizer)
        super().__init__(
            input_modifiers=[lambda a: a],
            param_modifiers=[GammaMod(gamma, min=0.)],
            output_modifiers=[lambda o: o],
            gradient_mapper=(lambda g, outputs: g / stab(outputs[0])),
            reducer=(lambda inputs, gradients: inputs[0] * gradients[0]),
        )


def zennit_lrp(model, x, target, composite):
    x = x.clone().requires_grad_(True)
    with composite.context(model) as m:
        out = m(x)
        seed = torch.zeros_like(out)
        seed[0, target] = out[0, target].detach()     # relevance at the output: y at the target
        rel, = torch.autograd.grad(out, x, seed)
    return rel.detach(), float(out[0, target])


def make_composite(kind, x, literal):
    canonizers = [ResidualSumCanonizer()]
    if kind == "epsilon-plus-flat":
        layer_map = [(Convolution, ZPlus(zero_params=["bias"]))] if literal else None
        return EpsilonPlusFlat(epsilon=1e-6, stabilizer=1e-6, layer_map=layer_map, canonizers=canonizers)
    if kind == "epsilon-gamma-box":
        low, high = bounds(x)
        layer_map = [(Convolution, PlainGamma(0.25))] if literal else None
        return EpsilonGammaBox(low=low, high=high, epsilon=1e-6, gamma=0.25, stabilizer=1e-6,
                               layer_map=layer_map, canonizers=canonizers)
    raise ValueError(kind)


def cam_from_formula(kind, a, g):
    """SPECS §B: CAM maps from a layer's activation A and gradient G, [1, 1, h, w]."""
    if kind == "grad-cam-pp":
        g2, g3 = g ** 2, g ** 3
        sum_a = a.sum(dim=(2, 3), keepdim=True)
        denom = 2 * g2 + sum_a * g3 + 1e-7
        alpha = torch.where(g != 0, g2 / denom, torch.zeros_like(g))
        w = (alpha * F.relu(g)).sum(dim=(2, 3), keepdim=True)
        return F.relu((w * a).sum(dim=1, keepdim=True))
    if kind == "layer-cam":
        return F.relu((F.relu(g) * a).sum(dim=1, keepdim=True))
    if kind == "xgrad-cam":
        sum_a = a.sum(dim=(2, 3), keepdim=True)
        w = (a / (sum_a + 1e-7) * g).sum(dim=(2, 3), keepdim=True)
        return F.relu((w * a).sum(dim=1, keepdim=True))
    raise ValueError(kind)


def score_cam(model, x, a, target, batch):
    """SPECS §B score-cam.  Conventions SPECS leaves open, chosen here: bilinear upsampling with
    align_corners=False (ONNX Resize half_pixel); a channel whose upsampled map is constant gets the
    mask 0 (the min-max normalisation would divide 0 by 0)."""
    up = F.interpolate(a, size=x.shape[2:], mode="bilinear", align_corners=False)
    mn = up.amin(dim=(2, 3), keepdim=True)
    mx = up.amax(dim=(2, 3), keepdim=True)
    rng = mx - mn
    masks = torch.where(rng > 0, (up - mn) / torch.where(rng > 0, rng, torch.ones_like(rng)), torch.zeros_like(up))
    k = a.shape[1]
    scores = []
    with torch.no_grad():
        for s in range(0, k, batch):
            m = masks[0, s:s + batch].unsqueeze(1)           # [b,1,H,W]
            scores.append(model(x * m)[:, target])
    s = torch.cat(scores)
    w = torch.softmax(s, dim=0).view(1, k, 1, 1)
    dead = int((rng.view(-1) == 0).sum())
    return F.relu((w * a).sum(dim=1, keepdim=True)), dead


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------

class Case:
    def __init__(self, method, variant, check, reference, options, compute, save=True):
        self.save = save                # False: computed for a cross-check only, not written
        self.method = method
        self.variant = variant
        self.check = check
        self.reference = reference
        self.options = options
        self.compute = compute

    @property
    def key(self):
        return self.method + ("__" + self.variant if self.variant else "")


def cases_for(name, model, x, target, layer_mod, layer_value, ig_batch, sc_batch):
    relu6 = has_relu6(model)
    maxpool = has_maxpool(model)
    zeros = torch.zeros_like(x)
    cam_layer = {"layer": layer_value}
    cs = []

    def with_relu6(cls, fn):
        def run():
            if relu6:
                set_relu6_class(model, cls)
            try:
                return fn()
            finally:
                if relu6:
                    set_relu6_class(model, nn.ReLU6)
        return run

    cs.append(Case("gradient", "", "assert", "captum.Saliency(abs=False)", {},
                   lambda: (Saliency(model).attribute(x, target=target, abs=False), {})))
    cs.append(Case("saliency", "", "assert", "captum.Saliency(abs=True)", {},
                   lambda: (Saliency(model).attribute(x, target=target, abs=True), {})))
    cs.append(Case("input-x-gradient", "", "assert", "captum.InputXGradient", {},
                   lambda: (InputXGradient(model).attribute(x, target=target), {})))

    def ig(method, steps):
        def run():
            attr, delta = IntegratedGradients(model).attribute(
                x, baselines=zeros, target=target, n_steps=steps, method=method,
                internal_batch_size=ig_batch, return_convergence_delta=True)
            return attr, {"convergence_delta": float(delta[0])}
        return run
    cs.append(Case("integrated-gradients", "gausslegendre-50", "assert",
                   "captum.IntegratedGradients(method='gausslegendre', n_steps=50, baselines=0)",
                   {"steps": 50, "integration": "gausslegendre"}, ig("gausslegendre", 50)))
    cs.append(Case("integrated-gradients", "riemann_trapezoid-20", "assert",
                   "captum.IntegratedGradients(method='riemann_trapezoid', n_steps=20, baselines=0)",
                   {"steps": 20, "integration": "riemann_trapezoid"}, ig("riemann_trapezoid", 20)))
    cs.append(Case("integrated-gradients", "riemann_left-20", "assert",
                   "captum.IntegratedGradients(method='riemann_left', n_steps=20, baselines=0)",
                   {"steps": 20, "integration": "riemann_left"}, ig("riemann_left", 20)))

    relu6_note = " (nn.ReLU6 replaced by an nn.ReLU subclass computing relu6, so Captum overrides it)" if relu6 else ""
    cs.append(Case("guided-backprop", "", "assert", "captum.GuidedBackprop" + relu6_note, {},
                   with_relu6(ReLU6AsReLU, lambda: (GuidedBackprop(model).attribute(x, target=target), {}))))
    cs.append(Case("deconvnet", "", "assert", "captum.Deconvolution" + relu6_note, {},
                   with_relu6(ReLU6AsReLU, lambda: (Deconvolution(model).attribute(x, target=target), {}))))
    if relu6:
        cs.append(Case("guided-backprop", "relu-only", "assert",
                       "captum.GuidedBackprop, stock: ReLU6 keeps its ordinary gradient", {"reluOnly": True},
                       lambda: (GuidedBackprop(model).attribute(x, target=target), {})))
        cs.append(Case("deconvnet", "relu-only", "assert",
                       "captum.Deconvolution, stock: ReLU6 keeps its ordinary gradient", {"reluOnly": True},
                       lambda: (Deconvolution(model).attribute(x, target=target), {})))

    cs.append(Case("grad-cam", "", "assert", "captum.LayerGradCam(%s, relu_attributions=True)" % layer_mod,
                   dict(cam_layer), lambda: (LayerGradCam(model, module(model, layer_mod)).attribute(
                       x, target=target, relu_attributions=True), {})))
    cs.append(Case("guided-grad-cam", "", "assert",
                   "captum.GuidedGradCam(%s, interpolate_mode='nearest')" % layer_mod + relu6_note, dict(cam_layer),
                   with_relu6(ReLU6AsReLU, lambda: (GuidedGradCam(model, module(model, layer_mod)).attribute(
                       x, target=target), {}))))
    if relu6:
        cs.append(Case("guided-grad-cam", "relu-only", "report",
                       "captum.GuidedGradCam(%s), stock: ReLU6 keeps its ordinary gradient" % layer_mod,
                       dict(cam_layer, reluOnly=True),
                       lambda: (GuidedGradCam(model, module(model, layer_mod)).attribute(x, target=target), {})))

    def deeplift(maxpool_rule):
        def run():
            with DeepLiftRules(maxpool_rule):
                if relu6:
                    set_relu6_class(model, ReLU6AsReLU)
                try:
                    attr, delta = DeepLift(model).attribute(x, baselines=zeros, target=target,
                                                            return_convergence_delta=True)
                finally:
                    if relu6:
                        set_relu6_class(model, nn.ReLU6)
            with torch.no_grad():
                fx, f0 = model(x)[0, target], model(zeros)[0, target]
            return attr, {"sum_attr": float(attr.sum()), "f(x)-f(0)": float(fx - f0),
                          "convergence_delta": float(delta[0])}
        return run
    dl_ref = "captum.DeepLift(rescale, baselines=0)"
    if relu6:
        dl_ref += " with ReLU6 as a rescale non-linearity"
    if maxpool:
        cs.append(Case("deeplift", "", "assert", dl_ref + "; nn.MaxPool2d unregistered (ordinary gradient)",
                       {}, deeplift("gradient")))
        # Captum's own max-pool rule, for the cross-check only: its input-gradient hook runs after the
        # preceding ReLU module has captured the unmodified gradient, so on conv-ReLU-MaxPool networks the
        # result equals the ordinary gradient (SPECS' claim; checked, not written)
        cs.append(Case("deeplift", "captum-maxpool", "report", dl_ref + "; Captum's stock max-pool rule", {},
                       deeplift("captum"), save=False))
    else:
        cs.append(Case("deeplift", "", "assert", dl_ref, {}, deeplift("gradient")))

    def lrp(kind, literal):
        def run():
            rel, y = zennit_lrp(model, x, target, make_composite(kind, x, literal))
            return rel, {"sum_relevance": float(rel.sum()), "y": y}
        return run
    zv = "zennit(%s)" % zennit_version()
    cs.append(Case("lrp", "epsilon-plus-flat", "assert",
                   zv + " EpsilonPlusFlat(epsilon=1e-6, stabilizer=1e-6) + residual Sum canonizer",
                   {"composite": "epsilon-plus-flat"}, lrp("epsilon-plus-flat", False)))
    cs.append(Case("lrp", "epsilon-gamma-box", "assert",
                   zv + " EpsilonGammaBox(low=(0-mean)/std, high=(1-mean)/std per channel, gamma=0.25) "
                   "+ residual Sum canonizer", {"composite": "epsilon-gamma-box"}, lrp("epsilon-gamma-box", False)))
    cs.append(Case("lrp", "epsilon-plus-flat~spec-literal", "report",
                   zv + " EpsilonPlusFlat with convolutions ZPlus(zero_params=['bias']) (SPECS: zplus drops the bias)",
                   {"composite": "epsilon-plus-flat"}, lrp("epsilon-plus-flat", True)))
    cs.append(Case("lrp", "epsilon-gamma-box~spec-literal", "report",
                   zv + " EpsilonGammaBox with convolutions PlainGamma (w + 0.25 w+, b + 0.25 b+ for every output)",
                   {"composite": "epsilon-gamma-box"}, lrp("epsilon-gamma-box", True)))

    def formula(kind):
        def run():
            _, a, g = layer_forward(model, x, layer_mod, target)
            return cam_from_formula(kind, a, g), {}
        return run
    for kind in ("grad-cam-pp", "layer-cam", "xgrad-cam"):
        cs.append(Case(kind, "", "assert", "torch, SPECS §B formula at %s (no Captum equivalent)" % layer_mod,
                       dict(cam_layer), formula(kind)))

    def sc():
        _, a, _ = layer_forward(model, x, layer_mod, target)
        m, dead = score_cam(model, x, a, target, sc_batch)
        return m, {"constant_channels": dead, "channels": int(a.shape[1])}
    cs.append(Case("score-cam", "", "report",
                   "torch, SPECS §B formula at %s; bilinear align_corners=False; constant channel -> mask 0" % layer_mod,
                   dict(cam_layer), sc))
    return cs


# ---------------------------------------------------------------------------------------------
# Self-checks
# ---------------------------------------------------------------------------------------------

def cos_rel(a, b):
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    cos = float(a @ b / (na * nb)) if na > 0 and nb > 0 else float("nan")
    rel = float(np.linalg.norm(a - b) / nb) if nb > 0 else float("nan")
    return cos, rel


def stock_zennit_check(name, original, x, target):
    """LRP with zennit's own canonizers on the unprepared model (BN modules, reused ReLU):
    what a zennit user would write.  Only for the ResNet/VGG-type models zennit has canonizers for."""
    from zennit.torchvision import ResNetCanonizer, VGGCanonizer
    m = copy.deepcopy(original).double()
    no_inplace(m)
    for p in m.parameters():
        p.requires_grad_(True)
    canon = ResNetCanonizer() if "resnet" in name else VGGCanonizer()
    out = {}
    for kind in ("epsilon-plus-flat", "epsilon-gamma-box"):
        if kind == "epsilon-plus-flat":
            comp = EpsilonPlusFlat(canonizers=[canon])
        else:
            low, high = bounds(x)
            comp = EpsilonGammaBox(low=low, high=high, canonizers=[canon])
        rel, _ = zennit_lrp(m, x, target, comp)
        out[kind] = rel.numpy()
    return out


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def zennit_version():
    v = getattr(zennit, "__version__", None)
    if v:
        return v
    try:
        from importlib.metadata import version
        return version("zennit")
    except Exception:
        pass
    return "src@" + source_digest(os.path.dirname(zennit.__file__))[:12]


def source_digest(directory):
    h = hashlib.sha256()
    for f in sorted(os.listdir(directory)):
        if f.endswith(".py"):
            with open(os.path.join(directory, f), "rb") as fh:
                h.update(f.encode() + b"\0" + fh.read())
    return h.hexdigest()


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sample_positions(arr):
    """Fixed pseudo-random flat positions (same for every case of a shape) plus the top-|value| ones;
    every position for small maps (CAMs)."""
    n = arr.size
    if n <= SAMPLE_RANDOM + SAMPLE_TOP:
        return np.arange(n)
    rng = np.random.default_rng(SAMPLE_SEED + n)
    rand = rng.choice(n, SAMPLE_RANDOM, replace=False)
    flat = np.abs(arr.ravel())
    top = np.argsort(-flat, kind="stable")
    top = [i for i in top[:SAMPLE_TOP + SAMPLE_RANDOM] if i not in set(rand.tolist())][:SAMPLE_TOP]
    return np.array(sorted(set(rand.tolist()) | set(int(i) for i in top)))


def fmt(v):
    return "%.9g" % v


MANIFEST_COLUMNS = ["case", "model", "method", "variant", "check", "golden", "shape", "target", "layer", "steps",
                    "integration", "composite", "relu_only", "sum", "l2", "abs_sum", "min", "max", "reference"]
SUMMARY_COLUMNS = MANIFEST_COLUMNS[:5] + MANIFEST_COLUMNS[6:] + ["input_sum", "input_l2", "target_logit", "idx", "val"]
MODEL_COLUMNS = ["model", "onnx", "onnx_sha256", "input", "logits", "target", "target_logit", "layer_module", "layer",
                 "layer_op", "layer_activation", "layer_gradient", "input_sum", "input_l2"]


def write_tsv(path, columns, rows, comments=()):
    with open(path, "w") as f:
        for c in comments:
            f.write("# " + c + "\n")
        f.write("\t".join(columns) + "\n")
        for r in rows:
            f.write("\t".join(str(r.get(c, "")).replace("\t", " ").replace("\n", " ") for c in columns) + "\n")


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def merge_rows(path, key, new_rows):
    """Rows of an existing TSV that the new rows do not replace (same value in column `key`), then
    the new rows: runs with --models or --methods update their part of the manifests."""
    replaced = {r[key] for r in new_rows}
    return [r for r in read_tsv(path) if r.get(key) not in replaced] + new_rows


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def run_model(name, models_dir, goldens_dir, models_only, only_methods, log, float32_noise=False):
    _, size, layer_mod, ig_batch, sc_batch = MODELS[name]
    t0 = time.time()
    original = build(name)
    model = prepare(original)
    x = load_input(size)
    check_unique_modules(model, x)
    with torch.no_grad():
        y_orig = original(x)
        y = model(x)
    fold_err = float((y - y_orig).abs().max() / y_orig.abs().max())
    os.makedirs(models_dir, exist_ok=True)
    mdir = os.path.join(goldens_dir, name)
    os.makedirs(mdir, exist_ok=True)

    onnx_path = os.path.join(models_dir, name + ".onnx")
    om = export_onnx(model, x, onnx_path)
    # References are computed in float64 with the exported float32 weights (exactly representable):
    # a float32 reference would add its own rounding noise - a ReLU whose pre-activation is within
    # ~1e-6 of 0 flips and changes a 224x224 gradient map by ~1e-2 (resnet18: torch float32 vs
    # float64 relL2 1.6e-2) - and the acceptance bound is 1e-2.
    y32 = y
    model32 = copy.deepcopy(model) if float32_noise else None
    model = model.double()
    original = original.double()
    x32, x = x, x.double()
    check_uniform_convolutions(model, x, sorted({1, ig_batch, sc_batch}))
    with torch.no_grad():
        y = model(x)
    target = int(y.argmax())
    top2 = torch.topk(y[0], 2).values
    if int(y32.argmax()) != target:
        raise RuntimeError("%s: float32 and float64 predict different classes" % name)
    _, a, g = layer_forward(model, x, layer_mod, target)
    layer_value, layer_op = onnx_value_of_module(om, layer_mod, a.shape)
    ops = onnx_ops(om)
    del om
    np.save(os.path.join(mdir, "input.npy"), x32.numpy())
    np.save(os.path.join(mdir, "logits.npy"), y.float().numpy())
    np.save(os.path.join(mdir, "layer_activation.npy"), a.float().numpy())
    np.save(os.path.join(mdir, "layer_gradient.npy"), g.float().numpy())
    xs = x
    model_row = dict(model=name, onnx=os.path.relpath(onnx_path, goldens_dir), onnx_sha256=file_sha256(onnx_path),
                     input=name + "/input.npy", logits=name + "/logits.npy", target=target,
                     target_logit=fmt(float(y[0, target])), layer_module=layer_mod, layer=layer_value,
                     layer_op=layer_op, layer_activation=name + "/layer_activation.npy",
                     layer_gradient=name + "/layer_gradient.npy", input_sum=fmt(float(xs.sum())),
                     input_l2=fmt(float(xs.norm())))
    info = dict(model=name, input_shape=list(x.shape), onnx_bytes=os.path.getsize(onnx_path), onnx_ops=ops,
                target=target, target_logit=float(y[0, target]), logits_top5=torch.topk(y[0], 5).indices.tolist(),
                target_margin=float(top2[0] - top2[1]), bn_fold_max_rel_err=fold_err, reference_dtype="float64", layer_module=layer_mod, layer=layer_value,
                layer_shape=list(a.shape), params=sum(p.numel() for p in model.parameters()), cases={})
    log("%s: %d params, ONNX %.1f MB (%s), target %d (logit %.4g), layer %s -> %s %s, BN fold rel err %.1e" % (
        name, info["params"], info["onnx_bytes"] / 1e6, ",".join("%s:%d" % kv for kv in sorted(ops.items())),
        target, info["target_logit"], layer_mod, layer_value, list(a.shape), fold_err))
    rows = []
    if models_only:
        return model_row, rows, info

    cases = cases_for(name, model, x, target, layer_mod, layer_value, ig_batch, sc_batch)
    cases32 = {c.key: c for c in cases_for(name, model32, x32, target, layer_mod, layer_value, ig_batch, sc_batch)} \
        if float32_noise else {}
    results = {}
    for c in cases:
        if only_methods and c.method not in only_methods:
            continue
        t1 = time.time()
        attr, extra = c.compute()
        attr = attr.detach().float().numpy()
        dt = time.time() - t1
        if not np.all(np.isfinite(attr)):
            raise RuntimeError("%s %s: non-finite attribution" % (name, c.key))
        results[c.key] = attr
        if c.key in cases32:
            # the same computation in float32: how far rounding alone moves this map
            a32 = cases32[c.key].compute()[0].detach().float().numpy()
            cos32, rel32 = cos_rel(a32, attr)
            extra["float32_vs_float64"] = {"cosine": cos32, "rel_l2": rel32}
            log("  %-40s float32 vs float64: cos %.7f relL2 %.2e" % (c.key, cos32, rel32))
        if not c.save:
            log("  %-40s %-7s %7.1fs  (cross-check only)" % (c.key, "-", dt))
            continue
        path = os.path.join(mdir, c.key + ".npy")
        np.save(path, attr)
        d = attr.astype(np.float64)
        row = dict(case=name + "/" + c.key, model=name, method=c.method, variant=c.variant, check=c.check,
                   golden=os.path.relpath(path, goldens_dir), shape="x".join(map(str, attr.shape)), target=target,
                   layer=c.options.get("layer", ""), steps=c.options.get("steps", ""),
                   integration=c.options.get("integration", ""), composite=c.options.get("composite", ""),
                   relu_only="true" if c.options.get("reluOnly") else "", sum=fmt(d.sum()),
                   l2=fmt(np.linalg.norm(d)), abs_sum=fmt(np.abs(d).sum()), min=fmt(d.min()), max=fmt(d.max()),
                   reference=c.reference, input_sum=model_row["input_sum"], input_l2=model_row["input_l2"],
                   target_logit=model_row["target_logit"])
        idx = sample_positions(attr)
        row["idx"] = ",".join(str(int(i)) for i in idx)
        row["val"] = ",".join("%.7g" % v for v in attr.ravel()[idx])
        rows.append(row)
        info["cases"][c.key] = dict(method=c.method, variant=c.variant, check=c.check, reference=c.reference,
                                    options=c.options, shape=list(attr.shape), seconds=round(dt, 2), **extra)
        log("  %-40s %-7s %7.1fs  sum %-12.5g l2 %-12.5g %s" % (
            c.key, c.check, dt, d.sum(), np.linalg.norm(d), " ".join("%s=%.5g" % kv for kv in extra.items() if isinstance(kv[1], (int, float)))))

    # cross-checks between cases (reported in manifest.json)
    checks = {}

    def pair(a, b):
        if a in results and b in results:
            cos, rel = cos_rel(results[a], results[b])
            checks["%s vs %s" % (a, b)] = {"cosine": cos, "rel_l2": rel}
    pair("integrated-gradients__gausslegendre-50", "integrated-gradients__riemann_trapezoid-20")
    pair("deeplift", "deeplift__captum-maxpool")
    pair("lrp__epsilon-plus-flat", "lrp__epsilon-plus-flat~spec-literal")
    pair("lrp__epsilon-gamma-box", "lrp__epsilon-gamma-box~spec-literal")
    pair("guided-backprop", "guided-backprop__relu-only")
    pair("deconvnet", "deconvnet__relu-only")
    if "grad-cam" in results:
        _, a2, g2 = layer_forward(model, x, layer_mod, target)
        w = g2.mean(dim=(2, 3), keepdim=True)
        own = F.relu((w * a2).sum(dim=1, keepdim=True)).numpy()
        cos, rel = cos_rel(own, results["grad-cam"])
        checks["grad-cam: SPECS formula vs Captum"] = {"cosine": cos, "rel_l2": rel}
    if ("lrp__epsilon-plus-flat" in results or "lrp__epsilon-gamma-box" in results) and not has_relu6(model):
        stock = stock_zennit_check(name, original, x, target)
        for kind, rel_arr in stock.items():
            key = "lrp__" + kind
            if key in results:
                cos, rel = cos_rel(results[key], rel_arr)
                checks["%s vs stock zennit canonizers on the unfolded model" % key] = {"cosine": cos, "rel_l2": rel}
    info["cross_checks"] = checks
    for k, v in checks.items():
        log("  check %-70s cos %.6f relL2 %.2e" % (k, v["cosine"], v["rel_l2"]))
    info["seconds"] = round(time.time() - t0, 1)
    return model_row, rows, info


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=["small", "torchvision"], required=True)
    ap.add_argument("--models-dir", required=True, help="where the ONNX files are written")
    ap.add_argument("--goldens-dir", required=True, help="where inputs, goldens and manifests are written")
    ap.add_argument("--models", help="comma-separated subset of the set's models")
    ap.add_argument("--methods", help="comma-separated subset of methods (registry names)")
    ap.add_argument("--models-only", action="store_true", help="export models, inputs, logits; no attributions")
    ap.add_argument("--summary", help="also copy the compact summary here")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's choice)")
    ap.add_argument("--float32-noise", action="store_true",
                    help="also compute every case in float32 and record its distance to the float64 reference "
                         "(the rounding noise floor any float32 implementation faces)")
    args = ap.parse_args()
    install_uniform_float64_convolutions()
    if args.threads:
        torch.set_num_threads(args.threads)
    names = [n for n, spec in MODELS.items() if spec[0] == args.set]
    if args.models:
        wanted = [m.strip() for m in args.models.split(",") if m.strip()]
        bad = [m for m in wanted if m not in names]
        if bad:
            ap.error("models %s are not in set %s (%s)" % (bad, args.set, names))
        names = wanted
    methods = set(m.strip() for m in args.methods.split(",")) if args.methods else None
    os.makedirs(args.goldens_dir, exist_ok=True)
    warnings.filterwarnings("ignore")

    t_all = time.time()

    def log(s):
        print("[%6.1fs] %s" % (time.time() - t_all, s), flush=True)

    versions = dict(torch=torch.__version__, torchvision=torchvision.__version__, captum=captum.__version__,
                    zennit=zennit_version(), zennit_source_sha256=source_digest(os.path.dirname(zennit.__file__)),
                    onnx=onnx.__version__, numpy=np.__version__, python=sys.version.split()[0],
                    torch_shims_for_zennit=SHIMS)
    log("versions: " + json.dumps(versions))
    model_rows, case_rows, infos = [], [], {}
    for name in names:
        mrow, rows, info = run_model(name, args.models_dir, args.goldens_dir, args.models_only, methods, log,
                                     args.float32_noise)
        model_rows.append(mrow)
        case_rows.extend(rows)
        infos[name] = info

    comments = ["netlens attribution goldens (set %s) by make_attribution_goldens.py; %s" % (
        args.set, " ".join("%s=%s" % (k, v) for k, v in versions.items() if k != "zennit_source_sha256"))]
    write_tsv(os.path.join(args.goldens_dir, "models.tsv"), MODEL_COLUMNS,
              merge_rows(os.path.join(args.goldens_dir, "models.tsv"), "model", model_rows), comments)
    json_path = os.path.join(args.goldens_dir, "manifest.json")
    old = {}
    if os.path.exists(json_path):
        with open(json_path) as f:
            old = json.load(f).get("models", {})
    old.update(infos)
    if not args.models_only:
        manifest = merge_rows(os.path.join(args.goldens_dir, "manifest.tsv"), "case", case_rows)
        write_tsv(os.path.join(args.goldens_dir, "manifest.tsv"), MANIFEST_COLUMNS, manifest, comments)
        summary = merge_rows(os.path.join(args.goldens_dir, "summary.tsv"), "case", case_rows)
        summary_comments = comments + [
            "compact summary: per case sum, l2, abs_sum, min, max of the reference attribution, and its values "
            "'val' at flat (row-major) positions 'idx' (%d fixed pseudo-random + %d largest |value|; all "
            "positions of maps with <= %d elements)" % (SAMPLE_RANDOM, SAMPLE_TOP, SAMPLE_RANDOM + SAMPLE_TOP)]
        write_tsv(os.path.join(args.goldens_dir, "summary.tsv"), SUMMARY_COLUMNS, summary, summary_comments)
        if args.summary:
            write_tsv(args.summary, SUMMARY_COLUMNS, merge_rows(args.summary, "case", case_rows), summary_comments)
    with open(json_path, "w") as f:
        json.dump({"set": args.set, "versions": versions, "input": {
            "photo": os.path.basename(photo_path()), "mean": MEAN, "std": STD,
            "preprocessing": "resize shorter side to 256 (bilinear), centre crop 224, box-downsample to the "
                             "model's size; /255; (x-mean)/std"}, "models": old}, f, indent=1)
    log("done: %d models, %d cases -> %s" % (len(names), len(case_rows), args.goldens_dir))


if __name__ == "__main__":
    main()
