package dev.netlens.data.datasets;

import dev.netlens.data.images.ImagePreprocessing.Channels;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * An image as floats in channel-major (CHW) order — what transforms consume and produce. Pixel
 * values read from files are in [0, 1]; after normalisation they may be any float.
 *
 * <p>Immutable by convention: transforms return new images and never write into their input. The
 * {@link #data()} array is shared, not copied, so callers must not modify it either.
 */
public final class FloatImage {
    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    private FloatImage(int channels, int height, int width, float[] data) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    /**
     * Wraps CHW data (no copy).
     *
     * @throws IllegalArgumentException when a dimension is not positive or the data length is not
     *     {@code channels × height × width}
     */
    public static FloatImage of(float[] data, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image dimensions must be positive, got " + channels + "x" + height
                    + "x" + width + " (CxHxW)");
        }
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException("a " + channels + "x" + height + "x" + width + " image needs "
                    + (long) channels * height * width + " values, got " + data.length);
        }
        return new FloatImage(channels, height, width, data);
    }

    /**
     * Converts a decoded image to floats in [0, 1] in the given channel order. Transparent pixels
     * are composited over white (as {@link dev.netlens.data.images.ImagePreprocessing} does);
     * {@link Channels#L} is the luma {@code 0.299 R + 0.587 G + 0.114 B}. Grayscale images are read
     * from their raw samples, so a gray PNG value {@code v} becomes exactly {@code v / 255}
     * (Java's {@code getRGB} would apply a colour-space conversion to them).
     */
    public static FloatImage fromBufferedImage(BufferedImage image, Channels channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        int c = channels.count();
        float[] out = new float[c * h * w];
        int area = h * w;
        Raster raster = image.getRaster();
        boolean gray = raster.getNumBands() == 1 && !(image.getColorModel() instanceof IndexColorModel);
        if (gray) {
            float max = (float) ((1L << image.getColorModel().getComponentSize(0)) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) / max;
                    int p = y * w + x;
                    for (int k = 0; k < c; k++) {
                        out[k * area + p] = v;
                    }
                }
            }
            return new FloatImage(c, h, w, out);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                float a = ((argb >>> 24) & 0xff) / 255f;
                float r = over(((argb >> 16) & 0xff) / 255f, a);
                float g = over(((argb >> 8) & 0xff) / 255f, a);
                float b = over((argb & 0xff) / 255f, a);
                int p = y * w + x;
                switch (channels) {
                    case RGB -> {
                        out[p] = r;
                        out[area + p] = g;
                        out[2 * area + p] = b;
                    }
                    case BGR -> {
                        out[p] = b;
                        out[area + p] = g;
                        out[2 * area + p] = r;
                    }
                    default -> out[p] = 0.299f * r + 0.587f * g + 0.114f * b;
                }
            }
        }
        return new FloatImage(c, h, w, out);
    }

    private static float over(float value, float alpha) {
        return alpha >= 1f ? value : alpha * value + (1f - alpha);
    }

    /** Number of channels. */
    public int channels() {
        return channels;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** The CHW values (shared, not copied; do not modify). */
    public float[] data() {
        return data;
    }

    /** The shape {@code [C, H, W]}. */
    public int[] shape() {
        return new int[] {channels, height, width};
    }

    /** The value at channel {@code c}, row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /**
     * The {@code h × w} window whose top-left corner is at ({@code top}, {@code left}); the corner
     * may lie outside the image (negative or beyond its size) and pixels outside read as zero — this
     * is zero padding and cropping in one operation.
     */
    public FloatImage window(int top, int left, int h, int w) {
        float[] out = new float[channels * h * w];
        int x0 = Math.max(0, -left);
        int x1 = Math.min(w, width - left);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= height || x1 <= x0) {
                    continue;
                }
                System.arraycopy(data, (c * height + sy) * width + left + x0, out, (c * h + y) * w + x0, x1 - x0);
            }
        }
        return new FloatImage(channels, h, w, out);
    }

    @Override
    public String toString() {
        return "FloatImage" + Arrays.toString(shape());
    }
}
