/**
 * Model builders and training. Residual networks ({@link dev.netlens.core.nn.ResNets}) built as
 * graphs with torchvision's names and initialisation, for tests, demos and benchmarks; losses in
 * {@code dev.netlens.core.nn.loss}; optimisers, learning-rate schedules and gradient clipping in
 * {@code dev.netlens.core.nn.optim} (PyTorch semantics, tested against PyTorch goldens). Layers
 * and the training loop follow.
 */
package dev.netlens.core.nn;
