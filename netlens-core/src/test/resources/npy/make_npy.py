#!/usr/bin/python3
"""Writes the tiny .npy fixtures NpyTest reads. Run from this directory with a Python that has numpy
(on the dev machines /usr/bin/python3):  /usr/bin/python3 make_npy.py

Every file holds a known pattern, so the test can check values without numpy:
  value of flat element i = i - 5  (arange(n) - 5), cast to the dtype (bool: i % 3 == 0).
"""
import numpy as np

SHAPES = {"scalar": (), "empty": (0,), "cube": (2, 3, 4)}


def pattern(shape, dtype):
    n = int(np.prod(shape)) if shape else 1
    if dtype == np.bool_:
        return (np.arange(n) % 3 == 0).reshape(shape)
    if np.dtype(dtype).kind == "u":
        return np.arange(n).astype(dtype).reshape(shape)
    return (np.arange(n) - 5).astype(dtype).reshape(shape)


for dtype in [np.float32, np.float64, np.int64, np.uint8, np.bool_, np.float16, np.int32, np.int8]:
    for label, shape in SHAPES.items():
        np.save(f"{np.dtype(dtype).name}_{label}.npy", pattern(shape, dtype))

# float32 in other layouts and versions
np.save("float32_fortran.npy", np.asfortranarray(pattern((2, 3, 4), np.float32)))
np.save("float32_bigendian.npy", pattern((2, 3, 4), np.float32).astype(">f4"))
np.lib.format.write_array(open("float32_v2.npy", "wb"), pattern((2, 3, 4), np.float32), version=(2, 0))
np.lib.format.write_array(open("float32_v3.npy", "wb"), pattern((2, 3, 4), np.float32), version=(3, 0))
# unsupported dtypes
np.save("complex64.npy", np.zeros(3, np.complex64))
np.save("unicode.npy", np.array(["a", "bc"]))
np.save("structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
