package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void demoRunsTheEngineChecksTheBundledModelsAndADissection() throws Exception {
        java.nio.file.Path pictures = dir.resolve("demo");
        assertEquals(0, run("demo", "--size", "16", "--batch", "2", "--out", pictures.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.contains("engine OK"), text);
        assertTrue(text.contains("layer1.0.conv1"), text);
        assertTrue(!text.contains("FAIL"), text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of 100 bundled test images classified correctly")
                .matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Integer.parseInt(m.group(1)) >= 85, text);
        java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(pictures.resolve("fashion-attribution.png").toFile());
        assertTrue(grid.getWidth() > 500 && grid.getHeight() > 500, grid.getWidth() + "x" + grid.getHeight());
        assertTrue(text.contains("dissection of layer3.0.relu2:") && text.contains("report: "), text);
        String index = java.nio.file.Files.readString(pictures.resolve("index.html"));
        assertTrue(index.contains("fashion-attribution.png") && index.contains("dissection/index.html"), index);
        assertTrue(java.nio.file.Files.exists(pictures.resolve("dissection").resolve("index.html")));
        // a second run into the same directory refuses to overwrite the picture
        assertEquals(2, run("demo", "--size", "16", "--batch", "2", "--out", pictures.toString()));
        assertTrue(err.toString().contains("already exists"), err.toString());
    }

    @Test
    void badOptionsExitWithTwoAndOneMessage() {
        assertEquals(2, run("demo", "--size", "3"));
        assertTrue(err.toString().contains("--size"), err.toString());
        assertEquals(2, run("nonsense"));
        assertEquals(2, run("demo", "--no-such-option"));
    }

    @Test
    void everyCommandDocumentsItsOptions() {
        assertEquals(0, run("demo", "--help"));
        assertTrue(out.toString().contains("--seed"));
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("demo"));
    }

    @Test
    void everyHelpTextRendersWithoutFormatWarnings() {
        // picocli formats descriptions with String.format: a bare '%' makes it warn on stderr and
        // print the raw text. Render the help of every command and subcommand.
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int commands = 0;
        try {
            java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
            todo.add(new picocli.CommandLine(new Main()));
            while (!todo.isEmpty()) {
                picocli.CommandLine c = todo.poll();
                assertTrue(!c.getUsageMessage().isEmpty());
                commands++;
                todo.addAll(c.getSubcommands().values());
            }
        } finally {
            System.setErr(saved);
        }
        String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(commands > 10, "commands rendered: " + commands);
        assertTrue(!warnings.contains("Could not format"), warnings);
    }
}
