/**
 * Dense float32 tensors ({@link dev.netlens.core.tensor.Tensor}) and shape arithmetic
 * ({@link dev.netlens.core.tensor.Shapes}). No math lives here: ops and kernels do the arithmetic.
 */
package dev.netlens.core.tensor;
