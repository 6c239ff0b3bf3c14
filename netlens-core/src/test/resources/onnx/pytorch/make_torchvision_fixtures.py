#!/usr/bin/python3
"""Export torchvision classification models (random weights) to ONNX fixtures.

Usage:
  /usr/bin/python3 make_torchvision_fixtures.py OUT_DIR [--models a,b] [--opsets 11,13,17]
                                                [--folding 0,1] [--fixed-batch] [--bn-stats random|default]

For each model (weights=None, torch.manual_seed(0)) and each opset x folding:
    <model>_op<opset>_fold<f>.onnx
plus once per model
    <model>.input.npy    float32 [1,3,224,224], torch.randn with a generator seeded 1
    <model>.output.npy   float32 logits [1,1000] from PyTorch in eval mode
and OUT_DIR/manifest.tsv (rows are merged with an existing manifest by file name, so several
runs into the same OUT_DIR accumulate).

BatchNorm running statistics of a freshly constructed model are mean 0 / var 1 and its affine
params 1 / 0, which makes every BN (almost) the identity and hides BN bugs in an importer.  With
--bn-stats random (the default) they are set to mild random values from a generator seeded 0
(mean U(-0.1,0.1), var U(0.75,1.25), weight U(0.8,1.2), bias U(-0.1,0.1)).  --bn-stats default
keeps torchvision's initialisation.  Degenerate logits (NaN/inf, all equal) are flagged in the
manifest.  Export failures are recorded per item and the run continues.
"""

import argparse
import csv
import os
import sys
import time
import traceback
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_inventory import check, inventory, opset_of  # noqa: E402

ALL_MODELS = ["resnet18", "vgg11_bn", "alexnet", "squeezenet1_0", "densenet121", "googlenet", "mobilenet_v2",
              "mobilenet_v3_small", "mobilenet_v3_large", "shufflenet_v2_x1_0", "mnasnet1_0", "efficientnet_b0",
              "regnet_y_400mf"]

HEADER = ["file", "model", "opset", "folding", "batch", "input_shape", "output_shape", "status", "onnx_opset",
          "onnx_ops", "op_details", "size_bytes", "export_s", "check_s", "bn_stats", "output_stats", "degenerate",
          "torch_version", "torchvision_version"]


def construct(name):
    tvm = torchvision.models
    if name == "googlenet":
        return tvm.googlenet(weights=None, aux_logits=False, init_weights=True, transform_input=False)
    return getattr(tvm, name)(weights=None)


def randomize_bn(model, seed=0):
    g = torch.Generator().manual_seed(seed)
    n = 0
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                c = m.num_features
                if m.running_mean is not None:
                    m.running_mean.copy_(torch.rand(c, generator=g) * 0.2 - 0.1)
                    m.running_var.copy_(torch.rand(c, generator=g) * 0.5 + 0.75)
                if m.affine:
                    m.weight.copy_(torch.rand(c, generator=g) * 0.4 + 0.8)
                    m.bias.copy_(torch.rand(c, generator=g) * 0.2 - 0.1)
                n += 1
    return n


def output_stats(y):
    y = y.astype(np.float64)
    finite = np.isfinite(y)
    if not finite.all():
        return "nonfinite=%d" % int((~finite).sum()), "DEGENERATE: NaN/inf in logits"
    s = "min=%.4g max=%.4g mean=%.4g std=%.4g argmax=%d" % (y.min(), y.max(), y.mean(), y.std(), int(y.argmax()))
    if np.ptp(y) == 0:
        return s, "DEGENERATE: all logits equal"
    if np.abs(y).max() > 1e6:
        return s, "WARNING: huge logits (>1e6)"
    if y.std() < 1e-6 * max(1.0, abs(y.mean())):
        return s, "WARNING: near-constant logits"
    if np.abs(y).max() < 0.05:
        return s, "NOTE: small logits (max |y| < 0.05): compare with a relative tolerance"
    return s, ""


def read_manifest(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def write_manifest(path, rows):
    def key(r):
        return (r["model"], int(r["opset"]), int(r["folding"]))
    rows = sorted(rows, key=key)
    with open(path, "w") as f:
        f.write("\t".join(HEADER) + "\n")
        for r in rows:
            f.write("\t".join(str(r.get(h, "")) for h in HEADER) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--models", default=",".join(ALL_MODELS))
    ap.add_argument("--opsets", default="11,13,17")
    ap.add_argument("--folding", default="0,1")
    ap.add_argument("--fixed-batch", action="store_true", help="no dynamic batch axis")
    ap.add_argument("--bn-stats", choices=["random", "default"], default="random")
    args = ap.parse_args()

    models = [m.strip() for m in args.models.split(",") if m.strip()]
    opsets = [int(o) for o in args.opsets.split(",")]
    foldings = [int(f) for f in args.folding.split(",")]
    unknown = [m for m in models if m not in ALL_MODELS]
    if unknown:
        print("note: models outside the default list: %s (tried anyway)" % unknown)
    os.makedirs(args.out_dir, exist_ok=True)
    man_path = os.path.join(args.out_dir, "manifest.tsv")
    rows = {(r["model"], r["opset"], r["folding"]): r for r in read_manifest(man_path)}
    dynamic = not args.fixed_batch
    n_fail = 0
    t_all = time.time()

    g = torch.Generator().manual_seed(1)
    x = torch.randn(1, 3, 224, 224, generator=g)

    for mi, name in enumerate(models):
        print("[%d/%d] %s: building (seed 0, bn-stats %s)" % (mi + 1, len(models), name, args.bn_stats), flush=True)
        base = dict(model=name, batch="dynamic" if dynamic else "fixed", input_shape="1x3x224x224",
                    torch_version=torch.__version__, torchvision_version=torchvision.__version__,
                    bn_stats=args.bn_stats)
        try:
            torch.manual_seed(0)
            model = construct(name)
            if args.bn_stats == "random":
                randomize_bn(model, 0)
            model.eval()
            with torch.no_grad():
                y = model(x)
            if isinstance(y, (tuple, list)):
                y = y[0]
            y = y.numpy().astype(np.float32)
            np.save(os.path.join(args.out_dir, name + ".input.npy"), x.numpy().astype(np.float32))
            np.save(os.path.join(args.out_dir, name + ".output.npy"), y)
            stats, degen = output_stats(y)
            base.update(output_shape="x".join(map(str, y.shape)), output_stats=stats, degenerate=degen)
            print("    logits %s %s %s" % (base["output_shape"], stats, degen), flush=True)
        except Exception as e:
            msg = ("%s: %s" % (type(e).__name__, e)).replace("\t", " ").replace("\n", " ")[:300]
            print("    BUILD FAILED: " + msg, flush=True)
            for opset in opsets:
                for fold in foldings:
                    rows[(name, str(opset), str(fold))] = dict(base, file="", opset=opset, folding=fold,
                                                               status="FAILED(build): " + msg)
                    n_fail += 1
            continue

        for opset in opsets:
            for fold in foldings:
                fname = "%s_op%d_fold%d.onnx" % (name, opset, fold)
                path = os.path.join(args.out_dir, fname)
                row = dict(base, file=fname, opset=opset, folding=fold)
                t0 = time.time()
                try:
                    kw = {}
                    if dynamic:
                        kw["dynamic_axes"] = {"input": {0: "batch"}, "output": {0: "batch"}}
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        torch.onnx.export(model, (x,), path, opset_version=opset, do_constant_folding=bool(fold),
                                          input_names=["input"], output_names=["output"], export_params=True,
                                          training=torch.onnx.TrainingMode.EVAL, **kw)
                    t_exp = time.time() - t0
                    t1 = time.time()
                    m = onnx.load(path)
                    status = check(m)
                    ops, details = inventory(m)
                    t_chk = time.time() - t1
                    onnx_opset = opset_of(m)
                    del m
                    row.update(status=status, onnx_opset=onnx_opset,
                               onnx_ops=ops, op_details=details, size_bytes=os.path.getsize(path),
                               export_s="%.2f" % t_exp, check_s="%.2f" % t_chk)
                    print("    op%d fold%d ok  %7.1f MB  export %6.2fs  check %5.2fs  %s" % (
                        opset, fold, os.path.getsize(path) / 1e6, t_exp, t_chk, ops[:100]), flush=True)
                except Exception as e:
                    n_fail += 1
                    msg = ("%s: %s" % (type(e).__name__, e)).replace("\t", " ").replace("\n", " ")[:300]
                    row.update(file="", status="FAILED: " + msg, export_s="%.2f" % (time.time() - t0))
                    if os.path.exists(path):
                        os.remove(path)
                    print("    op%d fold%d FAILED: %s" % (opset, fold, msg), flush=True)
                    traceback.print_exc(limit=2)
                rows[(name, str(opset), str(fold))] = row
                write_manifest(man_path, list(rows.values()))   # keep the manifest current
        del model

    write_manifest(man_path, list(rows.values()))
    print("done: %d models, %d failures, %.1fs total; manifest %s" % (len(models), n_fail, time.time() - t_all,
                                                                     man_path))


if __name__ == "__main__":
    main()
