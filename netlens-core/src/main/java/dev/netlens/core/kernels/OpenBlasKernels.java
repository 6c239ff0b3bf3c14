package dev.netlens.core.kernels;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Kernels whose GEMMs run in OpenBLAS ({@code org.bytedeco:openblas}, native library bundled for
 * linux-x86_64). Operands are staged in per-thread off-heap buffers; convolutions write their
 * im2col matrix straight into off-heap memory. Everything without a GEMM is inherited from
 * {@link JavaKernels}.
 *
 * <p>OpenBLAS gets {@code netlens.threads} threads, set through the same binding class whose
 * {@code cblas_sgemm} is called. GEMMs are never issued from inside a Java parallel loop, so the
 * two thread pools never compete.
 */
public final class OpenBlasKernels extends JavaKernels {
    /** Below this many multiply-adds the JNI and staging overhead outweighs OpenBLAS. */
    private static final long SMALL_GEMM = 32L * 32 * 32;

    OpenBlasKernels(int threads) {
        openblas_nolapack.blas_set_num_threads(threads);
    }

    @Override
    public String name() {
        return "openblas";
    }

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
        stage(a, aOffset, lda, aRows, aCols, s.a.ensure((long) aRows * aCols).buffer());
        stage(b, bOffset, ldb, bRows, bCols, s.b.ensure((long) bRows * bCols).buffer());
        FloatBuffer cb = s.c.ensure((long) m * n).buffer();
        if (beta != 0f) {
            stage(c, cOffset, ldc, m, n, cb);
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, s.a.at(0), aCols, s.b.at(0), bCols, beta, s.c.at(0), n);
        for (int i = 0; i < m; i++) {
            cb.get(i * n, c, cOffset + i * ldc, n);
        }
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

    private static void gemm(boolean transA, boolean transB, int m, int n, int k,
                             OffHeapScratch.Slot a, long aOffset, int lda, OffHeapScratch.Slot b, int ldb,
                             float beta, OffHeapScratch.Slot c, long cOffset, int ldc) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, a.at(aOffset), lda, b.at(0), ldb, beta, c.at(cOffset), ldc);
    }

    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        if (g.isDepthwise()) {
            super.convForward(g, x, w, bias, y);
            return;
        }
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        OffHeapScratch s = OffHeapScratch.get();
        s.a.ensure(g.weightSize()).buffer().put(0, w, 0, g.weightSize());
        FloatBuffer col = s.b.ensure((long) k * p).buffer();
        FloatBuffer out = s.c.ensure((long) mg * p).buffer();
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                int yOff = (n * g.outChannels + grp * mg) * p;
                fillColumns(g, x, xOff, col);
                gemm(false, false, mg, p, k, s.a, (long) grp * mg * k, k, s.b, p, 0f, s.c, 0, p);
                out.get(0, y, yOff, mg * p);
            }
        }
        addBias(g, bias, y);
    }

    @Override
    public void convBackwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        if (g.isDepthwise()) {
            super.convBackwardData(g, dy, w, dx);
            return;
        }
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        OffHeapScratch s = OffHeapScratch.get();
        s.a.ensure(g.weightSize()).buffer().put(0, w, 0, g.weightSize());
        FloatBuffer grad = s.b.ensure((long) mg * p).buffer();
        FloatBuffer col = s.c.ensure((long) k * p).buffer();
        if (!g.isPointwise()) {
            java.util.Arrays.fill(dx, 0, g.inputSize(), 0f);
        }
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                int yOff = (n * g.outChannels + grp * mg) * p;
                grad.put(0, dy, yOff, mg * p);
                gemm(true, false, k, p, mg, s.a, (long) grp * mg * k, k, s.b, p, 0f, s.c, 0, p);
                if (g.isPointwise()) {
                    col.get(0, dx, xOff, k * p);
                } else {
                    Parallel.range(cg, 1, (from, to) -> Im2Col.col2im(g, col, dx, xOff, from, to));
                }
            }
        }
    }

    @Override
    public void convBackwardFilter(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        if (g.isDepthwise()) {
            super.convBackwardFilter(g, x, dy, dw, dbias);
            return;
        }
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        OffHeapScratch s = OffHeapScratch.get();
        FloatBuffer grad = s.a.ensure((long) mg * p).buffer();
        FloatBuffer col = s.b.ensure((long) k * p).buffer();
        FloatBuffer dwBuffer = s.c.ensure(g.weightSize()).buffer();
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                int yOff = (n * g.outChannels + grp * mg) * p;
                fillColumns(g, x, xOff, col);
                grad.put(0, dy, yOff, mg * p);
                gemm(false, true, mg, k, p, s.a, 0, p, s.b, p, n == 0 ? 0f : 1f, s.c, (long) grp * mg * k, k);
            }
        }
        dwBuffer.get(0, dw, 0, g.weightSize());
        biasGradient(g, dy, dbias);
    }

    /** The im2col matrix of one image and group, or the input itself for pointwise convolutions. */
    private static void fillColumns(ConvGeometry g, float[] x, int xOff, FloatBuffer col) {
        if (g.isPointwise()) {
            col.put(0, x, xOff, g.colRows() * g.outArea());
        } else {
            Parallel.range(g.colRows(), 8, (from, to) -> Im2Col.im2col(g, x, xOff, col, from, to));
        }
    }
}
