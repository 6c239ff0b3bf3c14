package dev.netlens.core.ops;

/**
 * What kind of computation an op performs. Composites of backward rules select nodes by category
 * (e.g. LRP: one rule for convolutions, another for dense layers, pass-through for activations).
 */
public enum OpCategory {
    /** Conv, ConvTranspose. */
    CONVOLUTION,
    /** Gemm, MatMul: dense (fully connected) layers. */
    LINEAR,
    /** Element-wise non-linearities: Relu and its family, Sigmoid, Tanh, Elu, Gelu, … */
    ACTIVATION,
    /** MaxPool, AveragePool and their global variants. */
    POOLING,
    /** Element-wise sums of activations (residual Add, Sum). */
    SUM,
    /** BatchNormalization. */
    BATCH_NORM,
    /** Other normalisations: LRN, Softmax, LogSoftmax. */
    NORMALIZATION,
    /** Other element-wise arithmetic: Sub, Mul, Div, Pow, Max, Min, Neg, Abs, Exp, Log, Sqrt, … */
    ELEMENTWISE,
    /** ReduceMean, ReduceSum, ReduceMax, ReduceMin. */
    REDUCTION,
    /** Data movement without arithmetic: Reshape, Flatten, Transpose, Concat, Split, Slice, Pad, … */
    SHAPE,
    /** Resampling: Resize. */
    RESAMPLE,
    /** Identity and Dropout (at inference). */
    IDENTITY
}
