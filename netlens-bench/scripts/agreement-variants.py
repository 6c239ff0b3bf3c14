#!/usr/bin/env python3
"""Agreement of `netlens attribute` with Captum (float64) on the acceptance suite's three models with
settings its goldens do not use: a batch of two photos (the goldens' chelsea input and skimage's
coffee), target class 7 rather than the top class, and a per-item non-zero baseline (the input
blurred with a Gaussian of sigma 8 pixels) for integrated gradients and DeepLIFT; LRP with the
goldens' zennit composites (epsilon-plus-flat, epsilon-gamma-box); layer integrated gradients (zero
input baseline), layer gradient x activation and Grad-CAM at a middle layer. A probe, not a test. The models are the goldens' ONNX
files (make_attribution_goldens.py --set torchvision --models-dir D --goldens-dir D), rebuilt in
PyTorch by that script's own build/prepare:

    PYTHONPATH=<captum 0.6>:<zennit src> /usr/bin/python3 netlens-bench/scripts/agreement-variants.py D OUT

DeepLIFT's reference registers ReLU6 as a rescale non-linearity, as the goldens do (stock Captum
gives ReLU6 its ordinary gradient, which breaks summation-to-delta). PyTorch's own float32 result
is printed beside netlens' for the same reference.
"""
import copy, os, subprocess, sys
import numpy as np, scipy.ndimage, torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "netlens-explain/src/test/resources/goldens"))
import make_attribution_goldens as G  # noqa: E402
from captum.attr import (DeepLift, InputXGradient, IntegratedGradients, LayerGradCam,  # noqa: E402
                         LayerGradientXActivation, LayerIntegratedGradients)

# a middle layer of each model, followed by max pooling in VGG11-bn
LAYERS = {"resnet18": "layer3", "vgg11_bn": "features.20", "mobilenet_v2": "features.14"}

TARGET = 7


def rel(a, b):
    return float(np.linalg.norm(a.ravel() - b.ravel()) / np.linalg.norm(b.ravel()))


def onnx_value(path, module_path):
    """The ONNX value of a module's output: the last node in its scope (torch 1.13's node names)."""
    import onnx
    parts = module_path.split(".")
    prefix = "/" + "/".join(".".join(parts[:i + 1]) for i in range(len(parts))) + "/"
    return [n for n in onnx.load(path).graph.node if n.name.startswith(prefix)][-1].output[0]


def lrp(model, xs, composite):
    """zennit's relevance for every item of a batch, seeded with y at the target (as the goldens)."""
    x = xs.clone().requires_grad_(True)
    with composite.context(model) as m:
        y = m(x)
        seed = torch.zeros_like(y)
        seed[:, TARGET] = y[:, TARGET].detach()
        rel, = torch.autograd.grad(y, x, seed)
    return rel.detach().double().numpy()


def main():
    goldens, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(2)
    import skimage.data, skimage.transform
    coffee = skimage.transform.resize(skimage.data.coffee(), (224, 224), anti_aliasing=True)
    coffee = ((coffee - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]).transpose(2, 0, 1)[None]
    for name in ("resnet18", "vgg11_bn", "mobilenet_v2"):
        x = np.concatenate([np.load(os.path.join(goldens, name, "input.npy")), coffee]).astype(np.float32)
        base = np.stack([scipy.ndimage.gaussian_filter(x[i], sigma=(0, 8, 8)) for i in range(2)]).astype(np.float32)
        x_path, b_path = os.path.join(out, name + "_x.npy"), os.path.join(out, name + "_base.npy")
        np.save(x_path, x)
        np.save(b_path, base)
        m32 = G.prepare(G.build(name)).eval()
        m64 = copy.deepcopy(m32).double()

        def refs(model, xs, bs):
            r = lambda: xs.clone().requires_grad_(True)  # noqa: E731
            ig = IntegratedGradients(model).attribute(r(), baselines=bs, target=TARGET, n_steps=32,
                                                      method="gausslegendre", internal_batch_size=8)
            with G.DeepLiftRules("gradient"):
                G.set_relu6_class(model, G.ReLU6AsReLU)
                try:
                    dl = DeepLift(model).attribute(r(), baselines=bs, target=TARGET)
                finally:
                    G.set_relu6_class(model, torch.nn.ReLU6)
            ixg = InputXGradient(model).attribute(r(), target=TARGET)
            out = {k: v.detach().double().numpy() for k, v in
                   (("integrated-gradients", ig), ("deeplift", dl), ("input-x-gradient", ixg))}
            for kind in ("epsilon-plus-flat", "epsilon-gamma-box"):
                out["lrp:" + kind] = lrp(model, xs, G.make_composite(kind, xs, False))
            layer = G.module(model, LAYERS[name])
            out["layer-integrated-gradients"] = LayerIntegratedGradients(model, layer).attribute(
                r(), target=TARGET, n_steps=32, method="gausslegendre", internal_batch_size=8).detach().double().numpy()
            out["layer-gradient-x-activation"] = LayerGradientXActivation(model, layer).attribute(
                r(), target=TARGET).detach().double().numpy()
            out["grad-cam"] = LayerGradCam(model, layer).attribute(
                r(), target=TARGET, relu_attributions=True).detach().double().numpy()
            return out

        value = onnx_value(os.path.join(goldens, name + ".onnx"), LAYERS[name])
        r64 = refs(m64, torch.from_numpy(x).double(), torch.from_numpy(base).double())
        r32 = refs(m32, torch.from_numpy(x), torch.from_numpy(base))
        for method, ref in r64.items():
            o = os.path.join(out, "%s_%s.npy" % (name, method.replace(":", "_")))
            cmd = [os.path.join(ROOT, "netlens"), "attribute", "--model", os.path.join(goldens, name + ".onnx"),
                   "--input", x_path, "--method", method.split(":")[0], "--target", str(TARGET), "--output", o,
                   "--force"]
            if method.startswith("lrp:"):
                # zennit's own composites (netlens' zennit-* ones), the goldens' input normalisation for zB
                cmd += ["--composite", "zennit-" + method.split(":")[1], "--mean", "0.485,0.456,0.406",
                        "--std", "0.229,0.224,0.225"]
            elif method.startswith("layer-") or method == "grad-cam":
                cmd += ["--layer", value]
            elif method != "input-x-gradient":
                cmd += ["--baseline", b_path]
            if method in ("integrated-gradients", "layer-integrated-gradients"):
                cmd += ["--steps", "32"]
            subprocess.run(cmd, check=True, capture_output=True)
            got = np.load(o).astype(np.float64)
            print("%-13s %-22s %s" % (name, method, "  ".join(
                "item %d: netlens %.2e, torch float32 %.2e" % (i, rel(got[i], ref[i]), rel(r32[method][i], ref[i]))
                for i in range(2))), flush=True)


if __name__ == "__main__":
    main()
