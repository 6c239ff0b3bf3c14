package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.Architectures;
import dev.netlens.core.onnx.OnnxExporter;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dissection report opens and renders in a real browser: headless Chromium (Debian's package,
 * which .ci/run installs) takes a screenshot, which must show the page — the report's bar-chart
 * colour, unit images, and not a blank or error page.
 */
class DissectReportBrowserTest {
    @TempDir
    Path dir;

    static Path chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        Path browser = chromium();
        assumeTrue(browser != null, "Chromium is not installed (apt install chromium)");
        Path data = dir.resolve("scenes");
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(new StringWriter(), true);
        PrintWriter e = new PrintWriter(err, true);
        assertEquals(0, Main.execute(new String[] {"concepts", "generate", "--out", data.toString(), "--count", "16",
            "--size", "32"}, o, e), err.toString());
        Graph g = Architectures.create("resnet8", new int[] {3, 32, 32}, 12, 1).toBuilder()
                .metadata("netlens.input_size", "32,32").build();
        Path model = dir.resolve("m.onnx");
        OnnxExporter.write(g, model);
        Path result = dir.resolve("dissection");
        assertEquals(0, Main.execute(new String[] {"dissect", "--model", model.toString(), "--data", data.toString(),
            "--layer", "layer2.0.relu2", "--out", result.toString()}, o, e), err.toString());

        Path shot = dir.resolve("shot.png");
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1200,1600", "--screenshot=" + shot,
                result.resolve("index.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "Chromium did not finish within 90 s");
        assertTrue(Files.exists(shot), "no screenshot: " + Files.readString(dir.resolve("chromium.log")));
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1200, img.getWidth());
        int barColour = 0;
        int distinct = 0;
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0x4c78a8) {
                    barColour++;
                }
                if (colours.size() < 5000) {
                    colours.add(rgb);
                }
            }
        }
        distinct = colours.size();
        assertTrue(barColour > 50, "the bar charts are not visible (" + barColour + " pixels of their colour)");
        assertTrue(distinct > 500, "the page looks blank or imageless (" + distinct + " colours)");
    }
}
