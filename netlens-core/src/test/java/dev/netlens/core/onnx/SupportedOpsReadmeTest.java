package dev.netlens.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's list of supported ONNX ops is generated from the op table and must stay in sync. */
class SupportedOpsReadmeTest {
    @Test
    void readmeListsExactlyTheOpTable() throws Exception {
        Path readme = Path.of("..", "README.md");
        assertTrue(Files.exists(readme), "README.md not found from " + Path.of("").toAbsolutePath());
        String text = Files.readString(readme);
        String begin = "<!-- supported-ops:begin";
        String end = "<!-- supported-ops:end -->";
        int from = text.indexOf('\n', text.indexOf(begin)) + 1;
        int to = text.indexOf(end);
        assertTrue(from > 0 && to > from, "README has no supported-ops section");
        assertEquals(SupportedOps.markdown(), text.substring(from, to),
                "README's supported-ops section is stale; regenerate it with "
                        + "java -cp netlens-cli/target/netlens.jar dev.netlens.core.onnx.SupportedOps");
    }
}
