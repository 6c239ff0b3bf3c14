/**
 * Operations with forward passes and vector–Jacobian products ({@link dev.netlens.core.ops.Op}),
 * their categories, and the contexts they run in. Every op of the supported ONNX subset lives in
 * its own small class here; families share a base class (element-wise unary, broadcasting binary,
 * reductions, pooling).
 */
package dev.netlens.core.ops;
