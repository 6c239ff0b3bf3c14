package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.onnx.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netlens concepts generate|show} and {@code --dataset concepts:DIR} in train and eval. */
class ConceptsCommandTest extends CliTestBase {
    @TempDir
    Path dir;

    @Test
    void generateShowTrainAndEvaluate() throws Exception {
        Path data = dir.resolve("scenes");
        assertEquals(0, run("concepts", "generate", "--out", data.toString(), "--count", "120", "--size", "32", "--seed", "3"), err);
        assertTrue(out.contains("120 scenes of 32x32"), out);
        assertTrue(Files.exists(data.resolve("index.csv")) && Files.exists(data.resolve("landmarks.csv")));

        // a non-empty directory is not written into without --force
        assertEquals(2, run("concepts", "generate", "--out", data.toString(), "--count", "5"));
        assertTrue(err.contains("not empty") && err.contains("--force"), err);

        Path grid = dir.resolve("grid.png");
        assertEquals(0, run("concepts", "show", "--data", data.toString(), "--count", "4", "--out", grid.toString()), err);
        assertTrue(ImageIO.read(grid.toFile()).getWidth() > 64);
        assertEquals(2, run("concepts", "show", "--data", data.toString(), "--out", grid.toString()));
        assertTrue(err.contains("already exists"), err);

        Path model = dir.resolve("objects.onnx");
        assertEquals(0, run("train", "--dataset", "concepts:" + data, "--task", "object", "--arch", "lenet5", "--epochs", "1",
                "--batch", "16", "--validation", "16", "--out", model.toString()), err);
        Graph g = OnnxImporter.load(model);
        assertTrue(g.metadata().get("netlens.classes").contains("house"), g.metadata().get("netlens.classes"));
        assertEquals("RGB", g.metadata().get("netlens.channels"));
        assertEquals(0, run("eval", "--model", model.toString(), "--dataset", "concepts:" + data), err);
        assertTrue(out.contains("(val split)"), out);
    }

    @Test
    void readerErrorsAreUsageErrors() throws Exception {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertEquals(2, run("train", "--dataset", "concepts:" + empty, "--out", dir.resolve("m.onnx").toString()));
        assertTrue(err.contains(".csv") && err.contains("does not exist"), err);
        assertEquals(2, run("train", "--dataset", "concepts:" + empty, "--task", "colour", "--out", dir.resolve("m.onnx").toString()));
        assertTrue(err.toLowerCase().contains("task"), err);
    }
}
