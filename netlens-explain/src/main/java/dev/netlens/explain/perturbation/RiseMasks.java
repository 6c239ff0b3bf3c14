package dev.netlens.explain.perturbation;

import java.util.SplittableRandom;

/**
 * RISE masks, drawn one after another from one random stream (so mask i is the same whatever the
 * batch size): an s × s grid of Bernoulli(p) cells, upsampled bilinearly to (s+1)·⌈H/s⌉ ×
 * (s+1)·⌈W/s⌉ (half-pixel coordinates, edges clamped, as PyTorch's bilinear with
 * {@code align_corners=False}), shifted by a uniform random offset in [0, ⌈H/s⌉) × [0, ⌈W/s⌉) and
 * cropped to H × W.
 */
final class RiseMasks {
    private final SplittableRandom random;
    private final int cells;
    private final double p;
    private final int height;
    private final int width;
    private final int cellH;
    private final int cellW;
    private final Axis rows;
    private final Axis cols;

    /** Interpolation taps of each upsampled coordinate along one axis. */
    private record Axis(int[] lo, int[] hi, float[] frac) {
        static Axis of(int cells, int size) {
            int[] lo = new int[size];
            int[] hi = new int[size];
            float[] frac = new float[size];
            double scale = (double) cells / size;
            for (int u = 0; u < size; u++) {
                double src = Math.max(0, (u + 0.5) * scale - 0.5);
                int l = Math.min((int) Math.floor(src), cells - 1);
                lo[u] = l;
                hi[u] = Math.min(l + 1, cells - 1);
                frac[u] = (float) (src - l);
            }
            return new Axis(lo, hi, frac);
        }
    }

    RiseMasks(long seed, int cells, double p, int height, int width) {
        this.random = new SplittableRandom(seed);
        this.cells = cells;
        this.p = p;
        this.height = height;
        this.width = width;
        this.cellH = (height + cells - 1) / cells;
        this.cellW = (width + cells - 1) / cells;
        this.rows = Axis.of(cells, (cells + 1) * cellH);
        this.cols = Axis.of(cells, (cells + 1) * cellW);
    }

    /** Writes the next mask (H·W values in [0, 1]) into dst at offset. */
    void next(float[] dst, int offset) {
        float[] grid = new float[cells * cells];
        for (int g = 0; g < grid.length; g++) {
            grid[g] = random.nextDouble() < p ? 1f : 0f;
        }
        int dy = random.nextInt(cellH);
        int dx = random.nextInt(cellW);
        for (int y = 0; y < height; y++) {
            int u = y + dy;
            int r0 = rows.lo()[u] * cells;
            int r1 = rows.hi()[u] * cells;
            float fy = rows.frac()[u];
            for (int x = 0; x < width; x++) {
                int v = x + dx;
                int c0 = cols.lo()[v];
                int c1 = cols.hi()[v];
                float fx = cols.frac()[v];
                float top = grid[r0 + c0] + fx * (grid[r0 + c1] - grid[r0 + c0]);
                float bottom = grid[r1 + c0] + fx * (grid[r1 + c1] - grid[r1 + c0]);
                dst[offset + y * width + x] = top + fy * (bottom - top);
            }
        }
    }
}
