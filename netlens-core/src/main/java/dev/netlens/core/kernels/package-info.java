/**
 * The hot loops (GEMM, convolution, pooling) behind one interface,
 * {@link dev.netlens.core.kernels.Kernels}, with a pure-Java and an OpenBLAS implementation chosen
 * at start-up ({@code -Dnetlens.kernels=openblas|java}), and deterministic parallel loops
 * ({@link dev.netlens.core.kernels.Parallel}, {@code -Dnetlens.threads=N}).
 *
 * <p>Kernels see primitive arrays, offsets and geometry values only; validation happens in the ops
 * before a kernel is called.
 */
package dev.netlens.core.kernels;
