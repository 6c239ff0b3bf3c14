package dev.netlens.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.data.images.ImagePreprocessing.Channels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
    private static final SplittableRandom UNUSED = new SplittableRandom(0);

    @TempDir
    Path tmp;

    /** A w×h RGB PNG whose pixel (x, y) is (r, g + x, b + y). */
    static void png(Path file, int w, int h, int r, int g, int b) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (r << 16) | ((g + x) << 8) | (b + y));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** A w×h 8-bit grayscale PNG whose pixel (x, y) is value + x. */
    static void grayPng(Path file, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, value + x);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private Path threeClasses() throws IOException {
        Path root = tmp.resolve("root");
        png(root.resolve("cat/b.png"), 2, 2, 10, 20, 30);
        png(root.resolve("cat/a.PNG"), 2, 2, 100, 20, 30);
        png(root.resolve("ant/nested/x.png"), 4, 4, 50, 60, 70);
        Files.createDirectories(root.resolve("bee"));
        ImageIO.write(new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB), "jpg",
                root.resolve("bee/photo.JPEG").toFile());
        Files.writeString(root.resolve("bee/notes.txt"), "ignored");
        Files.createDirectories(root.resolve(".cache/junk"));
        return root;
    }

    @Test
    void listsClassesInSortedOrderAndDecodesLazily() throws IOException {
        Path root = threeClasses();
        ImageFolderDataset ds = ImageFolderDataset.open(root, Channels.RGB, Transforms.resize(2, 2));
        assertEquals(List.of("ant", "bee", "cat"), ds.classNames());
        assertEquals(4, ds.size());
        assertArrayEquals(new int[] {3, 2, 2}, ds.imageShape());
        assertEquals(0, ds.label(0));
        assertEquals(1, ds.label(1));
        assertEquals(2, ds.label(2));
        assertEquals(root.resolve("cat/a.PNG"), ds.file(2), "files of a class in sorted order");
        Example a = ds.get(2, UNUSED);
        assertEquals(2, a.label());
        // RGB planes: R = 100, G = 20 + x, B = 30 + y; same size so the resize is exact
        assertArrayEquals(new float[] {100 / 255f, 100 / 255f, 100 / 255f, 100 / 255f,
            20 / 255f, 21 / 255f, 20 / 255f, 21 / 255f,
            30 / 255f, 30 / 255f, 31 / 255f, 31 / 255f}, a.image(), 1e-7f);
        assertEquals(12, ds.get(0, UNUSED).image().length, "a 4x4 image is resized to 2x2");
        assertTrue(ds.toString().contains("Resize(2x2, bilinear)"));
    }

    @Test
    void convertsChannelModes() throws IOException {
        Path root = tmp.resolve("modes");
        png(root.resolve("c/rgb.png"), 2, 1, 200, 100, 50);
        grayPng(root.resolve("c/zgray.png"), 2, 1, 77);
        ImageFolderDataset luma = ImageFolderDataset.open(root, Channels.L, Transforms.identity().andThen(
                Transforms.centreCrop(1, 2)));
        assertArrayEquals(new int[] {1, 1, 2}, luma.imageShape());
        float l0 = 0.299f * 200 / 255f + 0.587f * 100 / 255f + 0.114f * 50 / 255f;
        float l1 = 0.299f * 200 / 255f + 0.587f * 101 / 255f + 0.114f * 50 / 255f;
        assertArrayEquals(new float[] {l0, l1}, luma.get(0, UNUSED).image(), 1e-6f);
        assertArrayEquals(new float[] {77 / 255f, 78 / 255f}, luma.get(1, UNUSED).image(), 1e-7f,
                "grayscale samples are read exactly");
        ImageFolderDataset rgb = ImageFolderDataset.open(root, Channels.RGB, Transforms.centreCrop(1, 2));
        assertArrayEquals(new float[] {77 / 255f, 78 / 255f, 77 / 255f, 78 / 255f, 77 / 255f, 78 / 255f},
                rgb.get(1, UNUSED).image(), 1e-7f, "gray replicated to RGB");
        ImageFolderDataset bgr = ImageFolderDataset.open(root, Channels.BGR, Transforms.centreCrop(1, 2));
        assertEquals(50 / 255f, bgr.get(0, UNUSED).image()[0], 1e-7f);
    }

    @Test
    void appliesRandomTransformsFromTheGivenStream() throws IOException {
        Path root = tmp.resolve("rand");
        png(root.resolve("c/a.png"), 6, 6, 10, 20, 30);
        ImageFolderDataset ds = ImageFolderDataset.open(root, Channels.RGB,
                Transforms.compose(Transforms.randomCrop(4, 4, 2), Transforms.randomHorizontalFlip()));
        assertArrayEquals(ds.get(0, new SplittableRandom(5)).image(), ds.get(0, new SplittableRandom(5)).image());
    }

    private String openFails(Path root, Transform transform) {
        return assertThrows(IllegalArgumentException.class,
                () -> ImageFolderDataset.open(root, Channels.RGB, transform)).getMessage();
    }

    @Test
    void rejectsBadLayouts() throws IOException {
        Transform fixed = Transforms.resize(4, 4);
        String msg = openFails(tmp.resolve("missing"), fixed);
        assertTrue(msg.contains("missing") && msg.contains("does not exist"), msg);

        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertTrue(openFails(file, fixed).contains("not a directory"));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "no images");
        assertTrue(openFails(empty, fixed).contains("no class subfolders"));

        Path flat = tmp.resolve("flat");
        png(flat.resolve("one.png"), 2, 2, 1, 2, 3);
        png(flat.resolve("two.jpg.png"), 2, 2, 1, 2, 3);
        Files.createDirectories(flat.resolve("cls"));
        msg = openFails(flat, fixed);
        assertTrue(msg.contains("expected one subfolder per class") && msg.contains("found image files in the root")
                && msg.contains("one.png, two.jpg.png"), msg);

        Path emptyClass = tmp.resolve("emptyClass");
        png(emptyClass.resolve("a/x.png"), 2, 2, 1, 2, 3);
        Files.createDirectories(emptyClass.resolve("b"));
        Files.writeString(emptyClass.resolve("b/list.csv"), "x");
        msg = openFails(emptyClass, fixed);
        assertTrue(msg.contains(emptyClass.resolve("b").toString()) && msg.contains("has no images"), msg);
    }

    @Test
    void requiresTransformsThatFixTheSize() throws IOException {
        Path root = tmp.resolve("sizes");
        png(root.resolve("a/x.png"), 2, 2, 1, 2, 3);
        String msg = openFails(root, Transforms.resizeShortSide(4));
        assertTrue(msg.contains("does not produce one fixed size"), msg);
        assertArrayEquals(new int[] {3, 4, 4}, ImageFolderDataset.open(root, Channels.RGB,
                Transforms.resizeShortSide(4).andThen(Transforms.centreCrop(4, 4))).imageShape());
    }

    @Test
    void corruptImageFailsWhenReadNamingTheFile() throws IOException {
        Path root = tmp.resolve("corrupt");
        png(root.resolve("a/good.png"), 2, 2, 1, 2, 3);
        Path bad = Files.write(root.resolve("a/zbad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ImageFolderDataset ds = ImageFolderDataset.open(root, Channels.RGB, Transforms.resize(2, 2));
        assertEquals(2, ds.size(), "opening does not decode");
        ds.get(0, UNUSED);
        String msg = assertThrows(IllegalArgumentException.class, () -> ds.get(1, UNUSED)).getMessage();
        assertTrue(msg.contains(bad.toString()), msg);
    }
}
