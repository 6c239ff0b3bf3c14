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

    /**
     * Fewest output tiles (over the batch) for Winograd: each transformed filter value (16/9 as
     * many bytes as the filters) is then reused at least this often. Measured on ResNet-18 at
     * batch 1: layer3 (49 tiles) gains, layer4 (16 tiles, 16 MB of transformed filters per conv)
     * is bound by reading them and gains nothing over im2col + GEMM.
     */
    static final int MIN_TILES = 32;

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
        final int span = 2 * tw + 2;
        Parallel.range(c, 1, (from, to) -> {
            float[] stage = OffHeapScratch.get().stage(16 * tiles);
            float[] rows = new float[4 * span];
            float[] r = new float[4 * span];
            for (int ch = from; ch < to; ch++) {
                for (int n = n0; n < n1; n++) {
                    int xOff = (n * c + ch) * g.inHeight * g.inWidth;
                    for (int ti = 0; ti < th; ti++) {
                        paddedRows(g, x, xOff, 2 * ti - g.padTop, rows, span);
                        inputTransformRow(rows, r, span, stage, (n - n0) * tilesPerImage + ti * tw, tw, tiles);
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
            float[] q = new float[8 * tw];
            for (int mo = from; mo < to; mo++) {
                for (int xi = 0; xi < 16; xi++) {
                    prod.get((xi * m + mo) * tiles, stage, xi * tiles, tiles);
                }
                for (int n = n0; n < n1; n++) {
                    int yOff = (n * m + mo) * g.outHeight * g.outWidth;
                    for (int ti = 0; ti < th; ti++) {
                        outputTransformRow(stage, q, (n - n0) * tilesPerImage + ti * tw, tw, tiles, y, yOff, 2 * ti,
                                g.outHeight, g.outWidth);
                    }
                }
            }
        });
    }

    /**
     * The 4 input rows y0..y0+3 of one plane over the columns a row of tiles reads (from
     * −padLeft, {@code span} wide), zero outside the image.
     */
    private static void paddedRows(ConvGeometry g, float[] x, int off, int y0, float[] rows, int span) {
        int x0 = -g.padLeft;
        int lo = Math.max(0, x0);
        int hi = Math.min(g.inWidth, x0 + span);
        for (int i = 0; i < 4; i++) {
            int base = i * span;
            int iy = y0 + i;
            if (iy < 0 || iy >= g.inHeight || lo >= hi) {
                java.util.Arrays.fill(rows, base, base + span, 0f);
                continue;
            }
            java.util.Arrays.fill(rows, base, base + (lo - x0), 0f);
            System.arraycopy(x, off + iy * g.inWidth + lo, rows, base + (lo - x0), hi - lo);
            java.util.Arrays.fill(rows, base + (hi - x0), base + span, 0f);
        }
    }

    /**
     * Bᵀ d B for a row of {@code tw} tiles: the row combinations over the whole width first
     * (r0 = d0 − d2, r1 = d1 + d2, r2 = d2 − d1, r3 = d1 − d3), then the same combinations of
     * columns 2j..2j+3 for tile j, written to columns t0.. of the 16 rows of {@code out}.
     */
    private static void inputTransformRow(float[] d, float[] r, int span, float[] out, int t0, int tw, int stride) {
        for (int k = 0; k < span; k++) {
            float d0 = d[k];
            float d1 = d[span + k];
            float d2 = d[2 * span + k];
            float d3 = d[3 * span + k];
            r[k] = d0 - d2;
            r[span + k] = d1 + d2;
            r[2 * span + k] = d2 - d1;
            r[3 * span + k] = d1 - d3;
        }
        for (int i = 0; i < 4; i++) {
            int ri = i * span;
            int o0 = (i * 4) * stride + t0;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            for (int j = 0; j < tw; j++) {
                int c = ri + 2 * j;
                float a0 = r[c];
                float a1 = r[c + 1];
                float a2 = r[c + 2];
                float a3 = r[c + 3];
                out[o0 + j] = a0 - a2;
                out[o1 + j] = a1 + a2;
                out[o2 + j] = a2 - a1;
                out[o3 + j] = a1 - a3;
            }
        }
    }

    /**
     * Aᵀ P A for a row of {@code tw} tiles starting at column t0 of the 16 rows of {@code p}:
     * q0 = p0 + p1 + p2 and q1 = p1 − p2 − p3 down each of the 4 columns, then the same across,
     * written at output row y0 (and y0 + 1), clipped at the plane's border.
     */
    private static void outputTransformRow(float[] p, float[] q, int t0, int tw, int stride, float[] y, int off,
                                           int y0, int h, int w) {
        for (int j = 0; j < 4; j++) {
            int p0 = j * stride + t0;
            int p1 = p0 + 4 * stride;
            int p2 = p1 + 4 * stride;
            int p3 = p2 + 4 * stride;
            int q0 = j * tw;
            int q1 = (4 + j) * tw;
            for (int t = 0; t < tw; t++) {
                float v1 = p[p1 + t];
                float v2 = p[p2 + t];
                q[q0 + t] = p[p0 + t] + v1 + v2;
                q[q1 + t] = v1 - v2 - p[p3 + t];
            }
        }
        int fullTiles = w / 2;
        for (int i = 0; i < 2 && y0 + i < h; i++) {
            int qa = (4 * i) * tw;
            int qb = qa + tw;
            int qc = qb + tw;
            int qd = qc + tw;
            int row = off + (y0 + i) * w;
            for (int t = 0; t < fullTiles; t++) {
                float a1 = q[qb + t];
                float a2 = q[qc + t];
                y[row + 2 * t] = q[qa + t] + a1 + a2;
                y[row + 2 * t + 1] = a1 - a2 - q[qd + t];
            }
            if (fullTiles < tw) {
                int t = fullTiles;
                y[row + 2 * t] = q[qa + t] + q[qb + t] + q[qc + t];
            }
        }
    }
}
