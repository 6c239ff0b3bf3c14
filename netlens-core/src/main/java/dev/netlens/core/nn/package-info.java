/**
 * Model builders. For now: residual networks ({@link dev.netlens.core.nn.ResNets}) built as graphs
 * with torchvision's names and initialisation, for tests, demos and benchmarks. Layers, losses,
 * optimisers and training follow.
 */
package dev.netlens.core.nn;
