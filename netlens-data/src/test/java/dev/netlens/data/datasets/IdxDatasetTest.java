package dev.netlens.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {
    private static final SplittableRandom UNUSED = new SplittableRandom(0);

    @TempDir
    Path tmp;

    /** An IDX file of unsigned bytes: magic 0,0,8,ndims, the sizes, then the data. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Three 2x3 images with pixel p of image i = 10·i + p·40 (and 255 in the last pixel of image 2). */
    static byte[] pixels() {
        byte[] px = new byte[3 * 6];
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 6; p++) {
                px[i * 6 + p] = (byte) (10 * i + 40 * p);
            }
        }
        px[17] = (byte) 255;
        return px;
    }

    private Path write(Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), bytes);
    }

    private Path validSplit(Path dir, boolean gzipped) throws IOException {
        byte[] images = idx(new int[] {3, 2, 3}, pixels());
        byte[] labels = idx(new int[] {3}, new byte[] {7, 0, 9});
        String ext = gzipped ? ".gz" : "";
        write(dir, "train-images-idx3-ubyte" + ext, gzipped ? gzip(images) : images);
        write(dir, "train-labels-idx1-ubyte" + ext, gzipped ? gzip(labels) : labels);
        return dir;
    }

    private void assertReadsSmallSplit(IdxDataset ds) {
        assertEquals(3, ds.size());
        assertArrayEquals(new int[] {1, 2, 3}, ds.imageShape());
        assertEquals(10, ds.classes());
        assertEquals(7, ds.label(0));
        assertEquals(0, ds.label(1));
        assertEquals(9, ds.label(2));
        Example e = ds.get(2, UNUSED);
        assertEquals(9, e.label());
        float[] expected = new float[6];
        for (int p = 0; p < 6; p++) {
            expected[p] = (20 + 40 * p) / 255f;
        }
        expected[5] = 1f;
        assertArrayEquals(expected, e.image());
        assertEquals(0f, ds.get(0, UNUSED).image()[0]);
    }

    @Test
    void readsPlainFiles() throws IOException {
        assertReadsSmallSplit(IdxDataset.open(validSplit(tmp.resolve("mnist"), false), Split.TRAIN));
    }

    @Test
    void readsGzippedFiles() throws IOException {
        assertReadsSmallSplit(IdxDataset.open(validSplit(tmp.resolve("mnist"), true), Split.TRAIN));
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        Path dir = tmp.resolve("mixed");
        // gzipped content without .gz, plain content with .gz
        write(dir, "t10k-images-idx3-ubyte", gzip(idx(new int[] {3, 2, 3}, pixels())));
        write(dir, "t10k-labels-idx1-ubyte.gz", idx(new int[] {3}, new byte[] {7, 0, 9}));
        assertReadsSmallSplit(IdxDataset.open(dir, Split.TEST));
    }

    @Test
    void readsDottedMnistNames() throws IOException {
        Path dir = tmp.resolve("kaggle");
        write(dir, "train-images.idx3-ubyte", idx(new int[] {3, 2, 3}, pixels()));
        write(dir, "train-labels.idx1-ubyte", idx(new int[] {3}, new byte[] {7, 0, 9}));
        assertReadsSmallSplit(IdxDataset.open(dir, Split.TRAIN));
    }

    @Test
    void classNamesFollowTheDirectoryUnlessOverridden() throws IOException {
        assertEquals(IdxDataset.DIGIT_CLASSES, IdxDataset.open(validSplit(tmp.resolve("mnist"), false),
                Split.TRAIN).classNames());
        IdxDataset fashion = IdxDataset.open(validSplit(tmp.resolve("Fashion-MNIST"), true), Split.TRAIN);
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                "Bag", "Ankle boot"), fashion.classNames());
        List<String> custom = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
        assertEquals(custom, IdxDataset.open(tmp.resolve("mnist"), Split.TRAIN, custom).classNames());
    }

    @Test
    void missingFilesNameTheDirectoryAndTheNamesSearched() throws IOException {
        Path dir = validSplit(tmp.resolve("mnist"), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxDataset.open(dir, Split.TEST));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte, t10k-images-idx3-ubyte.gz"), e.getMessage());

        Files.delete(dir.resolve("train-labels-idx1-ubyte"));
        e = assertThrows(IllegalArgumentException.class, () -> IdxDataset.open(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> IdxDataset.open(tmp.resolve("nowhere"), Split.TRAIN));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    private IllegalArgumentException badImages(byte[] imageFile) throws IOException {
        Path dir = validSplit(tmp.resolve("bad"), false);
        write(dir, "train-images-idx3-ubyte", imageFile);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxDataset.open(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains(dir.resolve("train-images-idx3-ubyte").toString()), e.getMessage());
        return e;
    }

    @Test
    void rejectsBadMagic() throws IOException {
        byte[] file = idx(new int[] {3, 2, 3}, pixels());
        file[0] = 1;
        assertTrue(badImages(file).getMessage().contains("bad magic number 01 00 08 03: expected 00 00 08 03"));
    }

    @Test
    void rejectsOtherDataTypes() throws IOException {
        byte[] file = idx(new int[] {3, 2, 3}, pixels());
        file[2] = 0x0D;
        assertTrue(badImages(file).getMessage().contains("data type 0x0d"));
    }

    @Test
    void rejectsWrongNumberOfDimensions() throws IOException {
        assertTrue(badImages(idx(new int[] {3, 6}, pixels())).getMessage().contains("has 2 dimensions, expected 3"));
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        byte[] file = idx(new int[] {3, 2, 3}, pixels());
        String msg = badImages(Arrays.copyOf(file, file.length - 5)).getMessage();
        assertTrue(msg.contains("truncated") && msg.contains("18 data bytes, found only 13"), msg);
        assertTrue(badImages(Arrays.copyOf(file, 9)).getMessage().contains("header needs 16 bytes"));
        assertTrue(badImages(Arrays.copyOf(file, 2)).getMessage().contains("truncated"));
    }

    @Test
    void rejectsTruncatedGzip() throws IOException {
        byte[] gz = gzip(idx(new int[] {3, 2, 3}, pixels()));
        assertTrue(badImages(Arrays.copyOf(gz, gz.length / 2)).getMessage().contains("truncated or corrupt gzip"));
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] file = idx(new int[] {3, 2, 3}, pixels());
        assertTrue(badImages(Arrays.copyOf(file, file.length + 2)).getMessage().contains("2 bytes after"));
    }

    @Test
    void rejectsCountMismatch() throws IOException {
        Path dir = validSplit(tmp.resolve("mnist"), false);
        write(dir, "train-labels-idx1-ubyte", idx(new int[] {2}, new byte[] {1, 2}));
        String msg = assertThrows(IllegalArgumentException.class, () -> IdxDataset.open(dir, Split.TRAIN))
                .getMessage();
        assertTrue(msg.contains("3 images") && msg.contains("2 labels") && msg.contains("train-labels-idx1-ubyte"),
                msg);
    }

    @Test
    void rejectsLabelsOutOfRange() throws IOException {
        Path dir = validSplit(tmp.resolve("mnist"), false);
        write(dir, "train-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {1, 10, 2}));
        String msg = assertThrows(IllegalArgumentException.class, () -> IdxDataset.open(dir, Split.TRAIN))
                .getMessage();
        assertTrue(msg.contains("label 10 of example 1 is out of range [0, 10)")
                && msg.contains("train-labels-idx1-ubyte"), msg);
        // fewer class names than labels used
        write(dir, "train-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {1, 2, 2}));
        msg = assertThrows(IllegalArgumentException.class,
                () -> IdxDataset.open(dir, Split.TRAIN, List.of("a", "b"))).getMessage();
        assertTrue(msg.contains("out of range [0, 2)"), msg);
    }

    @Test
    void readsTheRealFashionMnistTestSplit() {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz")),
                "Debian package dataset-fashion-mnist is not installed");
        IdxDataset test = IdxDataset.open(dir, Split.TEST);
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, test.imageShape());
        assertEquals(IdxDataset.FASHION_MNIST_CLASSES, test.classNames());
        int[] counts = new int[10];
        for (int i = 0; i < test.size(); i++) {
            counts[test.label(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, counts[c], "class " + c); // the test split is balanced
        }
        float[] first = test.get(0, UNUSED).image();
        assertEquals(784, first.length);
        float max = 0;
        for (float v : first) {
            assertTrue(v >= 0f && v <= 1f);
            max = Math.max(max, v);
        }
        assertTrue(max > 0.5f, "the first image is not blank");

        IdxDataset train = IdxDataset.open(dir, Split.TRAIN);
        assertEquals(60000, train.size());
        assertEquals(9, train.label(0)); // the first training image is an ankle boot
    }
}
