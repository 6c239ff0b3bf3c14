package dev.netlens.core.kernels;

/**
 * Pure-Java single-precision GEMM: cache-blocked, row-parallel, with an inner loop the JIT
 * vectorises. Every element of C is summed over k in ascending order whatever the thread count,
 * so results are deterministic.
 */
final class JavaGemm {
    private static final int K_BLOCK = 256;
    private static final int N_BLOCK = 1024;

    private JavaGemm() {
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        // Pack op(B) as a dense row-major k×n block when it is transposed.
        final float[] bp;
        final int bpOff;
        final int bpLd;
        if (transB) {
            bp = new float[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bp[p * n + j] = b[bOff + j * ldb + p];
                }
            }
            bpOff = 0;
            bpLd = n;
        } else {
            bp = b;
            bpOff = bOff;
            bpLd = ldb;
        }
        long work = (long) m * n * Math.max(k, 1);
        int grain = work < 1 << 16 ? m : Math.max(1, m / Parallel.threads());
        Parallel.range(m, grain, (from, to) -> {
            for (int i = from; i < to; i++) {
                int cRow = cOff + i * ldc;
                if (beta == 0f) {
                    java.util.Arrays.fill(c, cRow, cRow + n, 0f);
                } else if (beta != 1f) {
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] *= beta;
                    }
                }
            }
            for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
                int j1 = Math.min(n, j0 + N_BLOCK);
                for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
                    int p1 = Math.min(k, p0 + K_BLOCK);
                    for (int i = from; i < to; i++) {
                        int cRow = cOff + i * ldc;
                        for (int p = p0; p < p1; p++) {
                            float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                            int bRow = bpOff + p * bpLd;
                            axpy(aip, bp, bRow + j0, c, cRow + j0, j1 - j0);
                        }
                    }
                }
            }
        });
    }

    private static void axpy(float s, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int j = 0; j < len; j++) {
            y[yOff + j] += s * x[xOff + j];
        }
    }
}
