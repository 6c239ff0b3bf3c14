package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;

/**
 * Localisation against ground-truth object masks. The <b>pointing game</b> of Zhang, Bargal, Lin,
 * Brandt, Shen and Sclaroff, "Top-down Neural Attention by Excitation Backprop", ECCV 2016: a hit
 * when the map's maximum lies inside the object (within {@code tolerance} pixels of it; Zhang et
 * al. use 15 px at 224², the default here is 0). When several pixels share the maximum (a flat
 * map), it is a hit only when most of them lie in the object. The <b>energy-based pointing game</b>
 * of Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural
 * Networks", CVPR-W 2020: the share of the map's positive part inside the object,
 * Σ_{in} max(L, 0) / Σ max(L, 0) (0 for a map without positive values), computed on the object's
 * segmentation instead of its bounding box. Maps are summed over channels and resized bilinearly
 * to the mask ({@link PixelMaps}).
 *
 * <pre>{@code
 * PointingGame game = PointingGame.withTolerance(0);
 * PointingGame.Tally t = new PointingGame.Tally();
 * for (…) { t.add(game.hit(map, mask), PointingGame.energy(map, mask)); }
 * t.hitRate(); t.meanEnergy();
 * }</pre>
 */
public final class PointingGame {
    private final int tolerance;

    private PointingGame(int tolerance) {
        this.tolerance = tolerance;
    }

    /** Hits count within {@code pixels} (Euclidean) of the object. */
    public static PointingGame withTolerance(int pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("tolerance must be ≥ 0 pixels, got " + pixels);
        }
        return new PointingGame(pixels);
    }

    /** Exact hits (tolerance 0). */
    public static PointingGame exact() {
        return new PointingGame(0);
    }

    /** Whether the maximum of item 0 of {@code map} falls in the (tolerance-grown) mask. */
    public boolean hit(Tensor map, ObjectMask mask) {
        return hit(PixelMaps.pixels(map, 0, mask.height(), mask.width()), mask);
    }

    /** Whether the maximum of a row-major map of the mask's size falls in the (tolerance-grown) mask. */
    public boolean hit(float[] map, ObjectMask mask) {
        check(map, mask);
        boolean[] grown = grow(mask);
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            if (v > max) {
                max = v;
            }
        }
        int tied = 0;
        int in = 0;
        for (int i = 0; i < map.length; i++) {
            if (map[i] == max) {
                tied++;
                if (grown[i]) {
                    in++;
                }
            }
        }
        return tied > 0 && 2 * in > tied;
    }

    /**
     * Region pointing game for segment-based explanations (LIME, Kernel SHAP, Shapley sampling):
     * does the top-ranked region — the segment with the largest mean attribution (channels summed;
     * ties to the lowest label) — overlap the mask? {@code segments} holds one integer label per
     * pixel of the mask's size (item 0 of a [N, 1, H, W] tensor, e.g. the "segments" extra).
     */
    public static boolean regionHit(Tensor map, Tensor segments, ObjectMask mask) {
        float[] m = PixelMaps.pixels(map, 0, mask.height(), mask.width());
        int[] labels = labels(segments, mask);
        int count = 0;
        for (int l : labels) {
            count = Math.max(count, l + 1);
        }
        double[] sum = new double[count];
        int[] size = new int[count];
        for (int p = 0; p < labels.length; p++) {
            sum[labels[p]] += m[p];
            size[labels[p]]++;
        }
        int top = -1;
        for (int l = 0; l < count; l++) {
            if (size[l] > 0 && (top < 0 || sum[l] / size[l] > sum[top] / size[top])) {
                top = l;
            }
        }
        for (int p = 0; p < labels.length; p++) {
            if (labels[p] == top && mask.inside()[p]) {
                return true;
            }
        }
        return false;
    }

    /** What a randomly chosen segment scores on {@link #regionHit}: the share of segments that overlap the mask. */
    public static double regionChance(Tensor segments, ObjectMask mask) {
        int[] labels = labels(segments, mask);
        java.util.Set<Integer> all = new java.util.HashSet<>();
        java.util.Set<Integer> touching = new java.util.HashSet<>();
        for (int p = 0; p < labels.length; p++) {
            all.add(labels[p]);
            if (mask.inside()[p]) {
                touching.add(labels[p]);
            }
        }
        return touching.size() / (double) all.size();
    }

    private static int[] labels(Tensor segments, ObjectMask mask) {
        int hw = mask.height() * mask.width();
        if (segments.size() < hw || segments.dim(segments.rank() - 1) != mask.width()
                || segments.dim(segments.rank() - 2) != mask.height()) {
            throw new IllegalArgumentException("the segment map has shape " + java.util.Arrays.toString(segments.shape())
                    + "; it needs the mask's size " + mask.height() + "×" + mask.width());
        }
        int[] labels = new int[hw];
        for (int p = 0; p < hw; p++) {
            float v = segments.data()[p];
            if (v < 0 || v != Math.rint(v)) {
                throw new IllegalArgumentException("segment labels must be integers >= 0, got " + v);
            }
            labels[p] = (int) v;
        }
        return labels;
    }

    /** The share of the positive part of item 0 of {@code map} inside the mask. */
    public static double energy(Tensor map, ObjectMask mask) {
        return energy(PixelMaps.pixels(map, 0, mask.height(), mask.width()), mask);
    }

    /** The share of the positive part of a row-major map of the mask's size inside the mask. */
    public static double energy(float[] map, ObjectMask mask) {
        check(map, mask);
        double in = 0;
        double all = 0;
        boolean[] m = mask.inside();
        for (int i = 0; i < map.length; i++) {
            if (map[i] > 0) {
                all += map[i];
                if (m[i]) {
                    in += map[i];
                }
            }
        }
        return all == 0 ? 0 : in / all;
    }

    private static void check(float[] map, ObjectMask mask) {
        if (map.length != mask.inside().length) {
            throw new IllegalArgumentException("the map has " + map.length + " pixels but the mask "
                    + mask.height() + "×" + mask.width());
        }
    }

    private boolean[] grow(ObjectMask mask) {
        boolean[] in = mask.inside();
        if (tolerance == 0) {
            return in;
        }
        int h = mask.height();
        int w = mask.width();
        boolean[] out = new boolean[in.length];
        int t2 = tolerance * tolerance;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!in[y * w + x]) {
                    continue;
                }
                for (int dy = -tolerance; dy <= tolerance; dy++) {
                    for (int dx = -tolerance; dx <= tolerance; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (dy * dy + dx * dx <= t2 && yy >= 0 && yy < h && xx >= 0 && xx < w) {
                            out[yy * w + xx] = true;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Running totals of hits and energies over many images. */
    public static final class Tally {
        private int count;
        private int hits;
        private double energy;
        private double chance;

        /** Adds one image's result. */
        public synchronized void add(boolean hit, double energyShare) {
            add(hit, energyShare, Double.NaN);
        }

        /** Adds one image's result and its mask's area fraction (the energy of a uniform map). */
        public synchronized void add(boolean hit, double energyShare, double maskFraction) {
            count++;
            hits += hit ? 1 : 0;
            energy += energyShare;
            chance += Double.isNaN(maskFraction) ? 0 : maskFraction;
        }

        public synchronized int count() {
            return count;
        }

        public synchronized int hits() {
            return hits;
        }

        /** Hits / images (NaN before any image). */
        public synchronized double hitRate() {
            return count == 0 ? Double.NaN : hits / (double) count;
        }

        /** Mean energy share (NaN before any image). */
        public synchronized double meanEnergy() {
            return count == 0 ? Double.NaN : energy / count;
        }

        /** Mean mask area fraction: what a uniform map would score on energy. */
        public synchronized double meanMaskFraction() {
            return count == 0 ? Double.NaN : chance / count;
        }
    }
}
