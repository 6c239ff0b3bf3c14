package dev.netlens.explain.render;

import dev.netlens.core.tensor.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Attribution maps as pictures: a colour-mapped heatmap blended over the image the model saw, with a
 * colour bar labelled with the values its ends stand for.
 *
 * <h2>From an attribution tensor to colours</h2>
 * <ol>
 *   <li><b>Channels.</b> A map [C, H, W] (or [1, C, H, W]) is reduced to [H, W] by summing over C
 *       (Captum's {@code visualize_image_attr} does the same); a map with one channel, such as a CAM
 *       [N, 1, h, w], is used as it is. {@link #reduce}.</li>
 *   <li><b>Sign.</b> {@link Sign#AUTO} (the default) shows a map with any negative value as signed
 *       and a map without negative values (saliency = |gradient|, ReLU'd CAMs, …) as non-negative,
 *       using the value as it is — no absolute value, no sign split. {@link Sign#SIGNED},
 *       {@link Sign#POSITIVE} (negative values shown as 0) and {@link Sign#ABSOLUTE} (|value| of the
 *       channel sum) force one reading.</li>
 *   <li><b>Clipping.</b> Values are scaled by the {@code clipPercentile}-th percentile of |value|
 *       over the map (default 99, linear interpolation between order statistics, like numpy's
 *       default), and whatever lies beyond is shown at the end colour: one extreme pixel does not
 *       wash out the rest. This follows the common "clip at the 99th percentile" practice; Captum's
 *       own default is a cumulative-mass threshold (2 % outliers) rather than a plain percentile.
 *       100 disables clipping (scale by the maximum). The percentile is taken at the map's own
 *       resolution, before any upsampling, over the values that are not exactly 0: zeros (ReLU'd CAM
 *       regions, masked pixels) carry no signal, and counting them would turn a sparse map — a
 *       Guided Grad-CAM that is 0 on 99 % of the pixels — into saturated blocks (Captum's
 *       cumulative-mass threshold ignores them likewise). An all-zero map is shown at the low end.</li>
 *   <li><b>Colours.</b> Signed maps use a diverging map centred at 0 ({@link Colormap#BLUE_WHITE_RED}:
 *       −clip blue, 0 white, +clip red); non-negative maps a sequential map from 0 to the clip value
 *       ({@link Colormap#VIRIDIS} by default).</li>
 *   <li><b>Size.</b> A map smaller than the image (CAM methods: the layer's resolution) is upsampled
 *       bilinearly with half-pixel centres (PyTorch's {@code align_corners=False}) to the image
 *       size; a map of the image's size is shown pixel for pixel. Images whose shorter side is well below
 *       {@code minSize} (e.g. 32×32 CIFAR inputs) are enlarged by the whole factor nearest to
 *       minSize / shorter side (nearest neighbour), so that the picture and its labels stay legible.</li>
 *   <li><b>Overlay.</b> {@code out = (1 − α)·base + α·colour}, with the base shown in grayscale by
 *       default (Captum's "blended_heat_map" convention, which keeps the image's own colours from
 *       being read as attribution).</li>
 * </ol>
 */
public final class Heatmap {
    private Heatmap() {
    }

    /** How the sign of the attribution is shown. */
    public enum Sign {
        /** Signed if any value is negative, else non-negative as is. */
        AUTO,
        /** Diverging colours centred at 0. */
        SIGNED,
        /** Positive part only, sequential colours (negative values shown as 0). */
        POSITIVE,
        /** |value|, sequential colours. */
        ABSOLUTE
    }

    /**
     * Display options.
     *
     * @param sign how the sign is shown
     * @param clipPercentile values beyond this percentile of |value| take the end colour (0 &lt; p ≤ 100)
     * @param alpha opacity of the heatmap over the image (0 = image only, 1 = heatmap only)
     * @param sequential colormap for non-negative maps
     * @param diverging colormap for signed maps (centred at 0)
     * @param colorBar draw a colour bar with its values to the right of the image
     * @param minSize enlarge small images by round(minSize / shorter side) (0 = never)
     * @param grayBase show the image under the heatmap in grayscale
     * @param caption a line of text under the picture, or null
     */
    public record Options(Sign sign, double clipPercentile, double alpha, Colormap sequential, Colormap diverging,
                          boolean colorBar, int minSize, boolean grayBase, String caption) {
        public Options {
            if (sign == null || sequential == null || diverging == null) {
                throw new IllegalArgumentException("sign and colormaps must be given");
            }
            if (!(clipPercentile > 0 && clipPercentile <= 100)) {
                throw new IllegalArgumentException("the clip percentile must be in (0, 100], got " + clipPercentile);
            }
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
            }
            if (minSize < 0 || minSize > 4096) {
                throw new IllegalArgumentException("minSize must be in [0, 4096], got " + minSize);
            }
        }

        /** AUTO sign, 99th-percentile clipping, α 0.6, viridis / blue–white–red, colour bar, min size 224, gray base. */
        public static Options defaults() {
            return new Options(Sign.AUTO, 99, 0.6, Colormap.VIRIDIS, Colormap.BLUE_WHITE_RED, true, 224, true, null);
        }

        public Options withSign(Sign v) {
            return new Options(v, clipPercentile, alpha, sequential, diverging, colorBar, minSize, grayBase, caption);
        }

        public Options withClipPercentile(double v) {
            return new Options(sign, v, alpha, sequential, diverging, colorBar, minSize, grayBase, caption);
        }

        public Options withAlpha(double v) {
            return new Options(sign, clipPercentile, v, sequential, diverging, colorBar, minSize, grayBase, caption);
        }

        public Options withSequential(Colormap v) {
            return new Options(sign, clipPercentile, alpha, v, diverging, colorBar, minSize, grayBase, caption);
        }

        public Options withDiverging(Colormap v) {
            return new Options(sign, clipPercentile, alpha, sequential, v, colorBar, minSize, grayBase, caption);
        }

        public Options withColorBar(boolean v) {
            return new Options(sign, clipPercentile, alpha, sequential, diverging, v, minSize, grayBase, caption);
        }

        public Options withMinSize(int v) {
            return new Options(sign, clipPercentile, alpha, sequential, diverging, colorBar, v, grayBase, caption);
        }

        public Options withGrayBase(boolean v) {
            return new Options(sign, clipPercentile, alpha, sequential, diverging, colorBar, minSize, v, caption);
        }

        public Options withCaption(String v) {
            return new Options(sign, clipPercentile, alpha, sequential, diverging, colorBar, minSize, grayBase, v);
        }
    }

    /**
     * A map ready for colouring: positions t ∈ [0, 1] into {@code colormap}, and the values its ends
     * (and, diverging, its centre 0) stand for.
     *
     * @param t colormap positions, row-major [height, width]
     * @param low the value at t = 0 (−clip for signed maps, 0 for non-negative ones)
     * @param high the value at t = 1 (the clip value)
     */
    public record Scaled(float[] t, int height, int width, Colormap colormap, double low, double high) {
        public boolean signed() {
            return colormap.diverging();
        }
    }

    // ---------------------------------------------------------------- reduction and statistics

    /**
     * Item {@code item} of a map reduced to [H, W]: rank 2 as is, [C, H, W] or [N, C, H, W] summed
     * over C. The sign handling is {@link #scale}'s.
     */
    public static Tensor reduce(Tensor map, int item) {
        int[] s = map.shape();
        if (s.length == 2) {
            return map;
        }
        int n;
        int c;
        int h;
        int w;
        if (s.length == 3) {
            n = 1;
            c = s[0];
            h = s[1];
            w = s[2];
        } else if (s.length == 4) {
            n = s[0];
            c = s[1];
            h = s[2];
            w = s[3];
        } else {
            throw new IllegalArgumentException("a heatmap needs a map [H, W], [C, H, W] or [N, C, H, W], got "
                    + Arrays.toString(s));
        }
        if (item < 0 || item >= n) {
            throw new IllegalArgumentException("item " + item + " is out of range for a batch of " + n);
        }
        float[] d = map.data();
        float[] out = new float[h * w];
        int area = h * w;
        for (int ch = 0; ch < c; ch++) {
            int off = (item * c + ch) * area;
            for (int p = 0; p < area; p++) {
                out[p] += d[off + p];
            }
        }
        return Tensor.of(out, h, w);
    }

    /**
     * The p-th percentile (0 ≤ p ≤ 100) of {@code values}, interpolating linearly between order
     * statistics (numpy's default); NaNs are ignored, and an empty or all-NaN array gives 0.
     */
    public static double percentile(float[] values, double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        }
        float[] v = new float[values.length];
        int n = 0;
        for (float x : values) {
            if (!Float.isNaN(x)) {
                v[n++] = x;
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(v, 0, n);
        double pos = p / 100.0 * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        double f = pos - lo;
        return v[lo] + (v[hi] - (double) v[lo]) * f;
    }

    /**
     * Normalises a 2-D map (rank-2 tensor, or reduced with {@link #reduce}) for display: the clip
     * value is the {@code clipPercentile} of the non-zero |values| (the maximum when that is 0).
     */
    public static Scaled scale(Tensor map2d, Options options) {
        Tensor m = map2d.rank() == 2 ? map2d : reduce(map2d, 0);
        float[] d = m.data();
        int h = m.dim(0);
        int w = m.dim(1);
        boolean anyNegative = false;
        for (float v : d) {
            if (v < 0) {
                anyNegative = true;
                break;
            }
        }
        Sign sign = options.sign();
        boolean signed = sign == Sign.SIGNED || (sign == Sign.AUTO && anyNegative);
        float[] v = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            float x = Float.isFinite(d[i]) ? d[i] : Float.isNaN(d[i]) ? 0f : Math.copySign(Float.MAX_VALUE, d[i]);
            v[i] = switch (sign) {
                case POSITIVE -> Math.max(0f, x);
                case ABSOLUTE -> Math.abs(x);
                default -> x;
            };
        }
        float[] abs = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            abs[i] = Math.abs(v[i]);
        }
        // Exact zeros (ReLU'd or masked regions) carry no signal: the percentile is over the rest.
        float[] nonZero = new float[abs.length];
        int k = 0;
        for (float a : abs) {
            if (a > 0) {
                nonZero[k++] = a;
            }
        }
        double clip = percentile(Arrays.copyOf(nonZero, k), options.clipPercentile());
        if (!(clip > 0)) {
            clip = 1;
        }
        float[] t = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            double r = v[i] / clip;
            t[i] = signed ? (float) (0.5 + 0.5 * Math.max(-1, Math.min(1, r))) : (float) Math.max(0, Math.min(1, r));
        }
        return signed ? new Scaled(t, h, w, options.diverging(), -clip, clip)
                : new Scaled(t, h, w, options.sequential(), 0, clip);
    }

    /**
     * Bilinear resize of a 2-D map [h, w] to [height, width], sampling at half-pixel centres
     * (PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}).
     */
    public static Tensor resize(Tensor map2d, int height, int width) {
        int h = map2d.dim(0);
        int w = map2d.dim(1);
        if (h == height && w == width) {
            return map2d;
        }
        float[] src = map2d.data();
        float[] out = new float[height * width];
        double sy = (double) h / height;
        double sx = (double) w / width;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min(h - 1, (int) Math.floor(fy));
            int y1 = Math.min(h - 1, y0 + 1);
            double ay = fy - y0;
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min(w - 1, (int) Math.floor(fx));
                int x1 = Math.min(w - 1, x0 + 1);
                double ax = fx - x0;
                double top = src[y0 * w + x0] * (1 - ax) + src[y0 * w + x1] * ax;
                double bottom = src[y1 * w + x0] * (1 - ax) + src[y1 * w + x1] * ax;
                out[y * width + x] = (float) (top * (1 - ay) + bottom * ay);
            }
        }
        return Tensor.of(out, height, width);
    }

    // ---------------------------------------------------------------- images

    /**
     * A grayscale picture of item {@code item} of an input tensor [N, C, H, W] (or [C, H, W]): the
     * channel mean, min–max scaled to 0…255 (nothing undone: no de-normalisation). A constant input
     * is mid-gray.
     */
    public static BufferedImage grayscale(Tensor input, int item) {
        int[] s = input.shape();
        Tensor m = reduce(input, item);
        int c = s.length == 2 ? 1 : s.length == 3 ? s[0] : s[1];
        float[] d = m.data();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : d) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v / c);
                hi = Math.max(hi, v / c);
            }
        }
        int h = m.dim(0);
        int w = m.dim(1);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = d[y * w + x] / c;
                int g = hi > lo && Double.isFinite(v) ? (int) Math.round(255 * (v - lo) / (hi - lo)) : 128;
                img.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        }
        return img;
    }

    /** The colours of a scaled map, one pixel per value (no image, no colour bar). */
    public static BufferedImage colorize(Scaled s) {
        BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                img.setRGB(x, y, s.colormap().rgb(s.t()[y * s.width() + x]));
            }
        }
        return img;
    }

    /** The whole-number factor by which an image of this size is enlarged for display. */
    static int displayFactor(int height, int width, int minSize) {
        int shorter = Math.min(height, width);
        if (minSize <= 0 || shorter >= minSize) {
            return 1;
        }
        return Math.max(1, (int) Math.round((double) minSize / shorter));
    }

    /**
     * The heatmap blended over {@code base}, without colour bar: the map is resized to the base's size
     * (bilinear), the base enlarged per {@code minSize}; returns the picture and the scaling used.
     */
    static Blend blend(BufferedImage base, Tensor map2d, Options options) {
        Tensor m = applySign(map2d.rank() == 2 ? map2d : reduce(map2d, 0), options.sign());
        Scaled native_ = scale(m, options);
        int bh = base.getHeight();
        int bw = base.getWidth();
        Tensor full = resize(m, bh, bw);
        Scaled s = full == m ? native_ : rescale(full, native_);
        int k = displayFactor(bh, bw, options.minSize());
        BufferedImage out = new BufferedImage(bw * k, bh * k, BufferedImage.TYPE_INT_RGB);
        double a = options.alpha();
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                int b = base.getRGB(x, y) & 0xffffff;
                if (options.grayBase()) {
                    int g = (int) Math.round(0.299 * ((b >> 16) & 0xff) + 0.587 * ((b >> 8) & 0xff) + 0.114 * (b & 0xff));
                    b = (g << 16) | (g << 8) | g;
                }
                int c = s.colormap().rgb(s.t()[y * bw + x]);
                int rgb = Colormap.mix(b, c, a);
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        out.setRGB(x * k + dx, y * k + dy, rgb);
                    }
                }
            }
        }
        return new Blend(out, native_);
    }

    record Blend(BufferedImage image, Scaled scale) {
    }

    /** The map with POSITIVE (max(0, v)) or ABSOLUTE (|v|) applied; AUTO and SIGNED leave it as is. */
    static Tensor applySign(Tensor m, Sign sign) {
        if (sign != Sign.POSITIVE && sign != Sign.ABSOLUTE) {
            return m;
        }
        float[] d = m.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = sign == Sign.POSITIVE ? Math.max(0f, d[i]) : Math.abs(d[i]);
        }
        return Tensor.of(out, m.shape());
    }

    /** A resized map scaled with the clip value found at its native resolution. */
    private static Scaled rescale(Tensor full, Scaled nativeScale) {
        float[] d = full.data();
        float[] t = new float[d.length];
        double lo = nativeScale.low();
        double hi = nativeScale.high();
        for (int i = 0; i < d.length; i++) {
            float x = Float.isNaN(d[i]) ? 0f : d[i];
            double r = nativeScale.signed() ? 0.5 + 0.5 * x / hi : x / hi;
            t[i] = (float) Math.max(0, Math.min(1, r));
        }
        return new Scaled(t, full.dim(0), full.dim(1), nativeScale.colormap(), lo, hi);
    }

    /**
     * The heatmap of {@code map2d} over {@code base} (the resized and cropped image the model saw, or
     * {@link #grayscale} of a tensor input), with a colour bar to the right when
     * {@code options.colorBar()} and a caption below when given.
     *
     * @param map2d a map [H, W] (or [C, H, W] / [1, C, H, W], summed over C); smaller maps are upsampled
     */
    public static BufferedImage overlay(BufferedImage base, Tensor map2d, Options options) {
        Blend blend = blend(base, map2d, options);
        BufferedImage img = blend.image();
        int h = img.getHeight();
        int w = img.getWidth();
        int fontSize = Math.max(11, Math.round(h / 17f));
        Font font = Text.font(fontSize, false);
        int line = Text.height(font);
        int pad = Math.max(6, Math.round(h * 0.03f));
        int barWidth = 0;
        int labelWidth = 0;
        String[] labels = null;
        if (options.colorBar()) {
            Scaled s = blend.scale();
            labels = s.signed()
                    ? new String[] {Text.number(s.high()), "0", Text.number(s.low())}
                    : new String[] {Text.number(s.high()), Text.number(s.low())};
            for (String l : labels) {
                labelWidth = Math.max(labelWidth, Text.width(font, l));
            }
            barWidth = Math.max(12, Math.round(h * 0.055f));
        }
        int captionHeight = options.caption() == null ? 0 : line + pad;
        int panel = options.colorBar() ? pad + barWidth + pad / 2 + labelWidth + pad : 0;
        int height = Math.max(h, options.colorBar() ? 3 * line + 2 * pad : 0) + captionHeight;
        BufferedImage out = Text.canvas(w + panel, height);
        Graphics2D g = Text.graphics(out);
        g.drawImage(img, 0, 0, null);
        if (options.colorBar()) {
            int x0 = w + pad;
            int top = line / 2;
            int bottom = Math.max(top + 2 * line, h - line / 2);
            drawBar(g, blend.scale().colormap(), x0, top, barWidth, bottom - top, font, labels);
        }
        if (options.caption() != null) {
            Text.drawFitted(g, font, Color.DARK_GRAY, options.caption(), (w + panel) / 2, height - captionHeight / 2 - 1,
                    1, w + panel - 4);
        }
        g.dispose();
        return out;
    }

    /** A vertical colour bar (high value at the top), with its end labels (and 0 when diverging). */
    static void drawBar(Graphics2D g, Colormap cmap, int x, int y, int width, int height, Font font, String[] labels) {
        for (int i = 0; i < height; i++) {
            double t = 1 - i / (double) Math.max(1, height - 1);
            g.setColor(new Color(cmap.rgb(t)));
            g.fillRect(x, y + i, width, 1);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, y, width - 1, height - 1);
        int lx = x + width + Math.max(3, width / 3);
        Color ink = new Color(0x202020);
        int tick = Math.max(3, width / 4);
        Text.draw(g, font, ink, labels[0], lx, y, 0);
        Text.draw(g, font, ink, labels[labels.length - 1], lx, y + height - 1, 0);
        g.setColor(ink);
        g.fillRect(x + width, y, tick / 2 + 1, 1);
        g.fillRect(x + width, y + height - 1, tick / 2 + 1, 1);
        if (labels.length == 3) {
            int mid = y + (height - 1) / 2;
            Text.draw(g, font, ink, labels[1], lx, mid, 0);
            g.setColor(ink);
            g.fillRect(x + width, mid, tick / 2 + 1, 1);
        }
    }

    /** Writes a picture as PNG, creating parent folders. */
    public static void write(Path png, BufferedImage image) {
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@link #overlay}{@code (base, map2d, options)} as PNG. */
    public static void write(Path png, BufferedImage base, Tensor map2d, Options options) {
        write(png, overlay(base, map2d, options));
    }
}
