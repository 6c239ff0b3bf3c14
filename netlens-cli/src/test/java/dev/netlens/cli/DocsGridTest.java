package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.onnx.OnnxExporter;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.TestOnlyMethods;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Renders {@code docs/attribution-grid.png}: a real photo (Chelsea the cat, CC0) explained by a small
 * ResNet (3 stages of 16/32/64 channels, ImageNet stem, random weights from seed 7, ImageNet
 * normalisation, 224×224 input) with the registered attribution methods side by side. Runs only when
 * asked:
 *
 * <pre>
 * mvn -q test -pl netlens-cli -am -Dtest=DocsGridTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dnetlens.docs.grid=$PWD/docs/attribution-grid.png [-Dnetlens.docs.methods=saliency,grad-cam,…]
 * </pre>
 *
 * ({@code -am} builds netlens-core/data/explain from this checkout rather than taking whatever
 * snapshot jars the local Maven repository holds.) Methods: {@code netlens.docs.methods}, else the registered methods, those of {@link #PREFERRED}
 * first, at most {@link #MAX_COLUMNS}; with an empty registry, the test-only stand-ins of
 * {@link TestOnlyMethods}.
 * The model is left in {@code netlens-cli/target/docs/small-cnn.onnx}, and the equivalent
 * {@code netlens attribute} command is printed.
 */
@EnabledIfSystemProperty(named = "netlens.docs.grid", matches = ".+")
class DocsGridTest {
    static final List<String> PREFERRED = List.of("saliency", "input-x-gradient", "integrated-gradients", "smoothgrad",
            "guided-backprop", "grad-cam", "guided-grad-cam", "layer-cam", "score-cam", "lrp", "occlusion");
    static final String LAYER = "layer3.0.relu2";
    static final int MAX_COLUMNS = 8;

    @Test
    void renderDocsGrid() throws Exception {
        Path png = Path.of(System.getProperty("netlens.docs.grid")).toAbsolutePath();
        Path model = Path.of("target/docs/small-cnn.onnx").toAbsolutePath();
        Files.createDirectories(model.getParent());
        Graph g = ResNets.basic(new int[] {16, 32, 64}, new int[] {1, 1, 1}, 3, 10, true, 7).toBuilder()
                .metadata("netlens.input_size", "224,224")
                .metadata("netlens.mean", "0.485,0.456,0.406")
                .metadata("netlens.std", "0.229,0.224,0.225")
                .build();
        OnnxExporter.write(g, model);
        Path photo = Path.of(getClass().getResource("/images/chelsea.png").toURI()).toAbsolutePath();

        List<String> methods = methods();
        List<String> args = new ArrayList<>(List.of("attribute", "--model", model.toString(), "--input", photo.toString(),
                "--grid", String.join(",", methods), "--layer", LAYER, "--window", "3,16,16", "--stride", "3,8,8",
                "--seed", "0", "--output", png.toString(), "--force"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        System.out.println(out);
        System.out.println("equivalent command: ./netlens " + String.join(" ", args));
        assertEquals(0, code, err.toString());
    }

    private static List<String> methods() {
        String wanted = System.getProperty("netlens.docs.methods");
        if (wanted != null && !wanted.isBlank()) {
            return Arrays.stream(wanted.split(",")).map(String::trim).toList();
        }
        var registered = AttributionMethods.all().keySet();
        List<String> m = new ArrayList<>(PREFERRED.stream().filter(registered::contains).toList());
        registered.stream().filter(n -> !n.startsWith("test-") && !m.contains(n)).forEach(m::add);
        if (!m.isEmpty()) {
            return m.subList(0, Math.min(MAX_COLUMNS, m.size()));
        }
        TestOnlyMethods.register();
        return List.of(TestOnlyMethods.GRADIENT, TestOnlyMethods.ABS_GRADIENT, TestOnlyMethods.CAM);
    }
}
