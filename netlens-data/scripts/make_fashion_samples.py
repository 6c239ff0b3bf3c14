#!/usr/bin/python3
"""Writes the 100 Fashion-MNIST sample images bundled with netlens: the first 10 test images of each
class (in test-set order) as 28x28 grayscale PNGs, and samples.csv (file,label,test_index).

Usage: /usr/bin/python3 netlens-data/scripts/make_fashion_samples.py /usr/share/datasets/fashion-mnist \
           netlens-data/src/main/resources/dev/netlens/data/bundled/fashion-mnist/samples
"""
import gzip
import os
import sys

import numpy as np
from PIL import Image

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise SystemExit("missing " + stem + " in " + directory)


def main():
    src, out = sys.argv[1], sys.argv[2]
    images = read_idx(find(src, "t10k-images-idx3-ubyte"))
    labels = read_idx(find(src, "t10k-labels-idx1-ubyte"))
    os.makedirs(out, exist_ok=True)
    taken = {k: 0 for k in range(10)}
    rows = ["file,label,test_index"]
    for i, label in enumerate(labels):
        label = int(label)
        if taken[label] >= 10:
            continue
        taken[label] += 1
        name = "%05d_%s.png" % (i, CLASSES[label].replace("/", "-").replace(" ", "-").lower())
        Image.fromarray(images[i], mode="L").save(os.path.join(out, name), optimize=True)
        rows.append("%s,%d,%d" % (name, label, i))
        if all(v >= 10 for v in taken.values()):
            break
    with open(os.path.join(out, "samples.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
