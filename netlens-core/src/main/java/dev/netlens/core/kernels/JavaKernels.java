package dev.netlens.core.kernels;

/**
 * Pure-Java kernels: blocked GEMM ({@link JavaGemm}), convolution as im2col + GEMM per image and
 * group (direct loops for depthwise), pooling ({@link JavaPooling}). Always available; the
 * reference the OpenBLAS kernels are tested against.
 */
public class JavaKernels implements Kernels {

    JavaKernels() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        JavaGemm.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        if (g.isDepthwise()) {
            DepthwiseConv.forward(g, x, w, bias, y);
            return;
        }
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        float[] col = g.isPointwise() ? null : new float[k * p];
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                int yOff = (n * g.outChannels + grp * mg) * p;
                if (col == null) {
                    sgemm(false, false, mg, p, k, 1f, w, grp * mg * k, k, x, xOff, p, 0f, y, yOff, p);
                } else {
                    Parallel.range(k, 8, (from, to) -> Im2Col.im2col(g, x, xOff, from, to, col, from * p));
                    sgemm(false, false, mg, p, k, 1f, w, grp * mg * k, k, col, 0, p, 0f, y, yOff, p);
                }
            }
        }
        addBias(g, bias, y);
    }

    @Override
    public void convBackwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        if (g.isDepthwise()) {
            DepthwiseConv.backwardData(g, dy, w, dx);
            return;
        }
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        if (g.isPointwise()) {
            for (int n = 0; n < g.batch; n++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                    int yOff = (n * g.outChannels + grp * mg) * p;
                    sgemm(true, false, k, p, mg, 1f, w, grp * mg * k, k, dy, yOff, p, 0f, dx, xOff, p);
                }
            }
            return;
        }
        java.util.Arrays.fill(dx, 0, g.inputSize(), 0f);
        float[] col = new float[k * p];
        int rowsPerChannel = g.kernelHeight * g.kernelWidth;
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                int yOff = (n * g.outChannels + grp * mg) * p;
                sgemm(true, false, k, p, mg, 1f, w, grp * mg * k, k, dy, yOff, p, 0f, col, 0, p);
                Parallel.range(cg, 1, (from, to) -> Im2Col.col2im(g, col, from * rowsPerChannel * p,
                        from * rowsPerChannel, to * rowsPerChannel, dx, xOff));
            }
        }
    }

    @Override
    public void convBackwardFilter(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        if (g.isDepthwise()) {
            DepthwiseConv.backwardFilter(g, x, dy, dw, dbias);
            return;
        }
        final int k = g.colRows();
        final int p = g.outArea();
        final int mg = g.outChannelsPerGroup();
        final int cg = g.inChannelsPerGroup();
        float[] col = g.isPointwise() ? null : new float[k * p];
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                int yOff = (n * g.outChannels + grp * mg) * p;
                float beta = n == 0 ? 0f : 1f;
                if (col == null) {
                    sgemm(false, true, mg, k, p, 1f, dy, yOff, p, x, xOff, p, beta, dw, grp * mg * k, k);
                } else {
                    Parallel.range(k, 8, (from, to) -> Im2Col.im2col(g, x, xOff, from, to, col, from * p));
                    sgemm(false, true, mg, k, p, 1f, dy, yOff, p, col, 0, p, beta, dw, grp * mg * k, k);
                }
            }
        }
        biasGradient(g, dy, dbias);
    }

    /** y[n, m, :] += bias[m]. */
    static void addBias(ConvGeometry g, float[] bias, float[] y) {
        if (bias == null) {
            return;
        }
        final int p = g.outArea();
        Parallel.range(g.batch * g.outChannels, 16, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                float b = bias[plane % g.outChannels];
                int off = plane * p;
                for (int i = 0; i < p; i++) {
                    y[off + i] += b;
                }
            }
        });
    }

    /**
     * dbias[m] = Σ_{n, positions} dy[n, m, :]: each image's plane by {@link RowSums#sum}, the
     * images in order in double; channels split between the threads.
     */
    static void biasGradient(ConvGeometry g, float[] dy, float[] dbias) {
        if (dbias == null) {
            return;
        }
        final int p = g.outArea();
        Parallel.range(g.outChannels, 1, (from, to) -> {
            for (int m = from; m < to; m++) {
                double s = 0;
                for (int n = 0; n < g.batch; n++) {
                    s += RowSums.sum(dy, (n * g.outChannels + m) * p, p);
                }
                dbias[m] = (float) s;
            }
        });
    }

    @Override
    public void maxPoolForward(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        JavaPooling.maxForward(g, x, y, argmax);
    }

    @Override
    public void maxPoolBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx) {
        JavaPooling.maxBackward(g, dy, argmax, dx);
    }

    @Override
    public void avgPoolForward(PoolGeometry g, boolean countIncludePad, float[] x, float[] y) {
        JavaPooling.avgForward(g, countIncludePad, x, y);
    }

    @Override
    public void avgPoolBackward(PoolGeometry g, boolean countIncludePad, float[] dy, float[] dx) {
        JavaPooling.avgBackward(g, countIncludePad, dy, dx);
    }
}
