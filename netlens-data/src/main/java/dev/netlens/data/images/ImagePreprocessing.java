package dev.netlens.data.images;

import dev.netlens.core.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns image files into model inputs: resize (short side to the target, bilinear, halving first
 * when shrinking by more than 2× so that no detail aliases) → centre crop to height × width → float
 * in [0, 1] → per-channel normalisation {@code (v − mean) / std}, as NCHW with channels in RGB, BGR
 * or grayscale order.
 *
 * <p>Defaults come from a model's metadata ({@code netlens.input_size}, {@code netlens.mean},
 * {@code netlens.std}, {@code netlens.channels}; see {@link #fromMetadata}); absent keys mean no
 * normalisation, RGB, and the size the caller supplies.
 */
public final class ImagePreprocessing {
    /** Channel order of the model input. */
    public enum Channels {
        RGB, BGR, L;

        public int count() {
            return this == L ? 1 : 3;
        }

        public static Channels parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("channels must be RGB, BGR or L, got '" + s + "'");
            }
        }
    }

    private final int height;
    private final int width;
    private final float[] mean;
    private final float[] std;
    private final Channels channels;

    /**
     * @param mean per-channel mean for pixels scaled to [0, 1] (one value or one per channel; null = 0)
     * @param std per-channel standard deviation (null = 1)
     */
    public ImagePreprocessing(int height, int width, float[] mean, float[] std, Channels channels) {
        if (height < 1 || width < 1 || height > 8192 || width > 8192) {
            throw new IllegalArgumentException("input size must be between 1 and 8192 per side, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.mean = perChannel(mean, 0f, "mean");
        this.std = perChannel(std, 1f, "std");
        for (float s : this.std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be positive, got " + Arrays.toString(std));
            }
        }
    }

    private float[] perChannel(float[] v, float dflt, String what) {
        int c = channels.count();
        if (v == null) {
            float[] out = new float[c];
            Arrays.fill(out, dflt);
            return out;
        }
        if (v.length == 1) {
            float[] out = new float[c];
            Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != c) {
            throw new IllegalArgumentException(what + " needs 1 or " + c + " values for " + channels + " input, got "
                    + v.length);
        }
        return v.clone();
    }

    /**
     * Preprocessing from a model's metadata, with explicit values (null = absent) taking precedence.
     *
     * @param fallbackSize used when neither {@code size} nor {@code netlens.input_size} is given
     */
    public static ImagePreprocessing fromMetadata(Map<String, String> metadata, int[] size, float[] mean,
                                                  float[] std, String channels, int[] fallbackSize) {
        int[] s = size != null ? size : metadata.containsKey("netlens.input_size")
                ? parseInts(metadata.get("netlens.input_size"), "netlens.input_size") : fallbackSize;
        if (s == null) {
            throw new IllegalArgumentException("the input size is unknown: the model has no netlens.input_size"
                    + " metadata and its input shape is dynamic; pass --size H,W");
        }
        if (s.length == 1) {
            s = new int[] {s[0], s[0]};
        }
        if (s.length != 2) {
            throw new IllegalArgumentException("input size must be H,W or one side, got " + Arrays.toString(s));
        }
        float[] m = mean != null ? mean : metadata.containsKey("netlens.mean")
                ? parseFloats(metadata.get("netlens.mean"), "netlens.mean") : null;
        float[] sd = std != null ? std : metadata.containsKey("netlens.std")
                ? parseFloats(metadata.get("netlens.std"), "netlens.std") : null;
        Channels ch = Channels.parse(channels != null ? channels : metadata.getOrDefault("netlens.channels", "RGB"));
        return new ImagePreprocessing(s[0], s[1], m, sd, ch);
    }

    /** "224,224" → {224, 224}. */
    public static int[] parseInts(String text, String what) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be comma-separated integers, got '" + text + "'");
        }
    }

    /** "0.485,0.456,0.406" → floats. */
    public static float[] parseFloats(String text, String what) {
        try {
            String[] parts = text.split(",");
            float[] out = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = Float.parseFloat(parts[i].trim());
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be comma-separated numbers, got '" + text + "'");
        }
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Per-channel mean (zeros when the model has none). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviation (ones when the model has none). */
    public float[] std() {
        return std.clone();
    }

    /** Whether {@link #mean()} and {@link #std()} change anything. */
    public boolean normalises() {
        for (int c = 0; c < mean.length; c++) {
            if (mean[c] != 0f || std[c] != 1f) {
                return true;
            }
        }
        return false;
    }

    public Channels channels() {
        return channels;
    }

    /** Reads an image file; fails naming the file when it is missing or not a readable image. */
    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image file " + file + " does not exist");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read image " + file + ": " + e.getMessage());
        }
        if (img == null) {
            throw new IllegalArgumentException(file + " is not an image netlens can read (PNG, JPEG, BMP, GIF)");
        }
        return img;
    }

    /** The preprocessed tensor [1, C, height, width] of an image file. */
    public Tensor load(Path file) {
        return toTensor(read(file));
    }

    /** The resized and centre-cropped image (what the model sees, before normalisation). */
    public BufferedImage resizeAndCrop(BufferedImage img) {
        double scale = Math.max((double) height / img.getHeight(), (double) width / img.getWidth());
        int rw = Math.max(width, (int) Math.round(img.getWidth() * scale));
        int rh = Math.max(height, (int) Math.round(img.getHeight() * scale));
        BufferedImage current = toRgb(img);
        while (current.getWidth() / 2 >= rw && current.getHeight() / 2 >= rh) {
            current = scaleTo(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        if (current.getWidth() != rw || current.getHeight() != rh) {
            current = scaleTo(current, rw, rh);
        }
        int x0 = (rw - width) / 2;
        int y0 = (rh - height) / 2;
        return current.getSubimage(x0, y0, width, height);
    }

    /** The preprocessed tensor [1, C, height, width] of an image. */
    public Tensor toTensor(BufferedImage img) {
        BufferedImage crop = resizeAndCrop(img);
        int c = channels.count();
        Tensor t = Tensor.zeros(1, c, height, width);
        float[] d = t.data();
        int area = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = crop.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f;
                float g = ((rgb >> 8) & 0xff) / 255f;
                float b = (rgb & 0xff) / 255f;
                int p = y * width + x;
                switch (channels) {
                    case RGB -> {
                        d[p] = (r - mean[0]) / std[0];
                        d[area + p] = (g - mean[1]) / std[1];
                        d[2 * area + p] = (b - mean[2]) / std[2];
                    }
                    case BGR -> {
                        d[p] = (b - mean[0]) / std[0];
                        d[area + p] = (g - mean[1]) / std[1];
                        d[2 * area + p] = (r - mean[2]) / std[2];
                    }
                    default -> d[p] = ((0.299f * r + 0.587f * g + 0.114f * b) - mean[0]) / std[0];
                }
            }
        }
        return t;
    }

    private static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, java.awt.Color.WHITE, null);
        g.dispose();
        return rgb;
    }

    private static BufferedImage scaleTo(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
