#!/usr/bin/env python3
"""Agreement of `netlens attribute` with Captum on torchvision classifiers beyond the three of the
acceptance suite (random weights, float64 references, skimage photos): a robustness probe, not a
test — it needs Debian's python3-torch, python3-torchvision, python3-onnx, python3-skimage and Captum
0.6 on PYTHONPATH, and takes about 15 minutes on 2 cores.

    PYTHONPATH=<captum checkout> /usr/bin/python3 netlens-bench/scripts/agreement-beyond-acceptance.py OUT_DIR

For each model: export to ONNX (opset 13, fixed batch 1, as torch.onnx.export does by default),
pick the float64 model's top class, compute gradient, input x gradient and integrated gradients
(Gauss-Legendre, 32 steps) with Captum in float64, run `netlens attribute` on the same file and
print cosine similarity and relative L2 error (acceptance bounds 0.999 and 1e-2), and PyTorch's own
float32 result's relative L2 error against the same reference. With `--batch2`
the input is chelsea and astronaut in one batch, targets per item (integrated gradients then uses
Captum's trapezoid rule with 20 steps).
"""
import argparse, copy, os, subprocess, warnings
import numpy as np, torch, torchvision

MODELS = ["squeezenet1_1", "densenet121", "googlenet", "shufflenet_v2_x0_5", "efficientnet_b0",
          "mobilenet_v3_small", "resnet50", "alexnet", "mnasnet0_5", "regnet_x_400mf", "convnext_tiny"]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def photo(name, size):
    import skimage.data, skimage.transform
    img = skimage.transform.resize(getattr(skimage.data, name)(), (size, size), anti_aliasing=True)
    img = ((img[..., :3] - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]).transpose(2, 0, 1)
    return img.astype(np.float32)


def compare(a, b):
    a = a.astype(np.float64).ravel()
    b = b.astype(np.float64).ravel()
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-300)
    rel = np.linalg.norm(a - b) / (np.linalg.norm(b) + 1e-300)
    return cos, rel


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--batch2", action="store_true")
    args = ap.parse_args()
    from captum.attr import InputXGradient, IntegratedGradients, Saliency
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    for name in args.models.split(","):
        torch.manual_seed(0)
        kw = dict(aux_logits=False, init_weights=True) if name in ("googlenet", "inception_v3") else {}
        m = getattr(torchvision.models, name)(weights=None, **kw).eval()
        photos = ["chelsea", "astronaut"] if args.batch2 else ["chelsea"]
        x = torch.from_numpy(np.stack([photo(p, 224) for p in photos]))
        onnx_path = os.path.join(args.out, name + ".onnx")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(m, (x[:1],), onnx_path, opset_version=13, do_constant_folding=True,
                              input_names=["input"], output_names=["logits"],
                              training=torch.onnx.TrainingMode.EVAL)
        x_path = os.path.join(args.out, name + "_input.npy")
        np.save(x_path, x.numpy())
        md, xd = m.double(), x.double()
        with torch.no_grad():
            targets = md(xd).argmax(1).tolist()
        steps, rule = (20, "riemann_trapezoid") if args.batch2 else (32, "gausslegendre")

        def captum(model, inputs):
            return {
                "gradient": Saliency(model).attribute(inputs.clone().requires_grad_(True), target=targets, abs=False),
                "input-x-gradient": InputXGradient(model).attribute(inputs.clone().requires_grad_(True), target=targets),
                "integrated-gradients": IntegratedGradients(model).attribute(
                    inputs.clone().requires_grad_(True), target=targets, n_steps=steps, method=rule,
                    internal_batch_size=8),
            }
        refs = captum(md, xd)
        refs32 = captum(copy.deepcopy(md).float(), x)
        for method, ref in refs.items():
            out = os.path.join(args.out, "%s_%s.npy" % (name, method))
            cmd = [os.path.join(ROOT, "netlens"), "attribute", "--model", onnx_path, "--input", x_path,
                   "--method", method, "--output", out, "--force"]
            if not args.batch2:
                cmd += ["--target", str(targets[0])]
            if method == "integrated-gradients":
                cmd += ["--steps", str(steps), "--integration", rule]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                print("%-20s %-22s ERROR %s" % (name, method, r.stderr.strip().splitlines()[-1]), flush=True)
                continue
            got = np.load(out)
            per_item = [compare(got[i], ref[i].detach().numpy()) for i in range(len(photos))]
            torch32 = [compare(refs32[method][i].detach().numpy(), ref[i].detach().numpy())[1] for i in range(len(photos))]
            print("%-20s %-22s %s" % (name, method, "  ".join(
                "%s: cos %.6f relL2 %.2e%s (torch f32 %.2e)" % (
                    photos[i], c, e, "" if c >= 0.999 and e <= 1e-2 else " <--", torch32[i])
                for i, (c, e) in enumerate(per_item))), flush=True)


if __name__ == "__main__":
    main()
