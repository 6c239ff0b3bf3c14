package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.io.Npy;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.onnx.OnnxAttribute;
import dev.netlens.core.onnx.OnnxDataType;
import dev.netlens.core.onnx.OnnxExporter;
import dev.netlens.core.onnx.OnnxGraph;
import dev.netlens.core.onnx.OnnxModel;
import dev.netlens.core.onnx.OnnxNode;
import dev.netlens.core.onnx.OnnxOpset;
import dev.netlens.core.onnx.OnnxValueInfo;
import dev.netlens.core.onnx.OnnxWriter;
import dev.netlens.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `netlens inspect` and `netlens run` on real and broken models: results, exit codes, messages. */
class OnnxCommandsTest extends CliTestBase {
    @TempDir
    Path dir;

    private Path resource(String name) throws Exception {
        Path p = dir.resolve(name);
        Files.copy(Path.of(getClass().getResource("/models/" + name).toURI()), p);
        return p;
    }

    @Test
    void runReproducesPyTorchAndRefusesToOverwrite() throws Exception {
        Path model = resource("view_flatten_linear_op11_fold0.onnx");
        Path input = resource("view_flatten_linear.input.npy");
        Tensor expected = Npy.read(resource("view_flatten_linear.output.npy"));
        Path output = dir.resolve("y.npy");
        assertEquals(0, run("run", "--model", model.toString(), "--input", input.toString(), "--output", output.toString()), err);
        Tensor y = Npy.read(output);
        assertTrue(Arrays.equals(expected.shape(), y.shape()));
        for (int i = 0; i < y.size(); i++) {
            assertEquals(expected.data()[i], y.data()[i], 1e-4 * 10);
        }
        assertEquals(2, run("run", "--model", model.toString(), "--input", input.toString(), "--output", output.toString()));
        assertTrue(err.contains("--force"), err);
        assertEquals(0, run("run", "--model", model.toString(), "--input", input.toString(), "--output",
                output.toString(), "--force"), err);
    }

    @Test
    void inspectListsLayersAndTotals() throws Exception {
        Path model = dir.resolve("resnet.onnx");
        OnnxExporter.write(ResNets.basic(new int[] {8, 16}, new int[] {1, 1}, 3, 4, false, 1), model);
        assertEquals(0, run("inspect", "--model", model.toString(), "--size", "16,16"), err);
        assertTrue(out.contains("layer1.0.conv1") && out.contains("Conv") && out.contains("[1, 8, 16, 16]"), out);
        assertTrue(out.contains("parameters") && out.contains("output logits [1, 4]"), out);
    }

    @Test
    void imageInputsArePreprocessed() throws Exception {
        Path model = dir.resolve("resnet.onnx");
        OnnxExporter.write(ResNets.basic(new int[] {8}, new int[] {1}, 3, 4, false, 1), model);
        Path png = dir.resolve("img.png");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(5, 5, 0xff0000);
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        assertEquals(0, run("run", "--model", model.toString(), "--input", png.toString(), "--size", "24,24",
                "--mean", "0.5", "--std", "0.25", "--output", dir.resolve("y.npy").toString()), err);
        assertTrue(out.contains("[1, 4]"), out);
    }

    private void assertBadInput(String what, String mustMention, String... args) {
        int code = run(args);
        assertEquals(2, code, what + ": exit code; stderr " + err + " stdout " + out);
        assertTrue(err.contains(mustMention), what + ": message should mention '" + mustMention + "': " + err);
        assertFalse(err.contains("\tat "), what + ": no stack trace: " + err);
        assertEquals(1, err.trim().lines().count(), what + ": one message: " + err);
    }

    private static OnnxValueInfo value(String name, long... dims) {
        List<OnnxValueInfo.Dim> d = Arrays.stream(dims).mapToObj(v -> new OnnxValueInfo.Dim(v, "")).toList();
        return new OnnxValueInfo(name, OnnxDataType.FLOAT, d, "");
    }

    private Path model(String file, List<OnnxNode> nodes) throws Exception {
        OnnxModel m = new OnnxModel(8, List.of(new OnnxOpset("", 13)), "test", "", "", 0, "",
                new OnnxGraph("g", nodes, List.of(), List.of(value("x", 1, 4)), List.of(value("y")), List.of(), ""),
                Map.of());
        Path p = dir.resolve(file);
        OnnxWriter.write(m, p);
        return p;
    }

    private static OnnxNode node(String name, String type, List<String> in, List<String> out, OnnxAttribute... a) {
        return new OnnxNode(name, type, "", in, out, List.of(a), "");
    }

    @Test
    void brokenModelsAndInputsExitWithTwoAndOneClearMessage() throws Exception {
        Path good = resource("view_flatten_linear_op11_fold0.onnx");
        Path input = resource("view_flatten_linear.input.npy");
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertBadInput("truncated", "truncated.onnx", "inspect", "--model", truncated.toString());
        Path garbage = dir.resolve("garbage.onnx");
        byte[] noise = new byte[4096];
        new SplittableRandom(1).nextBytes(noise);
        Files.write(garbage, noise);
        assertBadInput("random bytes", "garbage.onnx", "inspect", "--model", garbage.toString());
        Path png = dir.resolve("picture.onnx");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        assertBadInput("png", "picture.onnx", "inspect", "--model", png.toString());
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertBadInput("empty", "empty.onnx", "inspect", "--model", empty.toString());
        assertBadInput("missing", "nowhere.onnx", "inspect", "--model", dir.resolve("nowhere.onnx").toString());
        assertBadInput("unknown op", "NonMaxSuppression", "inspect", "--model",
                model("unknown.onnx", List.of(node("nms", "NonMaxSuppression", List.of("x"), List.of("y")))).toString());
        assertBadInput("missing initializer", "'w'", "inspect", "--model",
                model("missing.onnx", List.of(node("mm", "MatMul", List.of("x", "w"), List.of("y")))).toString());
        assertBadInput("cycle", "cycle", "inspect", "--model", model("cycle.onnx", List.of(
                node("a", "Add", List.of("x", "b"), List.of("c")), node("r", "Relu", List.of("c"), List.of("b")),
                node("i", "Identity", List.of("b"), List.of("y")))).toString());
        Path wrongShape = dir.resolve("wrong.npy");
        Npy.write(wrongShape, Tensor.zeros(2, 3, 8, 8));
        assertBadInput("wrong input shape", "expects", "run", "--model", good.toString(), "--input", wrongShape.toString(),
                "--output", dir.resolve("o.npy").toString());
        Path text = dir.resolve("input.npy");
        Files.writeString(text, "not numpy");
        assertBadInput("not npy", "input.npy", "run", "--model", good.toString(), "--input", text.toString(),
                "--output", dir.resolve("o.npy").toString());
        assertBadInput("bad output name", "--output", "run", "--model", good.toString(), "--input", input.toString(),
                "--output", dir.resolve("o.txt").toString());
    }
}
