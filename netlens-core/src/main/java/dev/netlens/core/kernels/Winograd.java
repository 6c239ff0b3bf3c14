package dev.netlens.core.kernels;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.WeakHashMap;
import org.bytedeco.javacpp.FloatPointer;

/**
 * 3×3, stride-1 convolutions by Winograd's minimal filtering F(r×r, 3×3) (Lavin &amp; Gray, "Fast
 * Algorithms for Convolutional Neural Networks", CVPR 2016): each r×r output tile is
 * Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A for the α×α input tile d (α = r + 2), so the channel sums become α²
 * GEMMs of (out × in) · (in × tiles). {@link Variant#F2} (r = 2, 16 GEMMs) needs 2.25× and
 * {@link Variant#F4} (r = 4, 36 GEMMs) 4× fewer multiply-adds than im2col + GEMM.
 *
 * <p>Used by {@link OpenBlasKernels} for ungrouped, undilated 3×3 stride-1 convolutions with
 * padding ≤ 2, forward and for the data gradient (a 3×3 stride-1 convolution of the output
 * gradient with the flipped, transposed filters and padding 2 − p). Filter transforms of graph
 * parameters are cached like staged weights.
 *
 * <p><b>Schedule.</b> The rows of output tiles of all images are cut into chunks that depend only
 * on the geometry and the thread count; each thread runs whole chunks through input transform,
 * the α² GEMMs (single-threaded OpenBLAS) and output transform, so a convolution has one parallel
 * phase and a chunk's transformed tiles stay in cache between the three steps. Every value is
 * computed in a fixed order.
 *
 * <p><b>Transforms.</b> Bᵀ down the rows of a tile row and the F(4×4) output transform are loops
 * that read and write every array at the same index, the form the JIT vectorises. The steps across
 * columns read (input) or write (output) every r-th element; for F(2×2) they run on the Vector API
 * at 8-float vectors ({@link WinogradSimd}, bit-identical; see {@link #simdTransforms}), else as
 * scalar loops.
 */
final class Winograd {
    private Winograd() {
    }

    /** A tile size: its transform matrices Bᵀ (α×α), G (α×3) and Aᵀ (r×α). */
    enum Variant {
        /** F(2×2, 3×3): 4×4 input tiles. */
        F2(2,
                new float[][] {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
                new double[][] {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}},
                new float[][] {{1, 1, 1, 0}, {0, 1, -1, -1}}),
        /** F(4×4, 3×3): 6×6 input tiles, interpolation points 0, ±1, ±2, ∞. */
        F4(4,
                new float[][] {
                    {4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                    {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}},
                new double[][] {
                    {1.0 / 4, 0, 0}, {-1.0 / 6, -1.0 / 6, -1.0 / 6}, {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                    {1.0 / 24, 1.0 / 12, 1.0 / 6}, {1.0 / 24, -1.0 / 12, 1.0 / 6}, {0, 0, 1}},
                new float[][] {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}});

        final int r;
        final int alpha;
        final float[][] bt;
        final double[][] g;
        final float[][] at;

        Variant(int r, float[][] bt, double[][] g, float[][] at) {
            this.r = r;
            this.alpha = r + 2;
            this.bt = bt;
            this.g = g;
            this.at = at;
        }

        /** α²: the number of GEMMs. */
        int points() {
            return alpha * alpha;
        }
    }

    /**
     * Fewest output tiles of 2×2 (over the batch) for Winograd: each transformed filter value
     * (16/9 as many bytes as the filters) is then reused at least this often. Measured on ResNet-18
     * at batch 1: layer3 (49 tiles) gains, layer4 (16 tiles, 16 MB of transformed filters per conv)
     * is bound by reading them and gains nothing over im2col + GEMM.
     */
    static final int MIN_TILES = 32;

    /**
     * F(4×4) is used when there are at least this many 4×4 tiles over the batch: its transformed
     * filters are 36/9 as large as the filters, so with few tiles reading them costs more than the
     * 1.78× fewer multiply-adds (than F(2×2)) save.
     */
    static final int MIN_TILES_F4 = 64;

    /**
     * F(4×4) (for data gradients) only when it needs at most this share of F(2×2)'s
     * multiplications, counting the padding of partial edge tiles: its transforms cost more per
     * output, so on 14×14 planes (0.73 of the products) F(2×2) was faster on ResNet-18's layer3, on
     * 56×56, 28×28 and 7×7 planes (0.56) F(4×4) was.
     */
    static final double F4_PRODUCT_SHARE = 0.65;


    /**
     * Whether the F(2×2) transforms run on the Vector API ({@link WinogradSimd}): when it is present
     * and the JVM's vector width is 8 floats. At 16 floats ({@code netlens.simd.bits=512}) JDK 17's
     * C2 does not compile their permutes and blends to vector instructions
     * ({@code -XX:+PrintIntrinsics}: {@code rearrange}, {@code blend} and the stores after them
     * fail to inline) and runs the Vector API's Java fallback: no faster than the scalar loops on
     * ResNet-18 (forward 27.2–29.5 vs 27.0–27.9 ms, integrated gradients 1210–1234 vs
     * 1153–1257 ms, alternating runs) while allocating about 11 MB of boxed vectors per forward
     * pass (JFR allocation samples). So at that width the scalar loops run. The results are the
     * same either way.
     */
    static boolean simdTransforms() {
        return SIMD_TRANSFORMS;
    }

    /**
     * Whether a convolution with these weights is computed here: a 3×3 stride-1 geometry with
     * enough output tiles, and weights whose filter transform is cached (declared constant) — the
     * transform runs in Java and would cost more than it saves if it were redone on every call.
     */
    static boolean applies(ConvGeometry g, float[] w) {
        return applies(g) && ConstantArrays.isDeclared(w) && !"off".equals(System.getProperty("netlens.winograd"))
                && (long) g.batch * ((g.outHeight + 1) / 2) * ((g.outWidth + 1) / 2) >= MIN_TILES;
    }

    /** Whether the geometry is one Winograd F(r×r, 3×3) computes. */
    static boolean applies(ConvGeometry g) {
        return g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideHeight == 1 && g.strideWidth == 1
                && g.dilationHeight == 1 && g.dilationWidth == 1 && g.groups == 1
                && g.padTop <= 2 && g.padLeft <= 2 && g.padBottom <= 2 && g.padRight <= 2
                && g.inChannels >= 16 && g.outChannels >= 16 && g.outHeight >= 2 && g.outWidth >= 2;
    }

    /**
     * The tile size for a geometry that {@link #applies}, chosen from the shape and the direction
     * alone: F(2×2) for forward passes, F(4×4) for data gradients where it needs at most
     * {@link #F4_PRODUCT_SHARE} of F(2×2)'s products (partial edge tiles included) and has at
     * least {@link #MIN_TILES_F4} tiles. The system property {@code netlens.winograd} ({@code f2},
     * {@code f4}, or {@code off} to use im2col + GEMM instead) overrides the choice in both
     * directions, for benchmarks.
     *
     * <p>Why forward passes stay on F(2×2): F(4×4)'s rounding errors are about 7× larger (2e-6 vs
     * 3e-7 of the largest output, in a float32 simulation over 64 channels), and in a forward pass
     * they move pre-activations across ReLU thresholds, which flips masks and amplifies through a
     * deep network. Against Captum, VGG11-bn integrated gradients (Riemann trapezoid, 20 steps) had
     * relative L2 error 1.8e-2 with F(4×4) forward passes (limit 1e-2) and 9.9e-3 with F(2×2) —
     * also 9.9e-3 with F(4×4) data gradients, whose errors only add to the gradient linearly.
     */
    static Variant variant(ConvGeometry g, boolean dataGradient) {
        String forced = System.getProperty("netlens.winograd");
        if (forced != null && !forced.isBlank() && !"off".equals(forced.trim())) {
            return forcedVariant(forced.trim());
        }
        if (!dataGradient) {
            return Variant.F2;
        }
        long tiles2 = (long) ((g.outHeight + 1) / 2) * ((g.outWidth + 1) / 2);
        long tiles4 = (long) ((g.outHeight + 3) / 4) * ((g.outWidth + 3) / 4);
        boolean fewerProducts = 36 * tiles4 <= F4_PRODUCT_SHARE * 16 * tiles2;
        return fewerProducts && g.batch * tiles4 >= MIN_TILES_F4 ? Variant.F4 : Variant.F2;
    }

    private static Variant forcedVariant(String value) {
        for (Variant v : Variant.values()) {
            if (v.name().equalsIgnoreCase(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("system property netlens.winograd is '" + value
                + "'; valid values are f2, f4 and off");
    }

    /** The geometry of the data gradient as a forward convolution of dy (stride 1, padding 2 − p). */
    static ConvGeometry backwardGeometry(ConvGeometry g) {
        return new ConvGeometry(g.batch, g.outChannels, g.outHeight, g.outWidth, g.inChannels, 1, 3, 3, 1, 1, 1, 1,
                new int[] {2 - g.padTop, 2 - g.padLeft, 2 - g.padBottom, 2 - g.padRight});
    }

    private static final boolean SIMD_TRANSFORMS = Simd.ENABLED && WinogradSimd.LANES == 8;

    // ------------------------------------------------------------------ filter transforms

    /** Transformed filters U[ξ][rows][cols] of one variant and direction, off-heap. */
    record Filters(Variant variant, FloatBuffer u, FloatPointer owner) {
    }

    private record Cached(long fingerprint, Filters[] byKey) {
    }

    private static final Map<float[], Cached> CACHE = new WeakHashMap<>();

    /**
     * U[ξ][m][c] = (G w[m][c] Gᵀ)[ξ] for the forward pass, or of the flipped transposed filters
     * w′[c][m][i][j] = w[m][c][2−i][2−j] for the data gradient.
     */
    static Filters filters(float[] w, int outChannels, int inChannels, Variant variant, boolean backward) {
        long size = (long) variant.points() * outChannels * inChannels;
        if (!ConstantArrays.isDeclared(w)) {
            // Transient weights (e.g. LRP's modified copies): the calling thread's scratch slot a,
            // which stays allocated (and reachable) until that thread's next use of the slot.
            FloatBuffer u = OffHeapScratch.get().a.ensure(size);
            transform(w, outChannels, inChannels, variant, backward, u);
            return new Filters(variant, u, null);
        }
        long fp = ConstantArrays.fingerprint(w);
        int key = variant.ordinal() * 2 + (backward ? 1 : 0);
        synchronized (CACHE) {
            Cached c = CACHE.get(w);
            if (c == null || c.fingerprint() != fp) {
                c = new Cached(fp, new Filters[2 * Variant.values().length]);
                CACHE.put(w, c);
            }
            Filters f = c.byKey()[key];
            if (f == null) {
                FloatPointer p = new FloatPointer(size);
                FloatBuffer u = p.asBuffer();
                transform(w, outChannels, inChannels, variant, backward, u);
                f = new Filters(variant, u, p);
                c.byKey()[key] = f;
            }
            return f;
        }
    }

    private static void transform(float[] w, int m, int c, Variant v, boolean backward, FloatBuffer into) {
        int rows = backward ? c : m;
        int cols = backward ? m : c;
        int a = v.alpha;
        int plane = rows * cols;
        float[] out = new float[v.points() * plane];
        double[] k = new double[9];
        double[] t = new double[a * 3];
        for (int rr = 0; rr < rows; rr++) {
            for (int q = 0; q < cols; q++) {
                int mm = backward ? q : rr;
                int cc = backward ? rr : q;
                int base = (mm * c + cc) * 9;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        k[i * 3 + j] = backward ? w[base + (2 - i) * 3 + (2 - j)] : w[base + i * 3 + j];
                    }
                }
                // t = G k (α×3), then U = t Gᵀ (α×α), in double and rounded once.
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < 3; j++) {
                        t[i * 3 + j] = v.g[i][0] * k[j] + v.g[i][1] * k[3 + j] + v.g[i][2] * k[6 + j];
                    }
                }
                int o = rr * cols + q;
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < a; j++) {
                        double s = t[i * 3] * v.g[j][0] + t[i * 3 + 1] * v.g[j][1] + t[i * 3 + 2] * v.g[j][2];
                        out[(i * a + j) * plane + o] = (float) s;
                    }
                }
            }
        }
        into.put(0, out, 0, out.length);
    }

    // ------------------------------------------------------------------ convolution

    /**
     * Floats of transformed input plus products per chunk (512 KB): a chunk's tiles stay in the
     * core's L2 between the transforms and the GEMMs. Measured on ResNet-18 at batch 32 against
     * 2, 8 and 32 times as much: 56×56 and 28×28 layers ran 1.5–2× faster with this size, the
     * larger-channel layers within noise (their chunks are held at {@link #MIN_CHUNK_TILES}).
     */
    private static final int CHUNK_FLOATS = 1 << 17;

    /**
     * Fewest tiles per chunk (when the images have that many, else the phases are split between
     * the threads): thinner GEMMs lose efficiency, and every chunk reads all transformed filters,
     * so wide layers need more: at least (in + out channels) / 4 tiles. Measured on ResNet-18 at
     * batch 32 (ConvLayerScan, minimum 48, 96, 192, 400 tiles): layer4 (512 channels) 41, 35, 33,
     * 32 ms; layer3 (256) 31–37, 30–34, 30, 31 ms; layer1 and layer2 unchanged up to 192 and 20–40 %
     * slower at 400.
     */
    private static final int MIN_CHUNK_TILES = 48;

    /** y ← conv(x, filters) for a geometry that {@link #applies}; U from {@link #filters}. */
    static void convolve(ConvGeometry g, float[] x, Filters f, float[] y) {
        convolve(g, x, f, null, y);
    }

    /**
     * y ← conv(x, filters) + bias (bias may be null), the bias added as each output is written —
     * the same value as adding it afterwards, without another pass over y.
     */
    static void convolve(ConvGeometry g, float[] x, Filters f, float[] bias, float[] y) {
        Variant v = f.variant();
        int th = (g.outHeight + v.r - 1) / v.r;
        int tw = (g.outWidth + v.r - 1) / v.r;
        int tileRows = g.batch * th;
        int threads = Parallel.threads();
        int minTiles = Math.max(MIN_CHUNK_TILES, (g.inChannels + g.outChannels) / 4);
        // Too few tiles for a chunk of minTiles per thread: each phase is split instead (one thread
        // multiplies only its share of the transformed filters). ResNet-18's layer4 at batch 16
        // (256 tiles, 2 threads; ConvLayerScan, 3 alternating runs): forward 16.5–18.9 -> 15.7–16.0
        // ms, data gradient 11.2–13.1 -> 10.4–10.7 ms; batches 32 and 64 stay chunked (no gain there).
        if (threads > 1 && (long) tileRows * tw < (long) threads * minTiles) {
            convolvePhaseParallel(new Chunk(g, v, th, tw, 0, tileRows), x, f.u(), bias, y);
            return;
        }
        long perTile = (long) v.points() * (g.inChannels + g.outChannels);
        int budgetRows = (int) Math.max(1, Math.max(CHUNK_FLOATS / perTile, minTiles) / tw);
        int rounds = Math.max(1, (tileRows + threads * budgetRows - 1) / (threads * budgetRows));
        int chunks = Math.min(tileRows, rounds * threads);
        Parallel.range(chunks, 1, (from, to) -> {
            Workspace ws = Workspace.of(v, tw, g);
            OffHeapScratch s = OffHeapScratch.get();
            for (int i = from; i < to; i++) {
                Chunk k = new Chunk(g, v, th, tw, Parallel.bound(tileRows, chunks, i), Parallel.bound(tileRows, chunks, i + 1));
                int tiles = k.tiles();
                int points = v.points();
                int inStride = planeStride(g.inChannels, tiles);
                int outStride = planeStride(g.outChannels, tiles);
                FloatBuffer vb = s.b.ensure((long) points * inStride);
                FloatBuffer pb = s.c.ensure((long) points * outStride);
                float[] stage = s.stage(points * Math.max(inStride, outStride));
                inputTransform(k, x, 0, g.inChannels, stage, ws);
                vb.put(0, stage, 0, points * inStride);
                gemms(k, f.u(), vb, pb, 0, points);
                if (v == Variant.F4) {
                    float[][] planes = ws.planes(points, g.outChannels * tiles);
                    for (int xi = 0; xi < points; xi++) {
                        pb.get(xi * outStride, planes[xi], 0, g.outChannels * tiles);
                    }
                    outputTransformF4(k, planes, 0, g.outChannels, bias, y, ws);
                } else {
                    pb.get(0, stage, 0, points * outStride);
                    outputTransform(k, stage, 0, g.outChannels, bias, y);
                }
            }
        });
    }

    /**
     * Few tiles (small images at batch 1): one chunk, with each step parallel on its own — over
     * input channels, over the α² GEMMs (so each thread reads only its share of the transformed
     * filters) and over output channels.
     */
    private static void convolvePhaseParallel(Chunk k, float[] x, FloatBuffer u, float[] bias, float[] y) {
        final int c = k.g().inChannels;
        final int m = k.g().outChannels;
        final int points = k.v().points();
        final int tiles = k.tiles();
        final int inStride = planeStride(c, tiles);
        final int outStride = planeStride(m, tiles);
        OffHeapScratch s = OffHeapScratch.get();
        FloatBuffer vb = s.b.ensure((long) points * inStride);
        FloatBuffer pb = s.c.ensure((long) points * outStride);
        float[] shared = s.stage(points * Math.max(inStride, outStride));
        Parallel.range(c, 1, (from, to) -> {
            inputTransform(k, x, from, to, shared, Workspace.of(k.v(), k.tw(), k.g()));
            for (int xi = 0; xi < points; xi++) {
                int at = xi * inStride + from * tiles;
                vb.put(at, shared, at, (to - from) * tiles);
            }
        });
        Parallel.range(points, 1, (from, to) -> gemms(k, u, vb, pb, from, to));
        Parallel.range(m, 1, (from, to) -> {
            if (k.v() == Variant.F4) {
                Workspace ws = Workspace.of(k.v(), k.tw(), k.g());
                float[][] planes = ws.planes(points, m * tiles);
                for (int xi = 0; xi < points; xi++) {
                    pb.get(xi * outStride + from * tiles, planes[xi], from * tiles, (to - from) * tiles);
                }
                outputTransformF4(k, planes, from, to, bias, y, ws);
                return;
            }
            for (int xi = 0; xi < points; xi++) {
                int at = xi * outStride + from * tiles;
                pb.get(at, shared, at, (to - from) * tiles);
            }
            outputTransform(k, shared, from, to, bias, y);
        });
    }

    /** Tile rows [q0, q1) (over all images) of a convolution, in one variant. */
    private record Chunk(ConvGeometry g, Variant v, int th, int tw, int q0, int q1) {
        int tiles() {
            return (q1 - q0) * tw;
        }
    }

    /** Per-thread arrays of one chunk's transforms. */
    private static final class Workspace {
        /** The α padded input rows of one row of tiles, each its own array (so loops over them vectorise). */
        final float[][] rows;
        /** Bᵀ applied down those rows. */
        final float[][] vertical;
        /** The geometry the rows were zeroed for. */
        private int padLeft = -1;
        private int inWidth = -1;

        /** F(4×4) output transform: the products P[ξ], one array per ξ ([outChannels × tiles] each). */
        private float[][] planes = new float[0][];
        /** F(4×4) output transform: Aᵀ applied down the columns, [4 × 6] arrays like the planes. */
        private float[][] columns = new float[0][];
        /** F(4×4) output transform: one output row of every tile, [4] arrays like the planes. */
        private float[][] outputs = new float[0][];

        private Workspace(Variant v, int tw) {
            int span = tw * v.r + 2;
            rows = new float[v.alpha][span];
            vertical = new float[v.alpha][span];
        }

        /**
         * The calling thread's workspace for this variant and row of tiles: its F(4×4) planes
         * (36 × outChannels × tiles floats) are kept from call to call rather than allocated and
         * zeroed for every convolution. Every element a transform reads it first writes.
         */
        static Workspace of(Variant v, int tw, ConvGeometry g) {
            Workspace[] mine = CACHE.get();
            Workspace w = mine[v.ordinal()];
            // The padded rows' columns outside the plane are written once (zeros) per geometry:
            // new rows whenever the span, the left padding or the width differ.
            if (w == null || w.rows[0].length != tw * v.r + 2 || w.padLeft != g.padLeft || w.inWidth != g.inWidth) {
                Workspace fresh = new Workspace(v, tw);
                fresh.padLeft = g.padLeft;
                fresh.inWidth = g.inWidth;
                if (w != null) {
                    fresh.planes = w.planes;
                    fresh.columns = w.columns;
                    fresh.outputs = w.outputs;
                }
                w = fresh;
                mine[v.ordinal()] = w;
            }
            return w;
        }

        private static final ThreadLocal<Workspace[]> CACHE =
                ThreadLocal.withInitial(() -> new Workspace[Variant.values().length]);

        float[][] planes(int count, int length) {
            planes = grow(planes, count, length);
            return planes;
        }

        float[][] columns(int length) {
            columns = grow(columns, 24, length);
            return columns;
        }

        float[][] outputs(int length) {
            outputs = grow(outputs, 4, length);
            return outputs;
        }

        private static float[][] grow(float[][] a, int count, int length) {
            if (a.length < count || a[0].length < length) {
                // Padded like the planes of the transformed buffers (see planeStride).
                a = new float[count][planeStride(1, length)];
            }
            return a;
        }
    }

    /** Channels per block of the F(4×4) output transform: its arrays' touched parts stay in L1/L2. */
    private static final int OUTPUT_BLOCK_FLOATS = 1024;

    /**
     * F(4×4) output transform of output channels [mFrom, mTo) of a chunk: Aᵀ down the columns, then across
     * as loops over (channel, tile) in which every array is read and written at the same index
     * (the form the JIT vectorises), then the 4 × 4 outputs of each tile written into y, clipped at
     * the border.
     */
    private static void outputTransformF4(Chunk k, float[][] p, int mFrom, int mTo, float[] bias, float[] y,
                                          Workspace ws) {
        final ConvGeometry g = k.g();
        final int m = g.outChannels;
        final int tiles = k.tiles();
        final int tw = k.tw();
        final int h = g.outHeight;
        final int w = g.outWidth;
        float[][] q = ws.columns(m * tiles);
        float[][] o = ws.outputs(m * tiles);
        int block = Math.max(1, OUTPUT_BLOCK_FLOATS / tiles);
        for (int m0 = mFrom; m0 < mTo; m0 += block) {
            int m1 = Math.min(mTo, m0 + block);
            int a = m0 * tiles;
            int b = m1 * tiles;
            for (int e = 0; e < 6; e++) {
                columnsF4(p[e], p[6 + e], p[12 + e], p[18 + e], p[24 + e], p[30 + e],
                        q[e], q[6 + e], q[12 + e], q[18 + e], a, b);
            }
            for (int i = 0; i < 4; i++) {
                columnsF4(q[6 * i], q[6 * i + 1], q[6 * i + 2], q[6 * i + 3], q[6 * i + 4], q[6 * i + 5],
                        o[0], o[1], o[2], o[3], a, b);
                for (int mo = m0; mo < m1; mo++) {
                    for (int qq = k.q0(); qq < k.q1(); qq++) {
                        int oy = (qq % k.th()) * 4 + i;
                        if (oy >= h) {
                            continue;
                        }
                        int row = ((qq / k.th()) * m + mo) * h * w + oy * w;
                        int t0 = mo * tiles + (qq - k.q0()) * tw;
                        scatterRowF4(o, t0, tw, biasOf(bias, mo), y, row, w);
                    }
                }
            }
        }
    }

    /** r_i[t] = (Aᵀ v)_i for t in [a, b), v_j = the six inputs at t (see {@link Variant#F4}). */
    private static void columnsF4(float[] v0, float[] v1, float[] v2, float[] v3, float[] v4, float[] v5,
                                  float[] r0, float[] r1, float[] r2, float[] r3, int a, int b) {
        for (int t = a; t < b; t++) {
            float p1 = v1[t];
            float p2 = v2[t];
            float p3 = v3[t];
            float p4 = v4[t];
            float s12 = p1 + p2;
            float m12 = p1 - p2;
            float s34 = p3 + p4;
            float m34 = p3 - p4;
            r0[t] = v0[t] + s12 + s34;
            r1[t] = m12 + 2f * m34;
            r2[t] = s12 + 4f * s34;
            r3[t] = m12 + 8f * m34 + v5[t];
        }
    }

    /** Output columns 4j..4j+3 of one output row from o[0..3] at t0 + j, clipped at width w. */
    private static void scatterRowF4(float[][] o, int t0, int tw, float b, float[] y, int row, int w) {
        float[] o0 = o[0];
        float[] o1 = o[1];
        float[] o2 = o[2];
        float[] o3 = o[3];
        int full = Math.min(tw, w / 4);
        for (int j = 0; j < full; j++) {
            int at = row + 4 * j;
            int t = t0 + j;
            y[at] = o0[t] + b;
            y[at + 1] = o1[t] + b;
            y[at + 2] = o2[t] + b;
            y[at + 3] = o3[t] + b;
        }
        for (int j = full; j < tw; j++) {
            int x0 = 4 * j;
            int t = t0 + j;
            int at = row + x0;
            // A partial tile at the right border: its first column is always inside.
            y[at] = o0[t] + b;
            if (x0 + 1 < w) {
                y[at + 1] = o1[t] + b;
            }
            if (x0 + 2 < w) {
                y[at + 2] = o2[t] + b;
            }
            if (x0 + 3 < w) {
                y[at + 3] = o3[t] + b;
            }
        }
    }

    /** V[ξ][ch][t] into {@code out} ([α²][inChannels][tiles]) for channels [ch0, ch1) of the chunk. */
    private static void inputTransform(Chunk k, float[] x, int ch0, int ch1, float[] out, Workspace ws) {
        final ConvGeometry g = k.g();
        final Variant v = k.v();
        final int c = g.inChannels;
        final int tiles = k.tiles();
        final int planeStride = planeStride(c, tiles);
        for (int ch = ch0; ch < ch1; ch++) {
            for (int q = k.q0(); q < k.q1(); q++) {
                int n = q / k.th();
                int off = (n * c + ch) * g.inHeight * g.inWidth;
                int y0 = (q % k.th()) * v.r - g.padTop;
                for (int i = 0; i < v.alpha; i++) {
                    paddedRow(g, x, off, y0 + i, ws.rows[i]);
                }
                int t0 = ch * tiles + (q - k.q0()) * k.tw();
                if (v == Variant.F4) {
                    inputRowF4(ws, out, t0, k.tw(), planeStride);
                } else {
                    inputRowF2(ws, out, t0, k.tw(), planeStride);
                }
            }
        }
    }

    /**
     * Floats from one transformed plane ([rows][tiles]) to the next: rows × tiles rounded up to an
     * odd multiple of 16 floats (64 bytes). The transforms touch all α² planes at once, and at a
     * multiple of 4 KB apart (512 channels × 128 tiles is 256 KB) every plane maps to the same
     * L1 and L2 sets, more planes than the caches have ways: the 512-channel 7×7 output transform
     * ran at about 3 ns per value. The padding is never read.
     */
    static int planeStride(int rows, int tiles) {
        int s = (rows * tiles + 15) & ~15;
        return (s & 16) == 0 ? s + 16 : s;
    }

    /** P[ξ] (out × tiles) = U[ξ] (out × in) · V[ξ] (in × tiles) for ξ in [xi0, xi1), single-threaded OpenBLAS. */
    private static void gemms(Chunk k, FloatBuffer u, FloatBuffer vb, FloatBuffer pb, int xi0, int xi1) {
        int c = k.g().inChannels;
        int m = k.g().outChannels;
        int tiles = k.tiles();
        int inStride = planeStride(c, tiles);
        int outStride = planeStride(m, tiles);
        for (int xi = xi0; xi < xi1; xi++) {
            OpenBlasKernels.gemm(false, false, m, tiles, c, 1f, u, xi * m * c, c, vb, xi * inStride, tiles,
                    0f, pb, xi * outStride, tiles);
        }
    }

    /** F(2×2): y for output channels [m0, m1) of the chunk from P ({@code p}: [16][outChannels][tiles]). */
    private static void outputTransform(Chunk k, float[] p, int m0, int m1, float[] bias, float[] y) {
        final ConvGeometry g = k.g();
        final int m = g.outChannels;
        final int tiles = k.tiles();
        final int h = g.outHeight;
        final int w = g.outWidth;
        for (int mo = m0; mo < m1; mo++) {
            float b = biasOf(bias, mo);
            for (int q = k.q0(); q < k.q1(); q++) {
                int n = q / k.th();
                int oy = (q % k.th()) * k.v().r;
                int yOff = (n * m + mo) * h * w;
                int t0 = mo * tiles + (q - k.q0()) * k.tw();
                outputRowF2(p, t0, k.tw(), planeStride(m, tiles), b, y, yOff, oy, h, w);
            }
        }
    }

    /** The bias of output channel mo, or −0 (adding −0 changes no float, not even −0) without bias. */
    private static float biasOf(float[] bias, int mo) {
        return bias == null ? -0f : bias[mo];
    }

    /**
     * One input row over the columns a row of tiles reads (from −padLeft), zero outside the plane.
     * The columns outside the plane are the same for every row of a geometry and nothing writes
     * them but zeros, so only rows outside the plane need filling.
     */
    private static void paddedRow(ConvGeometry g, float[] x, int off, int iy, float[] row) {
        int span = row.length;
        int x0 = -g.padLeft;
        int lo = Math.max(0, x0);
        int hi = Math.min(g.inWidth, x0 + span);
        if (iy < 0 || iy >= g.inHeight || lo >= hi) {
            java.util.Arrays.fill(row, 0f);
            return;
        }
        System.arraycopy(x, off + iy * g.inWidth + lo, row, lo - x0, hi - lo);
    }

    /**
     * F(2×2): Bᵀ down the 4 rows over the whole width (r0 = d0 − d2, r1 = d1 + d2, r2 = d2 − d1,
     * r3 = d1 − d3), then the same combinations of columns 2j..2j+3 for tile j, written to
     * V[ξ][ch][t] (ξ = 4·row + column, planes {@code planeStride} apart, tile t at {@code t0 + j}).
     */
    private static void inputRowF2(Workspace ws, float[] out, int t0, int tw, int planeStride) {
        float[] d0 = ws.rows[0];
        float[] d1 = ws.rows[1];
        float[] d2 = ws.rows[2];
        float[] d3 = ws.rows[3];
        float[] r0 = ws.vertical[0];
        float[] r1 = ws.vertical[1];
        float[] r2 = ws.vertical[2];
        float[] r3 = ws.vertical[3];
        int span = d0.length;
        for (int k = 0; k < span; k++) {
            r0[k] = d0[k] - d2[k];
            r1[k] = d1[k] + d2[k];
            r2[k] = d2[k] - d1[k];
            r3[k] = d1[k] - d3[k];
        }
        for (int i = 0; i < 4; i++) {
            float[] r = ws.vertical[i];
            int o0 = (i * 4) * planeStride + t0;
            int o1 = o0 + planeStride;
            int o2 = o1 + planeStride;
            int o3 = o2 + planeStride;
            int done = simdTransforms() ? WinogradSimd.inputColumnsF2(r, out, o0, planeStride, tw) : 0;
            if (done < tw) {
                // Tile j + 1 starts at tile j's columns 2 and 3: they are carried, not read again.
                float a0 = r[2 * done];
                float a1 = r[2 * done + 1];
                for (int j = done; j < tw; j++) {
                    int c = 2 * j;
                    float a2 = r[c + 2];
                    float a3 = r[c + 3];
                    out[o0 + j] = a0 - a2;
                    out[o1 + j] = a1 + a2;
                    out[o2 + j] = a2 - a1;
                    out[o3 + j] = a1 - a3;
                    a0 = a2;
                    a1 = a3;
                }
            }
        }
    }

    /**
     * F(4×4): Bᵀ down the 6 rows over the whole width, then across columns 4j..4j+5 for tile j
     * (see {@link Variant#F4} for Bᵀ), written like {@link #inputRowF2}.
     */
    private static void inputRowF4(Workspace ws, float[] out, int t0, int tw, int planeStride) {
        float[] d0 = ws.rows[0];
        float[] d1 = ws.rows[1];
        float[] d2 = ws.rows[2];
        float[] d3 = ws.rows[3];
        float[] d4 = ws.rows[4];
        float[] d5 = ws.rows[5];
        float[] r0 = ws.vertical[0];
        float[] r1 = ws.vertical[1];
        float[] r2 = ws.vertical[2];
        float[] r3 = ws.vertical[3];
        float[] r4 = ws.vertical[4];
        float[] r5 = ws.vertical[5];
        int span = d0.length;
        for (int k = 0; k < span; k++) {
            float a1 = d1[k];
            float a2 = d2[k];
            float a3 = d3[k];
            float a4 = d4[k];
            float s12 = a1 + a2;
            float m12 = a1 - a2;
            float m13 = a1 - a3;
            float p4m2 = a4 - a2;
            r0[k] = 4f * d0[k] - 5f * a2 + a4;
            r1[k] = a3 + a4 - 4f * s12;
            r2[k] = 4f * m12 - a3 + a4;
            r3[k] = p4m2 - 2f * m13;
            r4[k] = p4m2 + 2f * m13;
            r5[k] = 4f * a1 - 5f * a3 + d5[k];
        }
        for (int i = 0; i < 6; i++) {
            float[] r = ws.vertical[i];
            int o0 = (i * 6) * planeStride + t0;
            int o1 = o0 + planeStride;
            int o2 = o1 + planeStride;
            int o3 = o2 + planeStride;
            int o4 = o3 + planeStride;
            int o5 = o4 + planeStride;
            for (int j = 0; j < tw; j++) {
                int c = 4 * j;
                float a0 = r[c];
                float a1 = r[c + 1];
                float a2 = r[c + 2];
                float a3 = r[c + 3];
                float a4 = r[c + 4];
                float a5 = r[c + 5];
                float s12 = a1 + a2;
                float m12 = a1 - a2;
                float m13 = a1 - a3;
                float p4m2 = a4 - a2;
                out[o0 + j] = 4f * a0 - 5f * a2 + a4;
                out[o1 + j] = a3 + a4 - 4f * s12;
                out[o2 + j] = 4f * m12 - a3 + a4;
                out[o3 + j] = p4m2 - 2f * m13;
                out[o4 + j] = p4m2 + 2f * m13;
                out[o5 + j] = 4f * a1 - 5f * a3 + a5;
            }
        }
    }

    /**
     * F(2×2): Aᵀ P A for the tiles of one row of one output channel (P[ξ] at {@code t0 + j},
     * planes {@code planeStride} apart), written at output rows oy, oy + 1, clipped at the border.
     */
    private static void outputRowF2(float[] p, int t0, int tw, int planeStride, float b, float[] y, int yOff, int oy,
                                    int h, int w) {
        boolean second = oy + 1 < h;
        int row0 = yOff + oy * w;
        int s1 = planeStride;
        int done = simdTransforms() ? WinogradSimd.outputRowF2(p, t0, tw, s1, b, y, row0, second, w) : 0;
        for (int j = done; j < tw; j++) {
            int c = t0 + j;
            // Down each column e: top = p0 + p1 + p2, bottom = p1 − p2 − p3 (p_i = P[4i + e]).
            float p1 = p[c + 4 * s1];
            float p2 = p[c + 8 * s1];
            float t0v = p[c] + p1 + p2;
            float b0v = p1 - p2 - p[c + 12 * s1];
            p1 = p[c + 5 * s1];
            p2 = p[c + 9 * s1];
            float t1v = p[c + s1] + p1 + p2;
            float b1v = p1 - p2 - p[c + 13 * s1];
            p1 = p[c + 6 * s1];
            p2 = p[c + 10 * s1];
            float t2v = p[c + 2 * s1] + p1 + p2;
            float b2v = p1 - p2 - p[c + 14 * s1];
            p1 = p[c + 7 * s1];
            p2 = p[c + 11 * s1];
            float t3v = p[c + 3 * s1] + p1 + p2;
            float b3v = p1 - p2 - p[c + 15 * s1];
            int x0 = 2 * j;
            boolean right = x0 + 1 < w;
            y[row0 + x0] = t0v + t1v + t2v + b;
            if (right) {
                y[row0 + x0 + 1] = t1v - t2v - t3v + b;
            }
            if (second) {
                y[row0 + w + x0] = b0v + b1v + b2v + b;
                if (right) {
                    y[row0 + w + x0 + 1] = b1v - b2v - b3v + b;
                }
            }
        }
    }
}
