package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlens.data.bundled.BundledFashionMnist;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's acceptance figure: the bundled model's accuracy on the 10 000 Fashion-MNIST test images,
 * measured by {@code netlens eval} exactly as the README shows (needs Debian's dataset-fashion-mnist,
 * which .ci/run installs).
 */
class BundledModelAccuracyTest {
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void bundledModelReaches92PercentOnTheTestSet() throws Exception {
        assumeTrue(Files.isDirectory(DATA), "Fashion-MNIST is not installed (apt install dataset-fashion-mnist)");
        Path model = dir.resolve("fashion.onnx");
        Files.write(model, BundledFashionMnist.modelBytes());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"eval", "--model", model.toString(), "--dataset", "idx:" + DATA},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        Matcher m = Pattern.compile("accuracy ([0-9.]+) \\((\\d+) of 10000\\)").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.92, out.toString());
    }
}
