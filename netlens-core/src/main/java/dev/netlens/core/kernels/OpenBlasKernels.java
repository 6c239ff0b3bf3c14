package dev.netlens.core.kernels;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Kernels whose GEMMs run in OpenBLAS ({@code org.bytedeco:openblas}, native library bundled for
 * linux-x86_64), everything else inherited from {@link JavaKernels}.
 *
 * <p><b>Threading.</b> OpenBLAS itself runs single-threaded; netlens cuts every large GEMM into
 * {@link Parallel#threads()} blocks of rows or columns and runs them on its own threads. OpenBLAS
 * worker threads keep spinning after each call, so letting both OpenBLAS and the Java loops
 * (im2col, col2im, element-wise ops) use the cores made them compete: measured on ResNet-18
 * layers, one thread pool for everything is faster, and BLAS threads × outer parallelism never
 * exceeds the core count.
 *
 * <p><b>Memory.</b> Weights of graph parameters are copied off-heap once and cached
 * ({@link ConstantArrays}), and for the data gradient also transposed once
 * ({@link StagedWeights#transposed}); other operands are staged in per-thread off-heap buffers; convolutions build their
 * im2col matrix block by block in a small heap array and copy each block off-heap in one call.
 *
 * <p><b>Convolution strategies</b>, chosen from the shape alone (so results are reproducible):
 * <ul>
 *   <li>3×3 stride-1 convolutions by Winograd's F(2×2, 3×3) (forward) and F(4×4, 3×3) or
 *       F(2×2, 3×3) (data gradient) ({@link Winograd});</li>
 *   <li>large column matrices (early layers: many output positions) are built and consumed in
 *       tiles of output rows that stay in cache — the forward pass splits output rows between
 *       threads, the data gradient splits input rows;</li>
 *   <li>with the Vector API: thin 3×3 layers in large batches ({@link DirectConv}), stems
 *       ({@link StemConv}), and single images with small planes and constant weights
 *       ({@link ChannelBlockGemm}), as {@link DirectConvChoice} decides;</li>
 *   <li>otherwise, with at least as many (image, group) pairs as threads, each thread convolves
 *       whole images;</li>
 *   <li>otherwise each phase (im2col, GEMM, col2im) is parallel on its own.</li>
 * </ul>
 * Inside a {@link UniformConvolutions} scope, forward passes run on kernels whose every output
 * position is the same sequence of operations instead (OpenBLAS's edge micro-kernels sum in
 * another order than its main ones).
 */
public final class OpenBlasKernels extends JavaKernels {
    /** Below this many multiply-adds the JNI and staging overhead outweighs OpenBLAS. */
    private static final long SMALL_GEMM = 32L * 32 * 32;
    /** Below this many multiply-adds a GEMM is not split across threads. */
    private static final long SPLIT_GEMM = 1L << 18;

    OpenBlasKernels(int threads) {
        openblas_nolapack.blas_set_num_threads(1);
    }

    @Override
    public String name() {
        return "openblas";
    }

    // ------------------------------------------------------------------ GEMM

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        if ((long) m * n * k < SMALL_GEMM) {
            super.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        OffHeapScratch s = OffHeapScratch.get();
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        FloatBuffer ab = s.a.ensure((long) aRows * aCols);
        FloatBuffer cb = s.c.ensure((long) m * n);
        stage(a, aOffset, lda, aRows, aCols, ab);
        FloatBuffer bb;
        if (bOffset == 0 && ldb == bCols && ConstantArrays.isDeclared(b)) {
            // declared-constant weights (a Gemm layer's matrix, in its forward pass and its data
            // gradient): copied off-heap once instead of on every call
            bb = StagedWeights.of(b, bRows * bCols);
        } else {
            bb = s.b.ensure((long) bRows * bCols);
            stage(b, bOffset, ldb, bRows, bCols, bb);
        }
        if (beta != 0f) {
            stage(c, cOffset, ldc, m, n, cb);
        }
        parallelGemm(transA, transB, m, n, k, alpha, ab, 0, aCols, bb, 0, bCols, beta, cb, 0, n);
        if (ldc == n) {
            cb.get(0, c, cOffset, m * n);
        } else {
            for (int i = 0; i < m; i++) {
                cb.get(i * n, c, cOffset + i * ldc, n);
            }
        }
        java.lang.ref.Reference.reachabilityFence(b); // keeps a cached off-heap copy alive
    }

    private static void stage(float[] src, int offset, int ld, int rows, int cols, FloatBuffer dst) {
        if (ld == cols) {
            dst.put(0, src, offset, rows * cols);
            return;
        }
        for (int r = 0; r < rows; r++) {
            dst.put(r * cols, src, offset + r * ld, cols);
        }
    }

    /** One single-threaded OpenBLAS call on views of off-heap buffers (offsets in floats). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                             float beta, FloatBuffer c, int cOff, int ldc) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a.slice(aOff, a.capacity() - aOff), lda, b.slice(bOff, b.capacity() - bOff), ldb,
                beta, c.slice(cOff, c.capacity() - cOff), ldc);
    }

    /**
     * C ← alpha·op(A)·op(B) + beta·C split into contiguous blocks of C's rows or columns (whichever
     * dimension is longer), one block per thread. Each element is computed by exactly one call, so
     * the result does not depend on timing.
     */
    private static void parallelGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                     FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                                     float beta, FloatBuffer c, int cOff, int ldc) {
        if ((long) m * n * k < SPLIT_GEMM || Parallel.threads() == 1) {
            gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (n >= m) {
            Parallel.range(n, 16, (from, to) -> gemm(transA, transB, m, to - from, k, alpha, a, aOff, lda,
                    b, bOff + (transB ? from * ldb : from), ldb, beta, c, cOff + from, ldc));
        } else {
            Parallel.range(m, 16, (from, to) -> gemm(transA, transB, to - from, n, k, alpha,
                    a, aOff + (transA ? from : from * lda), lda, b, bOff, ldb, beta, c, cOff + from * ldc, ldc));
        }
    }

    // ------------------------------------------------------------------ convolution

    /** Floats of column matrix per tile (about 1 MB: stays in L2 with its GEMM operands). */
    static final int TILE_FLOATS = 1 << 18;
    /**
     * Column matrices above this many floats are processed in tiles. Smaller ones fit in the last
     * level cache anyway, and tiling them would multiply the rows that the data gradient computes
     * twice at band boundaries (measured on ResNet-18's 14×14 and 28×28 layers).
     */
    static final int TILED_ABOVE = 1 << 20;

    /** Whether whole images are spread over the threads (else each phase is parallel). */
    private static boolean imageParallel(ConvGeometry g) {
        return Parallel.threads() > 1 && g.batch * g.groups >= Parallel.threads();
    }

    /**
     * Whether the column matrix is large enough to be built and consumed tile by tile, so that it
     * stays in cache instead of streaming through memory twice.
     */
    private static boolean tiled(ConvGeometry g) {
        return !g.isPointwise() && (long) g.colRows() * g.outArea() > TILED_ABOVE;
    }

    /** Output rows per tile: the tile's column matrix holds at most {@link #TILE_FLOATS} floats. */
    private static int tileRows(ConvGeometry g) {
        return Math.max(1, TILE_FLOATS / (g.colRows() * g.outWidth));
    }

    /** The weights off-heap: cached for declared-constant arrays (graph parameters), else staged. */
    private static FloatBuffer stageWeights(ConvGeometry g, float[] w) {
        return StagedWeights.of(w, g.weightSize());
    }

    private static int xOffset(ConvGeometry g, int n, int grp) {
        return (n * g.inChannels + grp * g.inChannelsPerGroup()) * g.inArea();
    }

    private static int yOffset(ConvGeometry g, int n, int grp) {
        return (n * g.outChannels + grp * g.outChannelsPerGroup()) * g.outArea();
    }

    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        if (g.isDepthwise()) {
            super.convForward(g, x, w, bias, y);
            return;
        }
        if (UniformConvolutions.active()) {
            UniformConvolutions.forward(g, x, w, bias, y);
            return;
        }
        if (Winograd.applies(g, w)) {
            Winograd.convolve(g, x, Winograd.filters(w, g.outChannels, g.inChannels, Winograd.variant(g, false), false), bias, y);
            java.lang.ref.Reference.reachabilityFence(w); // keeps the cached off-heap transform alive
            return;
        }
        if (DirectConvChoice.forForward(g)) {
            DirectConv.forward(g, x, w, bias, y);
            return;
        }
        if (DirectConvChoice.forStem(g)) {
            StemConv.forward(g, x, w, bias, y);
            return;
        }
        if (DirectConvChoice.forColumns(g, w, g.outChannels)) {
            ChannelBlockGemm.forward(g, x, w, bias, y);
            return;
        }
        FloatBuffer wb = stageWeights(g, w);
        if (tiled(g)) {
            forwardTiled(g, x, wb, y);
        } else if (imageParallel(g)) {
            forwardImageParallel(g, x, wb, y);
        } else {
            forwardPhaseParallel(g, x, wb, y);
        }
        java.lang.ref.Reference.reachabilityFence(w);
        addBias(g, bias, y);
    }

    /**
     * The output rows of all images are split into one contiguous range per thread; each thread
     * builds, multiplies and writes back its rows one cache-sized tile at a time.
     */
    private static void forwardTiled(ConvGeometry g, float[] x, FloatBuffer wb, float[] y) {
        final int k = g.colRows();
        final int p = g.outArea();
        final int ow = g.outWidth;
        final int oh = g.outHeight;
        final int mg = g.outChannelsPerGroup();
        final int tile = tileRows(g);
        Parallel.range(g.batch * g.groups * oh, 1, (from, to) -> {
            OffHeapScratch s = OffHeapScratch.get();
            FloatBuffer col = s.b.ensure((long) k * tile * ow);
            FloatBuffer out = s.c.ensure((long) mg * tile * ow);
            float[] stage = s.stage(k * tile * ow);
            for (int row = from; row < to; ) {
                int image = row / oh;
                int n = image / g.groups;
                int grp = image % g.groups;
                int y0 = row % oh;
                int y1 = Math.min(oh, Math.min(y0 + tile, y0 + (to - row)));
                int cols = (y1 - y0) * ow;
                Im2Col.im2col(g, x, xOffset(g, n, grp), 0, k, y0, y1, stage, 0);
                col.put(0, stage, 0, k * cols);
                gemm(false, false, mg, cols, k, 1f, wb, grp * mg * k, k, col, 0, cols, 0f, out, 0, cols);
                int yOff = yOffset(g, n, grp) + y0 * ow;
                for (int m = 0; m < mg; m++) {
                    out.get(m * cols, y, yOff + m * p, cols);
                }
                row += y1 - y0;
            }
        });
    }

    private static void forwardImageParallel(ConvGeometry g, float[] x, FloatBuffer wb, float[] y) {
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        Parallel.range(g.batch * g.groups, 1, (from, to) -> {
            OffHeapScratch s = OffHeapScratch.get();
            FloatBuffer col = s.b.ensure((long) k * p);
            FloatBuffer out = s.c.ensure((long) mg * p);
            for (int i = from; i < to; i++) {
                int n = i / g.groups;
                int grp = i % g.groups;
                fillColumns(g, x, xOffset(g, n, grp), col, 0, k);
                gemm(false, false, mg, p, k, 1f, wb, grp * mg * k, k, col, 0, p, 0f, out, 0, p);
                out.get(0, y, yOffset(g, n, grp), mg * p);
            }
        });
    }

    private static void forwardPhaseParallel(ConvGeometry g, float[] x, FloatBuffer wb, float[] y) {
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        OffHeapScratch s = OffHeapScratch.get();
        FloatBuffer col = s.b.ensure((long) k * p);
        FloatBuffer out = s.c.ensure((long) mg * p);
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = xOffset(g, n, grp);
                Parallel.range(k, 8, (from, to) -> fillColumns(g, x, xOff, col, from, to));
                parallelGemm(false, false, mg, p, k, 1f, wb, grp * mg * k, k, col, 0, p, 0f, out, 0, p);
                out.get(0, y, yOffset(g, n, grp), mg * p);
            }
        }
    }

    /** The direct kernels that write dX from a result block add the addend on the way ({@link DirectConv#adds}). */
    @Override
    public void convBackwardDataAdding(ConvGeometry g, float[] dy, float[] w, float[] addend, float[] dx) {
        if (!dataGradient(g, dy, w, dx, addend)) {
            ElementwiseKernels.addInto(addend, dx, g.inputSize());
        }
    }

    @Override
    public void convBackwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        dataGradient(g, dy, w, dx, null);
    }

    /**
     * dx ← the data gradient, plus the addend when it is not null and the kernel chosen adds while
     * it writes dx; returns whether it did (else the caller adds it).
     */
    private boolean dataGradient(ConvGeometry g, float[] dy, float[] w, float[] dx, float[] addend) {
        if (g.isDepthwise()) {
            super.convBackwardData(g, dy, w, dx);
            return false;
        }
        if (Winograd.applies(g, w)) {
            ConvGeometry bg = Winograd.backwardGeometry(g);
            Winograd.convolve(bg, dy, Winograd.filters(w, g.outChannels, g.inChannels, Winograd.variant(bg, true), true), dx);
            java.lang.ref.Reference.reachabilityFence(w);
            return false;
        }
        if (DirectConvChoice.forData(g)) {
            boolean adds = addend != null && DirectConv.adds(g);
            DirectConv.backwardData(g, dy, w, dx, adds ? addend : null);
            return adds;
        }
        if (DirectConvChoice.forColumns(g, w, g.colRows())) {
            ChannelBlockGemm.backwardData(g, dy, w, dx);
            return false;
        }
        FloatBuffer wt = StagedWeights.transposed(g, w);
        WeightsT a = wt != null ? new WeightsT(wt, false, g.outChannelsPerGroup())
                : new WeightsT(stageWeights(g, w), true, g.colRows());
        if (tiled(g)) {
            backwardDataTiled(g, dy, a, dx);
        } else if (imageParallel(g)) {
            backwardDataImageParallel(g, dy, a, dx);
        } else {
            backwardDataPhaseParallel(g, dy, a, dx);
        }
        java.lang.ref.Reference.reachabilityFence(w);
        return false;
    }

    /**
     * Wᵀ for the data gradient's GEMMs: a transposed copy ({@code trans} false, row length cout/g)
     * or the weights as stored, multiplied with OpenBLAS's transposed-A flag (row length
     * cin/g·kh·kw). Both place group g's matrix at offset g·(cout/g)·(cin/g·kh·kw).
     */
    private record WeightsT(FloatBuffer buffer, boolean trans, int lda) {
    }

    /**
     * The input rows of all images are split into one contiguous band per thread. Each thread
     * computes the column gradients of the output rows that reach its band, tile by tile, and adds
     * into its band only — output rows reaching two bands are multiplied twice (a few rows at each
     * boundary) rather than shared, so threads never write to the same memory and the summation
     * order is fixed.
     */
    private static void backwardDataTiled(ConvGeometry g, float[] dy, WeightsT a, float[] dx) {
        final int k = g.colRows();
        final int p = g.outArea();
        final int ow = g.outWidth;
        final int h = g.inHeight;
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        final int tile = tileRows(g);
        Parallel.range(g.batch * g.groups * h, 1, (from, to) -> {
            OffHeapScratch s = OffHeapScratch.get();
            FloatBuffer grad = s.c.ensure((long) mg * tile * ow);
            FloatBuffer col = s.b.ensure((long) k * tile * ow);
            float[] stage = s.stage(k * tile * ow);
            for (int row = from; row < to; ) {
                int image = row / h;
                int n = image / g.groups;
                int grp = image % g.groups;
                int ihFrom = row % h;
                int ihTo = Math.min(h, ihFrom + (to - row));
                int xOff = xOffset(g, n, grp);
                int yOff = yOffset(g, n, grp);
                for (int c = 0; c < cg; c++) {
                    java.util.Arrays.fill(dx, xOff + (c * h + ihFrom) * g.inWidth, xOff + (c * h + ihTo) * g.inWidth, 0f);
                }
                int yLo = g.outHeight;
                int yHi = 0;
                for (int ki = 0; ki < g.kernelHeight; ki++) {
                    int[] ys = Im2Col.outputRowsReaching(g, ki, ihFrom, ihTo);
                    if (ys[0] < ys[1]) {
                        yLo = Math.min(yLo, ys[0]);
                        yHi = Math.max(yHi, ys[1]);
                    }
                }
                for (int y0 = yLo; y0 < yHi; y0 += tile) {
                    int y1 = Math.min(yHi, y0 + tile);
                    int cols = (y1 - y0) * ow;
                    for (int m = 0; m < mg; m++) {
                        grad.put(m * cols, dy, yOff + m * p + y0 * ow, cols);
                    }
                    gemm(a.trans(), false, k, cols, mg, 1f, a.buffer(), grp * mg * k, a.lda(), grad, 0, cols, 0f,
                            col, 0, cols);
                    col.get(0, stage, 0, k * cols);
                    for (int r = 0; r < k; r++) {
                        Im2Col.col2imRow(g, stage, r * cols, r, y0, y1, ihFrom, ihTo, dx, xOff);
                    }
                }
                row += ihTo - ihFrom;
            }
        });
    }

    private static void backwardDataImageParallel(ConvGeometry g, float[] dy, WeightsT a, float[] dx) {
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        Parallel.range(g.batch * g.groups, 1, (from, to) -> {
            OffHeapScratch s = OffHeapScratch.get();
            FloatBuffer col = s.b.ensure((long) k * p);
            FloatBuffer grad = s.c.ensure((long) mg * p);
            for (int i = from; i < to; i++) {
                int n = i / g.groups;
                int grp = i % g.groups;
                grad.put(0, dy, yOffset(g, n, grp), mg * p);
                gemm(a.trans(), false, k, p, mg, 1f, a.buffer(), grp * mg * k, a.lda(), grad, 0, p, 0f, col, 0, p);
                scatterColumns(g, col, dx, xOffset(g, n, grp), 0, cg);
            }
        });
    }

    private static void backwardDataPhaseParallel(ConvGeometry g, float[] dy, WeightsT a, float[] dx) {
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        OffHeapScratch s = OffHeapScratch.get();
        FloatBuffer col = s.b.ensure((long) k * p);
        FloatBuffer grad = s.c.ensure((long) mg * p);
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = xOffset(g, n, grp);
                grad.put(0, dy, yOffset(g, n, grp), mg * p);
                parallelGemm(a.trans(), false, k, p, mg, 1f, a.buffer(), grp * mg * k, a.lda(), grad, 0, p, 0f,
                        col, 0, p);
                Parallel.range(cg, 1, (from, to) -> scatterColumns(g, col, dx, xOff, from, to));
            }
        }
    }

    /**
     * Floats of the column matrix of one filter-gradient GEMM (a few images side by side, 512 KB so
     * that it stays in L2 between being built and being multiplied; 4 MB measured the same within
     * this machine's noise).
     */
    static final int FILTER_GRADIENT_FLOATS = 1 << 17;

    /**
     * dW = Σ_n dY_n · col_nᵀ. The batch is split into one contiguous range of images per thread;
     * each thread lays the column matrices of several images side by side (and their output
     * gradients likewise) so that one GEMM with a long inner dimension replaces many small ones,
     * accumulating into its own partial sum. The partial sums are added in range order, so the
     * result does not depend on timing.
     */
    @Override
    public void convBackwardFilter(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        if (g.isDepthwise()) {
            super.convBackwardFilter(g, x, dy, dw, dbias);
            return;
        }
        if (DirectConvChoice.forFilter(g)) {
            DirectConv.backwardFilter(g, x, dy, dw, dbias);
            return;
        }
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int weights = g.weightSize();
        final int chunks = Math.max(1, Math.min(g.batch, Parallel.threads()));
        final int perGemm = Math.max(1, Math.min(g.batch, FILTER_GRADIENT_FLOATS / Math.max(1, k * p)));
        float[][] partial = new float[chunks][];
        Parallel.range(chunks, 1, (fromChunk, toChunk) -> {
            OffHeapScratch s = OffHeapScratch.get();
            for (int chunk = fromChunk; chunk < toChunk; chunk++) {
                int n0 = (int) ((long) g.batch * chunk / chunks);
                int n1 = (int) ((long) g.batch * (chunk + 1) / chunks);
                FloatBuffer dwb = s.c.ensure(weights);
                boolean first = true;
                for (int b0 = n0; b0 < n1; b0 += perGemm) {
                    int b1 = Math.min(n1, b0 + perGemm);
                    int cols = (b1 - b0) * p;
                    FloatBuffer col = s.b.ensure((long) k * cols);
                    FloatBuffer grad = s.a.ensure((long) mg * cols);
                    float[] stage = s.stage(Math.max(k, mg) * cols);
                    for (int grp = 0; grp < g.groups; grp++) {
                        for (int n = b0; n < b1; n++) {
                            int xOff = xOffset(g, n, grp);
                            int j = (n - b0) * p;
                            if (g.isPointwise()) {
                                for (int r = 0; r < k; r++) {
                                    System.arraycopy(x, xOff + r * p, stage, r * cols + j, p);
                                }
                            } else {
                                Im2Col.im2colStrided(g, x, xOff, 0, k, 0, g.outHeight, stage, j, cols);
                            }
                        }
                        col.put(0, stage, 0, k * cols);
                        for (int n = b0; n < b1; n++) {
                            int yOff = yOffset(g, n, grp);
                            int j = (n - b0) * p;
                            for (int m = 0; m < mg; m++) {
                                System.arraycopy(dy, yOff + m * p, stage, m * cols + j, p);
                            }
                        }
                        grad.put(0, stage, 0, mg * cols);
                        gemm(false, true, mg, k, cols, 1f, grad, 0, cols, col, 0, cols, first ? 0f : 1f,
                                dwb, grp * mg * k, k);
                    }
                    first = false;
                }
                float[] mine = new float[weights];
                dwb.get(0, mine, 0, weights);
                partial[chunk] = mine;
            }
        });
        System.arraycopy(partial[0], 0, dw, 0, weights);
        for (int c = 1; c < chunks; c++) {
            float[] part = partial[c];
            for (int i = 0; i < weights; i++) {
                dw[i] += part[i];
            }
        }
        biasGradient(g, dy, dbias);
    }

    /** Rows [rowFrom, rowTo) of the column matrix (or the input itself when pointwise), off-heap. */
    private static void fillColumns(ConvGeometry g, float[] x, int xOff, FloatBuffer col, int rowFrom, int rowTo) {
        int p = g.outArea();
        if (g.isPointwise()) {
            col.put(rowFrom * p, x, xOff + rowFrom * p, (rowTo - rowFrom) * p);
            return;
        }
        OffHeapScratch s = OffHeapScratch.get();
        int block = Math.max(1, OffHeapScratch.STAGE_FLOATS / p);
        float[] stage = s.stage(block * p);
        for (int r0 = rowFrom; r0 < rowTo; r0 += block) {
            int r1 = Math.min(rowTo, r0 + block);
            Im2Col.im2col(g, x, xOff, r0, r1, stage, 0);
            col.put(r0 * p, stage, 0, (r1 - r0) * p);
        }
    }

    /**
     * Writes the input gradient of the group's channels [channelFrom, channelTo) from the column
     * matrix of gradients (overwrites those channels of {@code dx}).
     */
    private static void scatterColumns(ConvGeometry g, FloatBuffer col, float[] dx, int xOff,
                                       int channelFrom, int channelTo) {
        int p = g.outArea();
        int area = g.inArea();
        if (g.isPointwise()) {
            col.get(channelFrom * p, dx, xOff + channelFrom * area, (channelTo - channelFrom) * p);
            return;
        }
        java.util.Arrays.fill(dx, xOff + channelFrom * area, xOff + channelTo * area, 0f);
        int rowsPerChannel = g.kernelHeight * g.kernelWidth;
        int block = Math.max(1, OffHeapScratch.STAGE_FLOATS / p);
        float[] stage = OffHeapScratch.get().stage(block * p);
        int rowTo = channelTo * rowsPerChannel;
        for (int r0 = channelFrom * rowsPerChannel; r0 < rowTo; r0 += block) {
            int r1 = Math.min(rowTo, r0 + block);
            col.get(r0 * p, stage, 0, (r1 - r0) * p);
            Im2Col.col2im(g, stage, 0, r0, r1, dx, xOff);
        }
    }
}
