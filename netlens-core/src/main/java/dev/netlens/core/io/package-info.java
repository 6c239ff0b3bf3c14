/**
 * File formats for tensors: {@link dev.netlens.core.io.Npy} reads and writes NumPy {@code .npy}
 * arrays (DESIGN.md §4: float32 read/write; other numeric dtypes read and converted; C order).
 * ONNX models and ONNX tensor files are read and written by {@code dev.netlens.core.onnx}.
 */
package dev.netlens.core.io;
