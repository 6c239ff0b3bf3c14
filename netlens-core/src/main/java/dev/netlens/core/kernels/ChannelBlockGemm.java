package dev.netlens.core.kernels;

/**
 * Convolutions of a single image as im2col + a matrix product on the Vector API, with the
 * filters packed once per weight array ({@link ChannelBlockKernel}: vectors along the output
 * rows, broadcast column values). OpenBLAS packs its A operand again on every call, and at batch
 * 1 the layers this takes have large filter matrices and short rows: ResNet-18's 7×7 layers
 * multiply 512 × 4608 filters (9.4 MB) by 49 columns, so repacking them costs about as much as
 * the arithmetic. Here the packed filters are cached ({@link ChannelBlockKernel#packed}); a
 * product reads them once, in chunks of {@link #CHUNK} reduction rows that stay in L1 while all the
 * columns of a position group pass by.
 *
 * <ul>
 *   <li>Forward: y[m][p] = Σ_r W[m][r] col[r][p] (+ bias[m]), with the column matrix of the image
 *       (the image itself for 1×1 stride-1 convolutions).</li>
 *   <li>Data gradient: colGrad[r][p] = Σ_m W[m][r] dy[m][p], read straight from dy, then
 *       col2im (nothing to scatter for 1×1 stride-1).</li>
 * </ul>
 *
 * <p>Each output element is one sum over the reduction index in order, one fused multiply-add per
 * term, whichever thread, position group or chunk computes it: results do not depend on the thread
 * count. Work is spread over channel blocks, and over groups of columns when there are fewer than
 * two blocks per thread ({@link #positionGroups}). {@link DirectConvChoice#forColumns}
 * decides when it runs.
 *
 * <p>Measured at batch 1, 2 threads, 16-float vectors, against im2col + OpenBLAS (ms, medians of
 * 40 calls, alternating runs):
 * <ul>
 *   <li>alone, filters hot: ResNet-18's 512-channel 7×7 layer forward 1.26–1.42 vs 1.41–1.48, data
 *       gradient 1.20–1.36 vs 1.32–1.42; its stride-2 256 → 512 layer 0.68–0.76 vs 0.76–0.85 and
 *       0.74–0.88 vs 0.85–0.89;</li>
 *   <li>alone, caches flushed before each data gradient: 1.58–1.88 vs 2.06–2.17 and 0.93–1.13 vs
 *       1.26–1.31;</li>
 *   <li>in the network (per-node timer, saliency): the 7×7 layers' data gradients 1.82–1.99 →
 *       1.59–1.74, their forward passes 1.60–1.71 → 1.57–1.59, the 1×1 downsampling 0.20 → 0.15;
 *       about 1 ms per saliency pass in all, which whole-pass timings on this machine cannot
 *       resolve from noise;</li>
 *   <li>slower, so not taken: 196 positions (layer3's stride-2 data gradient, 0.66–0.71 →
 *       0.78–0.82) and 784 (layer2's stride-2 forward, 0.83 → 1.04), where OpenBLAS's packing is
 *       spread over enough columns.</li>
 * </ul>
 *
 * <p>Reference: K. Chellapilla, S. Puri, P. Simard, "High Performance Convolutional Neural
 * Networks for Document Processing" (2006), for im2col; the packing and register blocking follow
 * Goto &amp; van de Geijn, "Anatomy of High-Performance Matrix Multiplication" (ACM TOMS 2008).
 */
final class ChannelBlockGemm {
    private static final int CB = ChannelBlockKernel.CHANNEL_BLOCK;
    private static final int RUN = ChannelBlockKernel.RUN;

    /**
     * Reduction rows per chunk: one chunk of a block's packed filters (CHUNK × {@link #CB} floats,
     * 32 KB at 16-float vectors) stays in L1 while a position group's runs read it.
     */
    static final int CHUNK = 128;

    /** Fewest columns per position group: a group then has at least two whole runs. */
    private static final int MIN_GROUP = 2 * RUN;

    /** Per-thread scratch: 0 a row block. */
    private static final ThreadScratch SCRATCH = new ThreadScratch(1);

    /** Per caller: 0 the column matrix, 1 the column gradient. Shared by the workers of one call. */
    private static final ThreadScratch SHARED = new ThreadScratch(2);

    private ChannelBlockGemm() {
    }

    /** y ← conv(x, w) + bias (bias may be null), for a geometry {@link DirectConvChoice#forColumns} accepts. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        final int k = g.colRows();
        final int p = g.outArea();
        final int m = g.outChannels;
        float[] a = ChannelBlockKernel.packed(w, m, k, false);
        float[] col = g.isPointwise() ? null : SHARED.get(0, k * p);
        for (int n = 0; n < g.batch; n++) {
            int xOff = n * g.inChannels * g.inArea();
            float[] src;
            int srcOff;
            if (col == null) {
                src = x;
                srcOff = xOff;
            } else {
                Parallel.range(k, 8, (from, to) -> Im2Col.im2col(g, x, xOff, from, to, col, from * p));
                src = col;
                srcOff = 0;
            }
            multiply(a, m, k, src, srcOff, p, bias, y, n * m * p);
        }
    }

    /** dx ← the data gradient of conv for dy, for a geometry {@link DirectConvChoice#forColumns} accepts. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        final int k = g.colRows();
        final int p = g.outArea();
        final int m = g.outChannels;
        final int c = g.inChannels;
        float[] a = ChannelBlockKernel.packed(w, m, k, true);
        float[] colGrad = g.isPointwise() ? null : SHARED.get(1, k * p);
        for (int n = 0; n < g.batch; n++) {
            int xOff = n * c * g.inArea();
            int yOff = n * m * p;
            if (colGrad == null) {
                multiply(a, k, m, dy, yOff, p, null, dx, xOff);
                continue;
            }
            multiply(a, k, m, dy, yOff, p, null, colGrad, 0);
            int rowsPerChannel = g.kernelHeight * g.kernelWidth;
            Parallel.range(c, 1, (from, to) -> {
                java.util.Arrays.fill(dx, xOff + from * g.inArea(), xOff + to * g.inArea(), 0f);
                Im2Col.col2im(g, colGrad, from * rowsPerChannel * p, from * rowsPerChannel, to * rowsPerChannel,
                        dx, xOff);
            });
        }
    }

    /**
     * out[outOff + i·cols + q] = Σ_j A[i][j] · src[srcOff + j·cols + q] (+ bias[i]) for the
     * {@code rows} × {@code cols} result, A packed by {@link ChannelBlockKernel} with {@code depth}
     * reduction rows.
     */
    static void multiply(float[] a, int rows, int depth, float[] src, int srcOff, int cols, float[] bias,
                         float[] out, int outOff) {
        if (cols < RUN) {
            throw new IllegalArgumentException("the channel-block product needs at least " + RUN + " columns, got " + cols);
        }
        final int blocks = (rows + CB - 1) / CB;
        final int groups = positionGroups(blocks, cols);
        final int[] xoff = new int[Math.min(CHUNK, depth)];
        for (int j = 0; j < xoff.length; j++) {
            xoff[j] = j * cols;
        }
        Parallel.range(blocks * groups, 1, (from, to) -> {
            for (int item = from; item < to; item++) {
                int b = item / groups;
                int q = item % groups;
                int p0 = Parallel.bound(cols, groups, q);
                int p1 = Parallel.bound(cols, groups, q + 1);
                block(a, b, depth, src, srcOff, cols, xoff, p0, p1, bias, rows, out, outOff);
            }
        });
    }

    /**
     * Column groups per block: one when there are at least two blocks per thread, else enough
     * groups of at least {@link #MIN_GROUP} columns for two work items per thread (a 64-channel
     * layer has one block). Which group computes a column does not change its value.
     */
    static int positionGroups(int blocks, int cols) {
        int threads = Parallel.threads();
        if (blocks >= 2 * threads) {
            return 1;
        }
        return Math.max(1, Math.min(cols / MIN_GROUP, (2 * threads + blocks - 1) / blocks));
    }

    /**
     * Rows of block b, columns [p0, p1) (at least {@link #RUN} of them): whole runs of RUN columns;
     * then the last one or two columns one at a time, or three to five as a run ending at p1 kept
     * in its own slots, so that no column is summed into twice.
     */
    private static void block(float[] a, int b, int depth, float[] src, int srcOff, int cols, int[] xoff, int p0,
                              int p1, float[] bias, int rows, float[] out, int outOff) {
        int width = p1 - p0;
        int whole = width / RUN * RUN;
        int rest = width - whole;
        float[] row = SCRATCH.get(0, (width + RUN) * CB);
        int tail = width * CB;
        for (int j0 = 0; j0 < depth; j0 += CHUNK) {
            int taps = Math.min(CHUNK, depth - j0);
            int wb = (b * depth + j0) * CB;
            int s = srcOff + j0 * cols + p0;
            boolean accumulate = j0 > 0;
            for (int u = 0; u < whole; u += RUN) {
                ChannelBlockKernel.kernel(src, a, wb, xoff, taps, s + u, 1, row, u * CB, accumulate);
            }
            if (rest > 0 && rest <= SINGLES) {
                for (int u = whole; u < width; u++) {
                    ChannelBlockKernel.single(src, a, wb, xoff, taps, s + u, row, u * CB, accumulate);
                }
            } else if (rest > 0) {
                ChannelBlockKernel.kernel(src, a, wb, xoff, taps, s + width - RUN, 1, row, tail, accumulate);
            }
        }
        if (rest > SINGLES) {
            // the tail run covers columns width − RUN … width − 1; take the ones past the whole runs
            System.arraycopy(row, tail + (RUN - rest) * CB, row, whole * CB, rest * CB);
        }
        int m0 = b * CB;
        ChannelBlockKernel.store(row, width, m0, Math.min(CB, rows - m0), bias, out, outOff + m0 * cols + p0, cols);
    }

    /**
     * Last columns computed one at a time rather than by a run that overlaps the whole runs: a
     * one-column pass loads the same filters for a sixth of the multiply-adds, so it pays for at
     * most two columns.
     */
    private static final int SINGLES = 2;
}
