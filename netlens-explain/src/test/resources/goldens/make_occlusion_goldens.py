#!/usr/bin/python3
"""Captum 0.6 Occlusion and FeatureAblation references for netlens' occlusion and feature-ablation.

Usage (from the repository root; Captum and zennit are not installed system-wide):

  export PYTHONPATH=/work/ext/captum:/work/ext/zennit/src
  # the committed small set (tiny_resnet, tiny_vgg, tiny_mobilenet at 32x32; ~10 s):
  /usr/bin/python3 netlens-explain/src/test/resources/goldens/make_occlusion_goldens.py --set small \\
      --models-dir netlens-explain/src/test/resources/goldens/attribution-small \\
      --out netlens-explain/src/test/resources/goldens/occlusion-small
  # torchvision resnet18, vgg11_bn, mobilenet_v2 at 224x224 (on demand; models as written by
  # make_attribution_goldens.py --set torchvision --models-only into the same --models-dir):
  ... --set torchvision --models-dir D --out D/occlusion

The models are rebuilt exactly as make_attribution_goldens.py builds them (same seeds, BatchNorm
folded), and their logits are checked against the exported ONNX file's recorded logits so that the
references belong to the committed model.  Each case is one Captum call on the photo input with
the model's recorded target class; cases.tsv lists them (window, stride, baseline, mask).
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_attribution_goldens as g  # noqa: E402
from captum.attr import FeatureAblation, Occlusion  # noqa: E402


def cases(size):
    """(name, kind, window, stride, baseline, mask block) per input size."""
    if size <= 64:
        return [("occlusion__w3x8x8-s3x4x4", "occlusion", (3, 8, 8), (3, 4, 4), 0.0, None),
                ("occlusion__w1x5x5-s1x3x2-b0.5", "occlusion", (1, 5, 5), (1, 3, 2), 0.5, None),
                ("feature-ablation__blocks4", "feature-ablation", None, None, 0.0, 4)]
    return [("occlusion__w3x16x16-s3x8x8", "occlusion", (3, 16, 16), (3, 8, 8), 0.0, None),
            ("feature-ablation__blocks32", "feature-ablation", None, None, 0.0, 32)]


def block_mask(size, block):
    ids = np.arange(size)[:, None] // block * ((size + block - 1) // block) + np.arange(size)[None, :] // block
    return torch.from_numpy(ids.astype(np.int64))[None, None]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=["small", "torchvision"], required=True)
    ap.add_argument("--models-dir", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = g.read_tsv(os.path.join(a.models_dir, "models.tsv"))
    lines = ["case\tmodel\tmethod\twindow\tstride\tbaseline\tmask_block\tgolden\ttarget\treference"]
    torch.set_num_threads(2)
    for row in rows:
        name = row["model"]
        if g.MODELS[name][0] != a.set:
            continue
        model = g.prepare(g.build(name))
        x = torch.from_numpy(np.load(os.path.join(a.models_dir, row["input"])))
        target = int(row["target"])
        with torch.no_grad():
            logits = model(x)
        recorded = np.load(os.path.join(a.models_dir, row["logits"]))
        err = float(np.abs(logits.numpy() - recorded).max())
        if err > 1e-4:
            sys.exit("%s: rebuilt model's logits differ from the recorded ones by %g" % (name, err))
        size = x.shape[-1]
        for case, kind, window, stride, baseline, block in cases(size):
            with torch.no_grad():
                if kind == "occlusion":
                    attr = Occlusion(model).attribute(x, sliding_window_shapes=window, strides=stride,
                                                      baselines=baseline, target=target, perturbations_per_eval=32)
                    ref = "captum.Occlusion(sliding_window_shapes=%s, strides=%s, baselines=%s)" % (window, stride, baseline)
                else:
                    mask = block_mask(size, block)
                    attr = FeatureAblation(model).attribute(x, baselines=baseline, target=target, feature_mask=mask,
                                                            perturbations_per_eval=32)
                    ref = "captum.FeatureAblation(feature_mask=%dx%d blocks, baselines=%s)" % (block, block, baseline)
            golden = "%s__%s.npy" % (name, case)
            np.save(os.path.join(a.out, golden), attr.numpy().astype(np.float32))
            lines.append("\t".join([name + "/" + case, name, kind,
                                    ",".join(map(str, window)) if window else "",
                                    ",".join(map(str, stride)) if stride else "",
                                    str(baseline), str(block or ""), golden, str(target), ref]))
            print(name, case, "max |attr| %.4g" % float(attr.abs().max()), flush=True)
    header = "# Captum %s, torch %s; made by make_occlusion_goldens.py --set %s" % (
        __import__("captum").__version__, torch.__version__, a.set)
    with open(os.path.join(a.out, "cases.tsv"), "w") as f:
        f.write(header + "\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
