package dev.netlens.dissect;

import dev.netlens.core.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The activations of the dissected layers from pass 1, kept on disk so that pass 2 reads them
 * instead of running the model again (as NetDissect does). One file per layer, float32, images at
 * fixed offsets, so batches may be written in any order and rewritten after a resume, plus a small
 * file with the per-image shape; the file length is checked before use.
 */
final class ActivationCache {
    private final Path dir;
    private final int layers;
    private final int images;
    private final int[][] shapes;

    ActivationCache(Path dir, int layers, int images) {
        this.dir = dir;
        this.layers = layers;
        this.images = images;
        this.shapes = new int[layers][];
    }

    private Path file(int layer) {
        return dir.resolve("activations-" + layer + ".f32");
    }

    /** Stores batch activations [n, C, H, W] of {@code layer} for images {@code firstImage …}. */
    void write(int layer, int firstImage, Tensor a) {
        int[] s = {a.dim(1), a.dim(2), a.dim(3)};
        if (shapes[layer] == null) {
            shapes[layer] = s;
            writeShape(layer, s);
        }
        int per = s[0] * s[1] * s[2];
        ByteBuffer buf = ByteBuffer.allocate(4 * a.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(a.data(), 0, a.size());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(file(layer), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                long pos = 4L * per * firstImage;
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the activation cache " + file(layer) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Activations of images [from, to) of {@code layer} with per-image shape {@code shape}, or null
     * when the cache does not hold all images (e.g. deleted between runs): then the caller recomputes.
     */
    Tensor read(int layer, int[] shape, int from, int to) {
        Path f = file(layer);
        int per = shape[0] * shape[1] * shape[2];
        try {
            if (!Files.exists(f) || Files.size(f) < 4L * per * images) {
                return null;
            }
            int n = to - from;
            ByteBuffer buf = ByteBuffer.allocate(4 * per * n).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long pos = 4L * per * from;
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, pos);
                    if (r < 0) {
                        return null;
                    }
                    pos += r;
                }
            }
            buf.flip();
            float[] data = new float[per * n];
            buf.asFloatBuffer().get(data);
            return Tensor.of(data, n, shape[0], shape[1], shape[2]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the activation cache " + f + ": " + e.getMessage(), e);
        }
    }

    private Path shapeFile(int layer) {
        return dir.resolve("activations-" + layer + ".shape");
    }

    private void writeShape(int layer, int[] s) {
        try {
            Files.createDirectories(dir);
            Files.writeString(shapeFile(layer), s[0] + "," + s[1] + "," + s[2]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + shapeFile(layer) + ": " + e.getMessage(), e);
        }
    }

    /** The per-image shape [C, H, W] of {@code layer}'s cached activations, or null when unknown. */
    int[] shape(int layer) {
        if (shapes[layer] != null) {
            return shapes[layer];
        }
        Path f = shapeFile(layer);
        try {
            if (!Files.exists(f)) {
                return null;
            }
            int[] s = Arrays.stream(Files.readString(f).trim().split(",")).mapToInt(Integer::parseInt).toArray();
            if (s.length != 3) {
                return null;
            }
            shapes[layer] = s;
            return s;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Deletes the cache files. */
    void delete() {
        for (int l = 0; l < layers; l++) {
            try {
                Files.deleteIfExists(file(l));
                Files.deleteIfExists(shapeFile(l));
            } catch (IOException ignored) {
                // best effort: a leftover cache file only costs disk space
            }
        }
    }

    @Override
    public String toString() {
        return "ActivationCache" + Arrays.toString(shapes);
    }
}
