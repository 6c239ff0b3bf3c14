package dev.netlens.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Forward convolutions whose every output element is the same sequence of float operations, for
 * {@link UniformConvolutions} scopes: im2col around a GEMM in
 * which each element of C = A·B is the fused multiply-add chain over k in ascending order, starting
 * from zero — in 8-float vector lanes ({@link FloatVector#fma}) or, for the columns and rows the
 * vectors do not cover, in scalar {@link Math#fma}, which rounds exactly like a lane. So positions
 * with equal receptive fields get bit-equal values, unlike OpenBLAS (whose edge micro-kernels sum
 * in another order) and {@link Winograd}.
 *
 * <p>Blocking: panels of {@link #K_BLOCK} × {@link #N_BLOCK} of B stay in L2 while every block of
 * 4 rows of A runs over them with 4 × 2 vector accumulators; threads split the rows. Several times
 * faster than the row-by-row {@link JavaGemm}, and a few times slower than OpenBLAS: meant for the
 * few evaluations whose ties matter. Loaded only when {@link Simd#ENABLED}.
 */
final class UniformConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();
    static final int K_BLOCK = 128;
    static final int N_BLOCK = 512;
    private static final int ROWS = 4;

    private UniformConv() {
    }

    /** y = conv(x, w) + bias, as {@link Kernels#convForward}, for ungrouped or grouped (not depthwise) geometries. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int k = g.colRows();
        int p = g.outArea();
        int mg = g.outChannelsPerGroup();
        int cg = g.inChannelsPerGroup();
        float[] col = g.isPointwise() ? null : new float[k * p];
        for (int n = 0; n < g.batch; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = (n * g.inChannels + grp * cg) * g.inArea();
                int yOff = (n * g.outChannels + grp * mg) * p;
                if (col == null) {
                    multiply(mg, p, k, w, grp * mg * k, k, 1, x, xOff, y, yOff);
                } else {
                    Parallel.range(k, 8, (from, to) -> Im2Col.im2col(g, x, xOff, from, to, col, from * p));
                    multiply(mg, p, k, w, grp * mg * k, k, 1, col, 0, y, yOff);
                }
            }
        }
        JavaKernels.addBias(g, bias, y);
    }

    /**
     * C (m × n, at cOff) = A (m × k) · B (k × n, at bOff), B and C row-major and dense, element
     * (i, q) of A at aOff + i·rowStride + q·colStride; every element of C the fma chain over k in
     * ascending order from zero.
     */
    static void multiply(int m, int n, int k, float[] a, int aOff, int rowStride, int colStride,
                         float[] b, int bOff, float[] c, int cOff) {
        int blocks = (m + ROWS - 1) / ROWS;
        int grain = Math.max(1, (blocks + Parallel.threads() - 1) / Parallel.threads());
        Parallel.range(blocks, grain, (from, to) -> {
            int i0 = from * ROWS;
            int i1 = Math.min(m, to * ROWS);
            // The chains start from zero; each k-block continues from C.
            Arrays.fill(c, cOff + i0 * n, cOff + i1 * n, 0f);
            for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
                int j1 = Math.min(n, j0 + N_BLOCK);
                for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
                    int p1 = Math.min(k, p0 + K_BLOCK);
                    for (int i = i0; i < i1; i += ROWS) {
                        if (i + ROWS <= i1) {
                            rows4(n, a, aOff + i * rowStride, rowStride, colStride, b, bOff, c, cOff + i * n,
                                    j0, j1, p0, p1);
                        } else {
                            for (int r = i; r < i1; r++) {
                                columnsFrom(j0, n, a, aOff + r * rowStride, colStride, b, bOff, c, cOff + r * n,
                                        j1, p0, p1);
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Four rows of C (the first at c0, its row of A at a0), columns [j0, j1), the k-block [p0, p1);
     * C holds the chains over [0, p0).
     */
    private static void rows4(int n, float[] a, int a0, int rs, int cs, float[] b, int bOff, float[] c, int c0,
                              int j0, int j1, int p0, int p1) {
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
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
                int aq = a0 + q * cs;
                FloatVector b0 = FloatVector.fromArray(S, b, bq);
                FloatVector b1 = FloatVector.fromArray(S, b, bq + L);
                FloatVector v0 = FloatVector.broadcast(S, a[aq]);
                s00 = v0.fma(b0, s00);
                s01 = v0.fma(b1, s01);
                FloatVector v1 = FloatVector.broadcast(S, a[aq + rs]);
                s10 = v1.fma(b0, s10);
                s11 = v1.fma(b1, s11);
                FloatVector v2 = FloatVector.broadcast(S, a[aq + 2 * rs]);
                s20 = v2.fma(b0, s20);
                s21 = v2.fma(b1, s21);
                FloatVector v3 = FloatVector.broadcast(S, a[aq + 3 * rs]);
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
            columnsFrom(j, n, a, a0 + r * rs, cs, b, bOff, c, c0 + r * n, j1, p0, p1);
        }
    }

    /** One row of C, columns [j, j1), the k-block [p0, p1): whole vectors, then scalar fma chains. */
    private static void columnsFrom(int j, int n, float[] a, int a0, int cs, float[] b, int bOff, float[] c, int c0,
                                    int j1, int p0, int p1) {
        for (; j + L <= j1; j += L) {
            FloatVector s = FloatVector.fromArray(S, c, c0 + j);
            for (int q = p0; q < p1; q++) {
                s = FloatVector.broadcast(S, a[a0 + q * cs]).fma(FloatVector.fromArray(S, b, bOff + q * n + j), s);
            }
            s.intoArray(c, c0 + j);
        }
        for (; j < j1; j++) {
            float s = c[c0 + j];
            for (int q = p0; q < p1; q++) {
                s = Math.fma(a[a0 + q * cs], b[bOff + q * n + j], s);
            }
            c[c0 + j] = s;
        }
    }
}
