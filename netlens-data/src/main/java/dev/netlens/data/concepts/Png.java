package dev.netlens.data.concepts;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG writing for the concept-scene generator (a small encoder of 8-bit RGB PNGs: fast, and its
 * output is a pure function of the pixels, so same seed → same bytes) and label decoding for the
 * Broden reader (ImageIO; label = R + 256·G).
 */
final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {
    }

    /** Writes packed {@code 0xRRGGBB} pixels as an RGB PNG. */
    static void writeRgb(Path file, int[] rgb, int width, int height) {
        write(file, encode(rgb, width, height, true));
    }

    /** Writes label numbers as an RGB PNG with R = label mod 256, G = label / 256, B = 0. */
    static void writeLabels(Path file, int[] labels, int width, int height) {
        int[] rgb = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l < 0 || l > 0xffff) {
                throw new IllegalArgumentException("label " + l + " does not fit in a segmentation PNG (0..65535)");
            }
            rgb[i] = ((l & 0xff) << 16) | ((l >> 8) << 8);
        }
        write(file, encode(rgb, width, height, false));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** PNG bytes of an RGB image; {@code subFilter} uses filter type 1 (Sub) on every row, else 0. */
    static byte[] encode(int[] rgb, int width, int height, boolean subFilter) {
        int stride = 1 + 3 * width;
        byte[] raw = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int o = y * stride;
            raw[o] = (byte) (subFilter ? 1 : 0);
            int pr = 0;
            int pg = 0;
            int pb = 0;
            for (int x = 0; x < width; x++) {
                int p = rgb[y * width + x];
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                int q = o + 1 + 3 * x;
                if (subFilter) {
                    raw[q] = (byte) (r - pr);
                    raw[q + 1] = (byte) (g - pg);
                    raw[q + 2] = (byte) (b - pb);
                    pr = r;
                    pg = g;
                    pb = b;
                } else {
                    raw[q] = (byte) r;
                    raw[q + 1] = (byte) g;
                    raw[q + 2] = (byte) b;
                }
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream(raw.length / 4 + 64);
        byte[] buf = new byte[16384];
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            zipped.write(buf, 0, n);
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream(zipped.size() + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", zipped.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] len = new byte[4];
        putInt(len, 0, data.length);
        out.writeBytes(len);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    /**
     * The label plane R + 256·G of a decoded segmentation image (row-major). Paletted images are
     * resolved through their palette; one-band gray images give the gray value.
     */
    static int[] labels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[w * h];
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        if (img.getColorModel() instanceof IndexColorModel || bands < 3 && bands != 1) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = ((row[x] >> 16) & 0xff) + 256 * ((row[x] >> 8) & 0xff);
                }
            }
            return out;
        }
        int[] r = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        if (bands == 1) {
            return r;
        }
        int[] g = raster.getSamples(0, 0, w, h, 1, (int[]) null);
        for (int i = 0; i < out.length; i++) {
            out[i] = r[i] + 256 * g[i];
        }
        return out;
    }
}
