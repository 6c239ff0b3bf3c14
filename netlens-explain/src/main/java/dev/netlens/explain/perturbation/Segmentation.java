package dev.netlens.explain.perturbation;

import boofcv.abst.segmentation.ImageSuperpixels;
import boofcv.factory.segmentation.ConfigSlic;
import boofcv.factory.segmentation.FactoryImageSegmentation;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayS32;
import boofcv.struct.image.ImageType;
import boofcv.struct.image.Planar;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * A partition of an image's pixels into segments 0 … count−1 (one label per pixel, row-major H·W),
 * the "interpretable features" of LIME, Kernel SHAP and Shapley sampling on images. A segment spans
 * all channels of its pixels.
 *
 * <p>{@link #slic} computes SLIC superpixels (Achanta et al., "SLIC Superpixels Compared to
 * State-of-the-Art Superpixel Methods", TPAMI 2012) with BoofCV's implementation: the item's
 * channels are rescaled together to 0…255 (the model input is usually normalised), and BoofCV's
 * default spatial weight (200) and 10 iterations are used with 8-connectivity. {@link #fromMask}
 * takes user-given group ids instead.
 *
 * @param labels segment of each pixel, 0 … count−1, length height·width
 * @param count number of segments
 * @param height image height
 * @param width image width
 */
public record Segmentation(int[] labels, int count, int height, int width) {
    /** Default number of superpixels asked of SLIC (SPECS §D: about 50). */
    public static final int DEFAULT_SEGMENTS = 50;
    /** BoofCV's default spatial weight. */
    public static final float DEFAULT_SPATIAL_WEIGHT = 200f;

    public Segmentation {
        if (labels.length != height * width) {
            throw new IllegalArgumentException("a segmentation of " + height + "×" + width + " needs " + height * width
                    + " labels, got " + labels.length);
        }
    }

    /** SLIC superpixels of item {@code item} of an image batch [N, C, H, W], asking for about {@code segments}. */
    public static Segmentation slic(Tensor x, int item, int segments) {
        return slic(x, item, segments, DEFAULT_SPATIAL_WEIGHT);
    }

    /**
     * SLIC superpixels with a chosen spatial weight m (BoofCV's {@code spacialWeight}; the colour
     * distance is in 0…255 units, so at one grid interval the spatial term equals a colour
     * difference of m — larger m gives more compact, less colour-following segments).
     */
    public static Segmentation slic(Tensor x, int item, int segments, float spatialWeight) {
        Inputs.requireImageBatch("slic", x);
        if (segments < 1) {
            throw new IllegalArgumentException("the number of superpixels must be >= 1, got " + segments);
        }
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int per = c * h * w;
        float[] d = x.data();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int e = item * per; e < (item + 1) * per; e++) {
            min = Math.min(min, d[e]);
            max = Math.max(max, d[e]);
        }
        float scale = max > min ? 255f / (max - min) : 0f;
        Planar<GrayF32> image = new Planar<>(GrayF32.class, w, h, c);
        for (int ch = 0; ch < c; ch++) {
            GrayF32 band = image.getBand(ch);
            int from = item * per + ch * h * w;
            for (int p = 0; p < h * w; p++) {
                band.data[band.startIndex + (p / w) * band.stride + p % w] = (d[from + p] - min) * scale;
            }
        }
        ConfigSlic config = new ConfigSlic(Math.min(segments, h * w), spatialWeight);
        ImageSuperpixels<Planar<GrayF32>> slic = FactoryImageSegmentation.slic(config,
                ImageType.pl(c, GrayF32.class));
        GrayS32 out = new GrayS32(w, h);
        slic.segment(image, out);
        int[] labels = new int[h * w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(out.data, out.startIndex + y * out.stride, labels, y * w, w);
        }
        return compact(labels, h, w);
    }

    /**
     * Segments from a group-id mask [M, 1, H, W] (M = 1 for every item, or N): ids may be any
     * integers; segments are numbered in increasing id order.
     */
    public static Segmentation fromMask(Tensor mask, int item, int height, int width) {
        int[] s = mask.shape();
        if (s.length != 4 || s[1] != 1 || s[2] != height || s[3] != width || s[0] < 1) {
            throw new IllegalArgumentException("a feature mask for images of " + height + "×" + width + " must have shape [1 or N, 1, "
                    + height + ", " + width + "], got " + Shapes.toString(s));
        }
        int m = s[0] == 1 ? 0 : item;
        if (m >= s[0]) {
            throw new IllegalArgumentException("the feature mask has " + s[0] + " items but item " + item + " was asked for");
        }
        float[] d = mask.data();
        int[] ids = new int[height * width];
        for (int p = 0; p < ids.length; p++) {
            float v = d[m * ids.length + p];
            if (v != Math.rint(v) || Math.abs(v) > 1 << 24) {
                throw new IllegalArgumentException("feature mask ids must be integers, got " + v + " at pixel ("
                        + p / width + ", " + p % width + ")");
            }
            ids[p] = (int) v;
        }
        return compact(ids, height, width);
    }

    /** Renumbers ids to 0 … count−1 in increasing id order. */
    static Segmentation compact(int[] ids, int h, int w) {
        TreeMap<Integer, Integer> index = new TreeMap<>();
        for (int id : ids) {
            index.putIfAbsent(id, 0);
        }
        int k = 0;
        for (var e : index.entrySet()) {
            e.setValue(k++);
        }
        int[] labels = new int[ids.length];
        for (int p = 0; p < ids.length; p++) {
            labels[p] = index.get(ids[p]);
        }
        return new Segmentation(labels, index.size(), h, w);
    }

    /** Pixels per segment. */
    public int[] sizes() {
        int[] n = new int[count];
        for (int l : labels) {
            n[l]++;
        }
        return n;
    }

    /** One value per segment painted on its pixels, repeated over {@code channels}: [channels·H·W]. */
    public float[] paint(double[] perSegment, int channels) {
        float[] out = new float[channels * labels.length];
        for (int p = 0; p < labels.length; p++) {
            out[p] = (float) perSegment[labels[p]];
        }
        for (int ch = 1; ch < channels; ch++) {
            System.arraycopy(out, 0, out, ch * labels.length, labels.length);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segmentation s && s.count == count && s.height == height && s.width == width
                && Arrays.equals(s.labels, labels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(labels) * 31 + count;
    }

    @Override
    public String toString() {
        return "Segmentation[" + count + " segments, " + height + "×" + width + "]";
    }
}
