package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.onnx.OnnxImporter;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netlens train} and {@code netlens eval} end to end on small planted IDX data and image folders. */
class TrainEvalCommandTest extends CliTestBase {
    @TempDir
    Path dir;

    /** 12×12 images; class k (of 10) has a bright 4×4 block at one of ten positions on a noisy background. */
    static void writeIdx(Path directory, String prefix, int n, long seed, int badLabel) throws IOException {
        Files.createDirectories(directory);
        SplittableRandom r = new SplittableRandom(seed);
        byte[] images = new byte[n * 144];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            labels[i] = (byte) k;
            for (int p = 0; p < 144; p++) {
                images[i * 144 + p] = (byte) r.nextInt(60);
            }
            int y0 = (k / 5) * 6 + 1;
            int x0 = (k % 5) * 2;
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    images[i * 144 + (y0 + y) * 12 + x0 + x] = (byte) 230;
                }
            }
        }
        if (badLabel >= 0) {
            labels[n / 2] = (byte) badLabel;
        }
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(directory.resolve(prefix + "-images-idx3-ubyte")))) {
            d.writeInt(0x00000803);
            d.writeInt(n);
            d.writeInt(12);
            d.writeInt(12);
            d.write(images);
        }
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(directory.resolve(prefix + "-labels-idx1-ubyte")))) {
            d.writeInt(0x00000801);
            d.writeInt(n);
            d.write(labels);
        }
    }

    @Test
    void trainsSavesResumesAndEvaluates() throws Exception {
        Path data = dir.resolve("planted");
        writeIdx(data, "train", 640, 1, -1);
        writeIdx(data, "t10k", 200, 2, -1);
        Path model = dir.resolve("m.onnx");
        String[] train = {"train", "--dataset", "idx:" + data, "--arch", "resnet8", "--epochs", "4", "--batch", "32",
            "--lr", "0.05", "--augment", "none", "--validation", "64", "--out", model.toString()};
        assertEquals(0, run(train), err);
        assertTrue(out.contains("epoch 4:"), out);
        assertTrue(Files.exists(model));
        assertTrue(Files.exists(dir.resolve("m.onnx.ckpt")));
        Graph g = OnnxImporter.load(model);
        assertEquals("12,12", g.metadata().get("netlens.input_size"));
        assertEquals("L", g.metadata().get("netlens.channels"));
        assertTrue(g.metadata().get("netlens.classes").startsWith("[\"0\",\"1\""), g.metadata().get("netlens.classes"));
        assertTrue(g.metadata().get("netlens.training").contains("arch=resnet8"));

        assertEquals(0, run("eval", "--model", model.toString(), "--dataset", "idx:" + data), err);
        Matcher m = Pattern.compile("accuracy ([0-9.]+) \\((\\d+) of 200\\)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, out);
        assertTrue(out.contains("confusion matrix"), out);

        // the same command again: the checkpoint says the run is complete, nothing is retrained
        assertEquals(0, run(train), err);
        assertTrue(out.contains("training already complete"), out);
        // other settings with the same checkpoint are refused, naming the difference
        String[] other = train.clone();
        other[6] = "5";
        assertEquals(2, run(other));
        assertTrue(err.contains("epochs was 4, now 5"), err);
    }

    @Test
    void anExistingModelIsNotOverwrittenUnlessAsked() throws Exception {
        Path data = dir.resolve("planted");
        writeIdx(data, "train", 64, 1, -1);
        Path model = dir.resolve("mine.onnx");
        Files.writeString(model, "a model the user made");
        assertEquals(2, run("train", "--dataset", "idx:" + data, "--arch", "mlp", "--epochs", "1", "--batch", "16",
                "--out", model.toString()));
        assertTrue(err.contains("already exists") && err.contains("--force"), err);
        assertEquals("a model the user made", Files.readString(model));
    }

    @Test
    void badDatasetsAreUsageErrorsNamingTheFile() throws Exception {
        assertEquals(2, run("train", "--dataset", "idx:" + dir.resolve("missing"), "--out", dir.resolve("a.onnx").toString()));
        assertTrue(err.contains("missing") && err.contains("does not exist"), err);

        assertEquals(2, run("train", "--dataset", "csv:" + dir, "--out", dir.resolve("a.onnx").toString()));
        assertTrue(err.contains("idx:DIR") && err.contains("folder:DIR"), err);

        Path bad = dir.resolve("badlabels");
        writeIdx(bad, "train", 64, 1, 12);
        assertEquals(2, run("train", "--dataset", "idx:" + bad, "--arch", "mlp", "--epochs", "1", "--batch", "16",
                "--out", dir.resolve("b.onnx").toString()));
        assertTrue(err.contains("train-labels-idx1-ubyte") && err.contains("12"), err);

        Path flat = dir.resolve("flat");
        Files.createDirectories(flat);
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", flat.resolve("cat.png").toFile());
        assertEquals(2, run("train", "--dataset", "folder:" + flat, "--size", "8,8", "--arch", "mlp", "--epochs", "1",
                "--out", dir.resolve("c.onnx").toString()));
        assertTrue(err.contains("subfolder"), err);

        Path folders = dir.resolve("folders");
        for (String c : new String[] {"cat", "dog"}) {
            Files.createDirectories(folders.resolve(c));
            for (int i = 0; i < 8; i++) {
                ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png",
                        folders.resolve(c).resolve(i + ".png").toFile());
            }
        }
        Files.write(folders.resolve("dog").resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertEquals(2, run("train", "--dataset", "folder:" + folders, "--size", "8,8", "--arch", "mlp", "--epochs", "1",
                "--batch", "17", "--validation", "0", "--augment", "none", "--out", dir.resolve("d.onnx").toString()));
        assertTrue(err.contains("broken.png"), err);
    }
}
