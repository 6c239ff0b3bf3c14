package dev.netlens.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Forward convolutions whose every output element is the same sequence of float operations, for
 * {@link UniformConvolutions} scopes: im2col around a GEMM in
 * which each element of C = A·B is the fused multiply-add chain over k in ascending order, starting
 * from zero — in vector lanes ({@link FloatVector#fma}) or, for the columns and rows the
 * vectors do not cover, in scalar {@link Math#fma}, which rounds exactly like a lane. So positions
 * with equal receptive fields get bit-equal values, unlike OpenBLAS (whose edge micro-kernels sum
 * in another order) and {@link Winograd}.
 *
 * <p>Blocking: panels of {@link #K_BLOCK} × {@link #N_BLOCK} of B stay in L2 while every block of
 * 4 rows of A runs over them with 4 × 2 vector accumulators; threads split the rows. Vectors are 8
 * floats, or 16 when {@link Simd#WIDE} (one width per JVM). Several times
 * faster than the row-by-row {@link JavaGemm}, and a few times slower than OpenBLAS: meant for the
 * few evaluations whose ties matter. Loaded only when {@link Simd#ENABLED}.
 */
final class UniformConv {
    /** One vector width per JVM, as the other Vector API kernels ({@link Simd}). */
    private static final VectorSpecies<Float> S = Simd.WIDE && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int L = S.length();
    static final int K_BLOCK = 128;
    static final int N_BLOCK = 512;
    private static final int ROWS = 4;
    /** Floats of column matrix per band of output rows (4 MB). */
    static final int BAND_FLOATS = 1 << 20;

    private UniformConv() {
    }

    /**
     * y = conv(x, w) + bias, as {@link Kernels#convForward}, for ungrouped or grouped (not depthwise)
     * geometries. The column matrix is built for bands of output rows of at most
     * {@link #BAND_FLOATS} floats (one row at least), so memory stays small on large planes.
     */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int k = g.colRows();
        int p = g.outArea();
        int ow = g.outWidth;
        int mg = g.outChannelsPerGroup();
        int cg = g.inChannelsPerGroup();
        int bandRows = Math.max(1, Math.min(g.outHeight, BAND_FLOATS / Math.max(1, k * ow)));
        float[] col = g.isPointwise() ? null : new float[k * bandRows * ow];
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                int yOff = (n * g.outChannels + grp * mg) * p;
                int wOff = grp * mg * k;
                if (col == null) {
                    multiply(mg, p, k, w, wOff, x, xOff, y, yOff, p);
                    continue;
                }
                for (int y0 = 0; y0 < g.outHeight; y0 += bandRows) {
                    int y1 = Math.min(g.outHeight, y0 + bandRows);
                    int cols = (y1 - y0) * ow;
                    int from0 = y0;
                    Parallel.range(k, 8, (from, to) -> Im2Col.im2col(g, x, xOff, from, to, from0, y1, col, from * cols));
                    multiply(mg, cols, k, w, wOff, col, 0, y, yOff + y0 * ow, p);
                }
            }
        }
        JavaKernels.addBias(g, bias, y);
    }

    /**
     * C (m × n, at cOff, rows ldc apart) = A (m × k, at aOff) · B (k × n, at bOff), A and B
     * row-major and dense; every element of C the fma chain over k in ascending order from zero.
     */
    static void multiply(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        int blocks = (m + ROWS - 1) / ROWS;
        int grain = Math.max(1, (blocks + Parallel.threads() - 1) / Parallel.threads());
        Parallel.range(blocks, grain, (from, to) -> {
            int i0 = from * ROWS;
            int i1 = Math.min(m, to * ROWS);
            // The chains start from zero; each k-block continues from C.
            for (int i = i0; i < i1; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
                int j1 = Math.min(n, j0 + N_BLOCK);
                for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
                    int p1 = Math.min(k, p0 + K_BLOCK);
                    for (int i = i0; i < i1; i += ROWS) {
                        if (i + ROWS <= i1) {
                            rows4(n, k, a, aOff + i * k, b, bOff, c, cOff + i * ldc, ldc, j0, j1, p0, p1);
                        } else {
                            for (int r = i; r < i1; r++) {
                                columnsFrom(j0, n, a, aOff + r * k, b, bOff, c, cOff + r * ldc, j1, p0, p1);
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Four rows of C (the first at c0, rows ldc apart; their rows of A from a0, k apart), columns
     * [j0, j1), the k-block [p0, p1); C holds the chains over [0, p0).
     */
    private static void rows4(int n, int k, float[] a, int a0, float[] b, int bOff, float[] c, int c0, int ldc,
                              int j0, int j1, int p0, int p1) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int j = j0;
        for (; j + 2 * L <= j1; j += 2 * L) {
            FloatVector s00 = FloatVector.fromArray(S, c, c0 + j);
            FloatVector s01 = FloatVector.fromArray(S, c, c0 + j + L);
            FloatVector s10 = FloatVector.fromArray(S, c, c1 + j);
            FloatVector s11 = FloatVector.fromArray(S, c, c1 + j + L);
            FloatVector s20 = FloatVector.fromArray(S, c, c2 + j);
            FloatVector s21 = FloatVector.fromArray(S, c, c2 + j + L);
            FloatVector s30 = FloatVector.fromArray(S, c, c3 + j);
            FloatVector s31 = FloatVector.fromArray(S, c, c3 + j + L);
            for (int q = p0; q < p1; q++) {
                int bq = bOff + q * n + j;
                int aq = a0 + q;
                FloatVector b0 = FloatVector.fromArray(S, b, bq);
                FloatVector b1 = FloatVector.fromArray(S, b, bq + L);
                FloatVector v0 = FloatVector.broadcast(S, a[aq]);
                s00 = v0.fma(b0, s00);
                s01 = v0.fma(b1, s01);
                FloatVector v1 = FloatVector.broadcast(S, a[aq + k]);
                s10 = v1.fma(b0, s10);
                s11 = v1.fma(b1, s11);
                FloatVector v2 = FloatVector.broadcast(S, a[aq + 2 * k]);
                s20 = v2.fma(b0, s20);
                s21 = v2.fma(b1, s21);
                FloatVector v3 = FloatVector.broadcast(S, a[aq + 3 * k]);
                s30 = v3.fma(b0, s30);
                s31 = v3.fma(b1, s31);
            }
            s00.intoArray(c, c0 + j);
            s01.intoArray(c, c0 + j + L);
            s10.intoArray(c, c1 + j);
            s11.intoArray(c, c1 + j + L);
            s20.intoArray(c, c2 + j);
            s21.intoArray(c, c2 + j + L);
            s30.intoArray(c, c3 + j);
            s31.intoArray(c, c3 + j + L);
        }
        for (int r = 0; r < ROWS; r++) {
            columnsFrom(j, n, a, a0 + r * k, b, bOff, c, c0 + r * ldc, j1, p0, p1);
        }
    }

    /** One row of C, columns [j, j1), the k-block [p0, p1): whole vectors, then scalar fma chains. */
    private static void columnsFrom(int j, int n, float[] a, int a0, float[] b, int bOff, float[] c, int c0,
                                    int j1, int p0, int p1) {
        for (; j + L <= j1; j += L) {
            FloatVector s = FloatVector.fromArray(S, c, c0 + j);
            for (int q = p0; q < p1; q++) {
                s = FloatVector.broadcast(S, a[a0 + q]).fma(FloatVector.fromArray(S, b, bOff + q * n + j), s);
            }
            s.intoArray(c, c0 + j);
        }
        for (; j < j1; j++) {
            float s = c[c0 + j];
            for (int q = p0; q < p1; q++) {
                s = Math.fma(a[a0 + q], b[bOff + q * n + j], s);
            }
            c[c0 + j] = s;
        }
    }
}
