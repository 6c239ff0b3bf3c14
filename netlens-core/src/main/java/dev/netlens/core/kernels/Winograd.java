package dev.netlens.core.kernels;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.WeakHashMap;
import org.bytedeco.javacpp.FloatPointer;

/**
 * 3×3, stride-1 convolutions by Winograd's minimal filtering F(2×2, 3×3) (Lavin &amp; Gray, "Fast
 * Algorithms for Convolutional Neural Networks", CVPR 2016): each 2×2 output tile is
 * Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A for the 4×4 input tile d, so the channel sums become 16 GEMMs of
 * (out × in) · (in × tiles) with 2.25× fewer multiply-adds than im2col + GEMM.
 *
 * <p>Used by {@link OpenBlasKernels} for ungrouped, undilated 3×3 stride-1 convolutions with
 * padding ≤ 2, forward and for the data gradient (a 3×3 stride-1 convolution of the output
 * gradient with the flipped, transposed filters and padding 2 − p). Filter transforms of graph
 * parameters are cached like staged weights. Phases: input transform (parallel over channels),
 * the 16 GEMMs (parallel, single-threaded OpenBLAS each), output transform (parallel over output
 * channels); every value is computed in a fixed order.
 */
final class Winograd {
    private Winograd() {
    }

    /** Fewest output tiles (over the batch) for which the 16 small GEMMs beat one im2col GEMM. */
    static final int MIN_TILES = 64;

    /**
     * Whether a convolution with these weights is computed here: a 3×3 stride-1 geometry with
     * enough output tiles, and weights whose filter transform is cached (declared constant) — the
     * transform runs in Java and would cost more than it saves if it were redone on every call.
     */
    static boolean applies(ConvGeometry g, float[] w) {
        return applies(g) && ConstantArrays.isDeclared(w)
                && (long) g.batch * ((g.outHeight + 1) / 2) * ((g.outWidth + 1) / 2) >= MIN_TILES;
    }

    /** Whether the geometry is one Winograd F(2×2, 3×3) computes. */
    static boolean applies(ConvGeometry g) {
        return g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideHeight == 1 && g.strideWidth == 1
                && g.dilationHeight == 1 && g.dilationWidth == 1 && g.groups == 1
                && g.padTop <= 2 && g.padLeft <= 2 && g.padBottom <= 2 && g.padRight <= 2
                && g.inChannels >= 16 && g.outChannels >= 16 && g.outHeight >= 2 && g.outWidth >= 2;
    }

    /** The geometry of the data gradient as a forward convolution of dy (stride 1, padding 2 − p). */
    static ConvGeometry backwardGeometry(ConvGeometry g) {
        return new ConvGeometry(g.batch, g.outChannels, g.outHeight, g.outWidth, g.inChannels, 1, 3, 3, 1, 1, 1, 1,
                new int[] {2 - g.padTop, 2 - g.padLeft, 2 - g.padBottom, 2 - g.padRight});
    }

    // ------------------------------------------------------------------ filter transforms

    private record Filters(FloatPointer pointer, FloatBuffer forward, FloatPointer pointerT, FloatBuffer backward,
                           long fingerprint) {
    }

    private static final Map<float[], Filters> CACHE = new WeakHashMap<>();

    /**
     * U[ξ][m][c] = (G w[m][c] Gᵀ)[ξ] for the forward pass, or of the flipped transposed filters
     * w′[c][m][i][j] = w[m][c][2−i][2−j] for the data gradient.
     */
    static FloatBuffer filters(float[] w, int outChannels, int inChannels, boolean backward) {
        if (!ConstantArrays.isDeclared(w)) {
            // Transient weights (e.g. LRP's modified copies): the calling thread's scratch slot a,
            // which stays allocated (and reachable) until that thread's next use of the slot.
            return transform(w, outChannels, inChannels, backward,
                    OffHeapScratch.get().a.ensure(16L * outChannels * inChannels));
        }
        long fp = ConstantArrays.fingerprint(w);
        synchronized (CACHE) {
            Filters f = CACHE.get(w);
            if (f == null || f.fingerprint() != fp) {
                FloatPointer p = new FloatPointer(16L * outChannels * inChannels);
                FloatPointer pt = new FloatPointer(16L * outChannels * inChannels);
                FloatBuffer fwd = transform(w, outChannels, inChannels, false, p.asBuffer());
                FloatBuffer bwd = transform(w, outChannels, inChannels, true, pt.asBuffer());
                f = new Filters(p, fwd, pt, bwd, fp);
                CACHE.put(w, f);
            }
            return backward ? f.backward() : f.forward();
        }
    }

    private static FloatBuffer transform(float[] w, int m, int c, boolean backward, FloatBuffer into) {
        int rows = backward ? c : m;
        int cols = backward ? m : c;
        FloatBuffer u = into;
        float[] plane = new float[16 * rows * cols];
        float[] k = new float[9];
        float[] t = new float[12];
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                int mm = backward ? q : r;
                int cc = backward ? r : q;
                int base = (mm * c + cc) * 9;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        k[i * 3 + j] = backward ? w[base + (2 - i) * 3 + (2 - j)] : w[base + i * 3 + j];
                    }
                }
                // t = G k (4×3)
                for (int j = 0; j < 3; j++) {
                    float k0 = k[j];
                    float k1 = k[3 + j];
                    float k2 = k[6 + j];
                    t[j] = k0;
                    t[3 + j] = 0.5f * (k0 + k1 + k2);
                    t[6 + j] = 0.5f * (k0 - k1 + k2);
                    t[9 + j] = k2;
                }
                // U = t Gᵀ (4×4)
                for (int i = 0; i < 4; i++) {
                    float t0 = t[i * 3];
                    float t1 = t[i * 3 + 1];
                    float t2 = t[i * 3 + 2];
                    int o = (r * cols + q);
                    plane[((i * 4) * rows * cols) + o] = t0;
                    plane[((i * 4 + 1) * rows * cols) + o] = 0.5f * (t0 + t1 + t2);
                    plane[((i * 4 + 2) * rows * cols) + o] = 0.5f * (t0 - t1 + t2);
                    plane[((i * 4 + 3) * rows * cols) + o] = t2;
                }
            }
        }
        u.put(0, plane, 0, plane.length);
        return u;
    }

    // ------------------------------------------------------------------ convolution

    /** Tiles per GEMM batch: images are processed in chunks so the transformed tensors stay small. */
    private static final int TILES_PER_CHUNK = 4096;

    /** y ← conv(x, filters) for a geometry that {@link #applies}; U from {@link #filters}. */
    static void convolve(ConvGeometry g, float[] x, FloatBuffer u, float[] y) {
        final int tilesPerImage = ((g.outHeight + 1) / 2) * ((g.outWidth + 1) / 2);
        final int images = Math.max(1, TILES_PER_CHUNK / tilesPerImage);
        for (int n0 = 0; n0 < g.batch; n0 += images) {
            convolveImages(g, x, u, y, n0, Math.min(g.batch, n0 + images));
        }
    }

    private static void convolveImages(ConvGeometry g, float[] x, FloatBuffer u, float[] y, int n0, int n1) {
        final int c = g.inChannels;
        final int m = g.outChannels;
        final int th = (g.outHeight + 1) / 2;
        final int tw = (g.outWidth + 1) / 2;
        final int tilesPerImage = th * tw;
        final int tiles = (n1 - n0) * tilesPerImage;
        OffHeapScratch s = OffHeapScratch.get();
        FloatBuffer v = s.b.ensure(16L * c * tiles);
        FloatBuffer prod = s.c.ensure(16L * m * tiles);
        // Input transform: V[ξ][c][t] = (Bᵀ d B)[ξ].
        Parallel.range(c, 1, (from, to) -> {
            float[] stage = OffHeapScratch.get().stage(16 * tiles);
            float[] d = new float[16];
            float[] r = new float[16];
            for (int ch = from; ch < to; ch++) {
                for (int n = n0; n < n1; n++) {
                    int xOff = (n * c + ch) * g.inHeight * g.inWidth;
                    for (int ti = 0; ti < th; ti++) {
                        for (int tj = 0; tj < tw; tj++) {
                            gatherTile(g, x, xOff, 2 * ti - g.padTop, 2 * tj - g.padLeft, d);
                            inputTransform(d, r, stage, (n - n0) * tilesPerImage + ti * tw + tj, tiles);
                        }
                    }
                }
                for (int xi = 0; xi < 16; xi++) {
                    v.put((xi * c + ch) * tiles, stage, xi * tiles, tiles);
                }
            }
        });
        // 16 GEMMs: P[ξ] (m × tiles) = U[ξ] (m × c) · V[ξ] (c × tiles).
        Parallel.range(16, 1, (from, to) -> {
            for (int xi = from; xi < to; xi++) {
                OpenBlasKernels.gemm(false, false, m, tiles, c, 1f, u, xi * m * c, c, v, xi * c * tiles, tiles,
                        0f, prod, xi * m * tiles, tiles);
            }
        });
        // Output transform: y tile = Aᵀ P A.
        Parallel.range(m, 1, (from, to) -> {
            float[] stage = OffHeapScratch.get().stage(16 * tiles);
            float[] q = new float[8];
            for (int mo = from; mo < to; mo++) {
                for (int xi = 0; xi < 16; xi++) {
                    prod.get((xi * m + mo) * tiles, stage, xi * tiles, tiles);
                }
                for (int n = n0; n < n1; n++) {
                    int yOff = (n * m + mo) * g.outHeight * g.outWidth;
                    for (int ti = 0; ti < th; ti++) {
                        for (int tj = 0; tj < tw; tj++) {
                            outputTransform(stage, q, (n - n0) * tilesPerImage + ti * tw + tj, tiles, y, yOff,
                                    2 * ti, 2 * tj, g.outHeight, g.outWidth);
                        }
                    }
                }
            }
        });
    }

    /** The 4×4 input tile at (y0, x0), zero outside the image. */
    private static void gatherTile(ConvGeometry g, float[] x, int off, int y0, int x0, float[] d) {
        boolean inside = y0 >= 0 && x0 >= 0 && y0 + 4 <= g.inHeight && x0 + 4 <= g.inWidth;
        for (int i = 0; i < 4; i++) {
            int iy = y0 + i;
            int row = off + iy * g.inWidth + x0;
            if (inside) {
                d[i * 4] = x[row];
                d[i * 4 + 1] = x[row + 1];
                d[i * 4 + 2] = x[row + 2];
                d[i * 4 + 3] = x[row + 3];
                continue;
            }
            for (int j = 0; j < 4; j++) {
                int ix = x0 + j;
                d[i * 4 + j] = iy >= 0 && iy < g.inHeight && ix >= 0 && ix < g.inWidth ? x[row + j] : 0f;
            }
        }
    }

    /** Bᵀ d B into column {@code t} of the 16 rows of {@code out} (row stride {@code stride}). */
    private static void inputTransform(float[] d, float[] r, float[] out, int t, int stride) {
        // r = Bᵀ d (rows): r0 = d0 − d2, r1 = d1 + d2, r2 = d2 − d1, r3 = d1 − d3.
        for (int j = 0; j < 4; j++) {
            float d0 = d[j];
            float d1 = d[4 + j];
            float d2 = d[8 + j];
            float d3 = d[12 + j];
            r[j] = d0 - d2;
            r[4 + j] = d1 + d2;
            r[8 + j] = d2 - d1;
            r[12 + j] = d1 - d3;
        }
        // r B (columns, same combinations).
        for (int i = 0; i < 4; i++) {
            float a0 = r[i * 4];
            float a1 = r[i * 4 + 1];
            float a2 = r[i * 4 + 2];
            float a3 = r[i * 4 + 3];
            out[(i * 4) * stride + t] = a0 - a2;
            out[(i * 4 + 1) * stride + t] = a1 + a2;
            out[(i * 4 + 2) * stride + t] = a2 - a1;
            out[(i * 4 + 3) * stride + t] = a1 - a3;
        }
    }

    /** Aᵀ P A for tile {@code t}, written at (y0, x0) of the output plane, clipped at its border. */
    private static void outputTransform(float[] p, float[] q, int t, int stride, float[] y, int off, int y0, int x0,
                                        int h, int w) {
        // q = Aᵀ P (2×4): q0 = p0 + p1 + p2, q1 = p1 − p2 − p3 (per column).
        for (int j = 0; j < 4; j++) {
            float p0 = p[j * stride + t];
            float p1 = p[(4 + j) * stride + t];
            float p2 = p[(8 + j) * stride + t];
            float p3 = p[(12 + j) * stride + t];
            q[j] = p0 + p1 + p2;
            q[4 + j] = p1 - p2 - p3;
        }
        for (int i = 0; i < 2 && y0 + i < h; i++) {
            float a0 = q[i * 4];
            float a1 = q[i * 4 + 1];
            float a2 = q[i * 4 + 2];
            float a3 = q[i * 4 + 3];
            int row = off + (y0 + i) * w + x0;
            y[row] = a0 + a1 + a2;
            if (x0 + 1 < w) {
                y[row + 1] = a1 - a2 - a3;
            }
        }
    }
}
