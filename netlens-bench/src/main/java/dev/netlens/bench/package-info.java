/**
 * JMH benchmarks of the netlens kernels: SGEMM (raw OpenBLAS peak vs netlens' staged and pure-Java
 * GEMMs), convolution at ResNet-18 layer shapes, and {@link dev.netlens.bench.ConvPeakReport}, which
 * relates the two.
 */
package dev.netlens.bench;
