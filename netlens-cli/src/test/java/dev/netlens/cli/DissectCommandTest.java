package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.Architectures;
import dev.netlens.core.onnx.OnnxExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netlens dissect} end to end on generated concept scenes and a random-weight model. */
class DissectCommandTest extends CliTestBase {
    @TempDir
    Path dir;

    @Test
    void dissectsWritesTallyAndRefusesToOverwrite() throws Exception {
        Path data = dir.resolve("scenes");
        assertEquals(0, run("concepts", "generate", "--out", data.toString(), "--count", "24", "--size", "32"), err);
        Graph g = Architectures.create("resnet8", new int[] {3, 32, 32}, 12, 1).toBuilder()
                .metadata("netlens.input_size", "32,32").build();
        Path model = dir.resolve("m.onnx");
        OnnxExporter.write(g, model);
        Path result = dir.resolve("dissection");
        String[] args = {"dissect", "--model", model.toString(), "--data", data.toString(), "--layer", "layer3.0.relu2",
            "--out", result.toString(), "--batch", "8"};
        assertEquals(0, run(args), err);
        assertTrue(out.contains("layer3.0.relu2: 64 units"), out);
        List<String> tally = Files.readAllLines(result.resolve("tally.csv"));
        assertEquals(65, tally.size());
        assertTrue(tally.get(0).startsWith("unit,category,label,score"), tally.get(0));
        assertTrue(Files.readString(result.resolve("result.json")).contains("layer3.0.relu2"));
        String html = Files.readString(result.resolve("index.html"));
        assertTrue(html.contains("unit 1 ") && html.contains("assets/layer0-unit64.png"), "report lists every unit");
        assertTrue(Files.size(result.resolve("assets").resolve("layer0-unit1.png")) > 100);

        assertEquals(2, run(args));
        assertTrue(err.contains("already exists") && err.contains("--force"), err);
        assertEquals(2, run("dissect", "--model", model.toString(), "--data", data.toString(), "--layer", "nope",
                "--out", dir.resolve("x").toString()));
        assertTrue(err.contains("nope"), err);
    }
}
