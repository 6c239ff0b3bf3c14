/**
 * The hot loops (GEMM, convolution, pooling) behind one interface,
 * {@link dev.netlens.core.kernels.Kernels}, with a pure-Java and an OpenBLAS implementation chosen
 * at start-up ({@code -Dnetlens.kernels=openblas|java}), and deterministic parallel loops
 * ({@link dev.netlens.core.kernels.Parallel}, {@code -Dnetlens.threads=N}).
 *
 * <p>The OpenBLAS kernels convolve by im2col + GEMM, by Winograd F(2×2)/F(4×4) for 3×3 stride-1
 * layers with constant weights ({@link dev.netlens.core.kernels.Winograd}), by direct 3×3
 * convolutions for thin layers in large batches ({@link dev.netlens.core.kernels.DirectConv}), by
 * direct stem convolutions ({@link dev.netlens.core.kernels.StemConv}) or, for single images with
 * small planes, by im2col + a Vector API product with cached packed filters
 * ({@link dev.netlens.core.kernels.ChannelBlockGemm}); {@link dev.netlens.core.kernels.DirectConvChoice}
 * chooses. The Winograd column transforms and
 * the direct kernels use the Vector API when the JVM has {@code jdk.incubator.vector}
 * ({@link dev.netlens.core.kernels.Simd}); classes that use it are loaded only then. With
 * {@code netlens.simd.bits=512} (set by the launcher for every command that loads the module) the direct kernels use 16-float
 * vectors where the CPU has them and the Winograd transforms their scalar loops: one JVM never runs
 * two vector widths (see {@code Simd}).
 *
 * <p>Kernels see primitive arrays, offsets and geometry values only; validation happens in the ops
 * before a kernel is called.
 */
package dev.netlens.core.kernels;
