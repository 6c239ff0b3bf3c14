package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.render.Heatmap;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Attribution maps as one value per input pixel, the form every metric of this package ranks,
 * sums or compares. A map of the input's shape [N, C, H, W] is summed over its channels; a map at
 * another resolution (a CAM map [N, 1, h, w], a layer attribution [N, K, h, w]) is summed over its
 * channels and resized bilinearly to H × W ({@link Heatmap#resize}, PyTorch's
 * {@code align_corners=False}).
 *
 * <pre>{@code
 * float[] p = PixelMaps.pixels(explanation.map(), 0, 48, 48);   // 2304 values, row-major
 * int[] order = PixelMaps.rankDescending(p, 0);                 // most relevant pixel first
 * }</pre>
 */
public final class PixelMaps {
    private PixelMaps() {
    }

    /** Item {@code item} of {@code map}, summed over channels, at {@code height × width} (row-major). */
    public static float[] pixels(Tensor map, int item, int height, int width) {
        Tensor m = Heatmap.reduce(map, item);
        return Heatmap.resize(m, height, width).data().clone();
    }

    /** Like {@link #pixels} but of |map|: Σ_c |a_c| (the "absolute attribution" of sanity checks). */
    public static float[] absPixels(Tensor map, int item, int height, int width) {
        float[] d = map.data();
        float[] a = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            a[i] = Math.abs(d[i]);
        }
        return pixels(Tensor.of(a, map.shape()), item, height, width);
    }

    /**
     * Pixel indices ordered by decreasing value. Ties (frequent in CAM maps after their ReLU) are put
     * in a random order drawn from {@code seed}, so a flat region is not removed top-left first.
     * NaN counts as the smallest value.
     */
    public static int[] rankDescending(float[] values, long seed) {
        int n = values.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Integer t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(key(values[b]), key(values[a])));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    private static float key(float v) {
        return Float.isNaN(v) ? Float.NEGATIVE_INFINITY : v;
    }

    /** A single image [1, C, H, W] from [C, H, W] or [1, C, H, W]. */
    static Tensor single(Tensor x) {
        if (x.rank() == 3) {
            return x.reshape(1, x.dim(0), x.dim(1), x.dim(2));
        }
        if (x.rank() == 4 && x.dim(0) == 1) {
            return x;
        }
        throw new IllegalArgumentException("expected one image [C, H, W] or [1, C, H, W], got shape "
                + Arrays.toString(x.shape()));
    }
}
