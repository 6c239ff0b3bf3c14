package dev.netlens.core.kernels;

/**
 * The hot loops behind the ops: GEMM, convolution (im2col + GEMM, direct depthwise) and pooling.
 *
 * <p>Kernels take primitive arrays, offsets and geometry values only — never a Tensor or a Graph —
 * and do no validation: callers (the ops) validate once at the front. All arrays are row-major;
 * activations are NCHW. Outputs are overwritten unless the method says it accumulates.
 *
 * <p>Two implementations exist: {@link JavaKernels} (pure Java) and {@link OpenBlasKernels}
 * (GEMM through OpenBLAS with off-heap operands, the rest inherited from the Java kernels).
 * {@link #get()} returns the one chosen at start-up by the system property
 * {@code netlens.kernels=openblas|java} (default openblas, falling back to java with a warning
 * when the native library cannot be loaded); the choice is logged once.
 */
public interface Kernels {

    /** The kernels chosen at start-up. */
    static Kernels get() {
        return KernelsSelection.selected();
    }

    /** The pure-Java kernels (always available). */
    static Kernels java() {
        return KernelsSelection.java();
    }

    /** The OpenBLAS kernels; throws {@link IllegalStateException} when the native library cannot load. */
    static Kernels openblas() {
        return KernelsSelection.openblas();
    }

    /** "java" or "openblas". */
    String name();

    /**
     * C ← alpha·op(A)·op(B) + beta·C with op(A) m×k, op(B) k×n, C m×n, all row-major with leading
     * dimensions lda/ldb/ldc (the row lengths of the stored matrices).
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
               float beta, float[] c, int cOffset, int ldc);

    /** y ← conv(x, w) + bias. {@code bias} may be null. */
    void convForward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y);

    /** dx ← ∂/∂x of Σ dy ⊙ conv(x, w) (overwrites dx). Also the forward pass of a transposed convolution. */
    void convBackwardData(ConvGeometry g, float[] dy, float[] w, float[] dx);

    /**
     * dx ← addend + the data gradient of {@link #convBackwardData} (overwrites dx; addend is read
     * only and may not be dx): a gradient summed with the contribution a value already has from
     * elsewhere (a residual connection), as {@code addend[i] + gradient[i]} element by element —
     * the bits of computing the data gradient and adding it afterwards. Kernels that can add while
     * they write dx save that separate pass.
     */
    default void convBackwardDataAdding(ConvGeometry g, float[] dy, float[] w, float[] addend, float[] dx) {
        convBackwardData(g, dy, w, dx);
        ElementwiseKernels.addInto(addend, dx, g.inputSize());
    }

    /** dw ← ∂/∂w, dbias ← ∂/∂bias of Σ dy ⊙ conv(x, w) (overwrites; {@code dbias} may be null). */
    void convBackwardFilter(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias);

    /**
     * Max pooling; padding never wins. When {@code argmax} is non-null it receives, per output
     * element, the flat index (within the input tensor) of the winning element (the first maximum in
     * window order), or -1 for a window that lies entirely in the padding.
     */
    void maxPoolForward(PoolGeometry g, float[] x, float[] y, int[] argmax);

    /** dx ← scatter-add of dy at argmax (overwrites dx). */
    void maxPoolBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx);

    /**
     * Average pooling. With {@code countIncludePad} the divisor counts padded positions (but not
     * positions beyond the padded extent that ceil mode may add); otherwise only real elements.
     */
    void avgPoolForward(PoolGeometry g, boolean countIncludePad, float[] x, float[] y);

    /** dx ← ∂/∂x of Σ dy ⊙ avgpool(x) (overwrites dx). */
    void avgPoolBackward(PoolGeometry g, boolean countIncludePad, float[] dy, float[] dx);
}
