package dev.netlens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.io.Npy;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.onnx.OnnxExporter;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.TestOnlyMethods;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netlens attribute} (and {@code bench} on a registry method) end to end, with test-only
 * methods registered under "test-…" names so that the command is exercised whatever the registry
 * holds: .npy and .png outputs with their .json provenance, --grid, overwriting, bad usage.
 */
class AttributeCommandTest extends CliTestBase {
    static final String GRAD = TestOnlyMethods.GRADIENT;
    static final String CAM = TestOnlyMethods.CAM;
    static final String ABS = TestOnlyMethods.ABS_GRADIENT;
    static final String LAYER = "layer2.0.relu2";

    @TempDir
    static Path shared;

    static Path model;
    static Path photo;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        TestOnlyMethods.register();
        Graph g = ResNets.basic(new int[] {8, 16}, new int[] {1, 1}, 3, 4, false, 3).toBuilder()
                .metadata("netlens.input_size", "32,32")
                .metadata("netlens.mean", "0.485,0.456,0.406")
                .metadata("netlens.std", "0.229,0.224,0.225")
                .metadata("netlens.classes", "[\"cat\", \"dog\", \"car\", \"cup\"]")
                .build();
        model = shared.resolve("small.onnx");
        OnnxExporter.write(g, model);
        photo = shared.resolve("chelsea.png");
        Files.copy(Path.of(AttributeCommandTest.class.getResource("/images/chelsea.png").toURI()), photo);
    }

    private String[] attribute(String... more) {
        String[] base = {"attribute", "--model", model.toString(), "--input", photo.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void npyOutputIsTheRawMapWithProvenance() throws Exception {
        Path a = dir.resolve("a.npy");
        assertEquals(0, run(attribute("--method", GRAD, "--target", "2", "--output", a.toString())), err);
        Tensor map = Npy.read(a);
        assertArrayEquals(new int[] {1, 3, 32, 32}, map.shape());
        String json = Files.readString(dir.resolve("a.npy.json"));
        assertTrue(json.contains("\"method\": \"" + GRAD + "\""), json);
        assertTrue(json.contains("\"target\": \"class 2\""), json);
        assertTrue(json.matches("(?s).*\"model_sha256\": \"[0-9a-f]{64}\".*"), json);
        assertTrue(json.contains("\"shape\": [1, 3, 32, 32]"), json);
        assertTrue(out.contains("wrote"), out);
    }

    @Test
    void camMapStaysAtTheLayerResolutionInNpyAndIsUpsampledInPng() throws Exception {
        Path a = dir.resolve("cam.npy");
        assertEquals(0, run(attribute("--method", CAM, "--layer", LAYER, "--output", a.toString())), err);
        assertArrayEquals(new int[] {1, 1, 16, 16}, Npy.read(a).shape());

        Path png = dir.resolve("cam.png");
        assertEquals(0, run(attribute("--method", CAM, "--layer", LAYER, "--output", png.toString())), err);
        BufferedImage img = ImageIO.read(png.toFile());
        // 32×32 input shown at 224×224 (7×), plus the colour bar to the right and a caption below.
        assertTrue(img.getWidth() > 224 + 20, "colour bar beside the image: " + img.getWidth());
        assertTrue(img.getHeight() >= 224, "height " + img.getHeight());
        assertTrue(Files.readString(dir.resolve("cam.png.json")).contains("\"layer\": \"" + LAYER + "\""));
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path a = dir.resolve("a.png");
        assertEquals(0, run(attribute("--method", GRAD, "--output", a.toString())), err);
        byte[] before = Files.readAllBytes(a);
        assertBad("second run", "--force", attribute("--method", ABS, "--output", a.toString()));
        assertArrayEquals(before, Files.readAllBytes(a), "the existing file is untouched");
        Files.delete(a);
        assertBad("the .json exists", "a.png.json", attribute("--method", GRAD, "--output", a.toString()));
        assertEquals(0, run(attribute("--method", ABS, "--output", a.toString(), "--force")), err);
        assertTrue(Files.readString(dir.resolve("a.png.json")).contains(ABS));
    }

    @Test
    void gridWritesOnePngComparingMethods() throws Exception {
        Path g = dir.resolve("grid.png");
        assertEquals(0, run(attribute("--grid", GRAD + "," + CAM + "," + ABS, "--layer", LAYER, "--output",
                g.toString())), err);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("grid.png", "grid.png.json"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        BufferedImage img = ImageIO.read(g.toFile());
        assertTrue(img.getWidth() >= 4 * 224, "four columns of 224: " + img.getWidth());
        String json = Files.readString(dir.resolve("grid.png.json"));
        assertTrue(json.contains("\"grid\"") && json.contains(GRAD) && json.contains(CAM) && json.contains(ABS), json);
    }

    @Test
    void tensorInputsAreShownInGrayscaleOneRowPerItem() throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Tensor.randomNormal(new SplittableRandom(5), 1f, 2, 3, 32, 32));
        Path a = dir.resolve("a.npy");
        assertEquals(0, run("attribute", "--model", model.toString(), "--input", x.toString(), "--method", GRAD,
                "--target", "1", "--output", a.toString()), err);
        assertArrayEquals(new int[] {2, 3, 32, 32}, Npy.read(a).shape());
        Path png = dir.resolve("batch.png");
        assertEquals(0, run("attribute", "--model", model.toString(), "--input", x.toString(), "--method", GRAD,
                "--output", png.toString()), err);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getHeight() > 2 * 224, "two rows: " + img.getHeight());
        int rgb = img.getRGB(img.getWidth() / 4, img.getHeight() / 3) & 0xffffff;
        assertEquals((rgb >> 16) & 0xff, rgb & 0xff, "the input column is gray");
    }

    @Test
    void helpListsTheRegisteredMethods() {
        assertEquals(0, run("attribute", "--help"));
        assertTrue(out.contains(GRAD) && out.contains(CAM) && out.contains("(test only) gradient-weighted"), out);
        assertTrue(out.contains("(needs"), out);
        assertTrue(out.contains("--window") && out.contains("--grid") && out.contains("--force"), out);
    }

    @Test
    void badUsageExitsWithTwoAndOneMessage() throws Exception {
        String a = dir.resolve("a.png").toString();
        assertBad("unknown method", "methods: ", attribute("--method", "no-such-method", "--output", a));
        assertTrue(err.contains(GRAD) && err.contains(CAM), "lists the known methods: " + err);
        assertBad("CAM without --layer", "--layer", attribute("--method", CAM, "--output", a));
        assertBad("bad window", "--window", attribute("--method", GRAD, "--window", "3,8", "--output", a));
        assertBad("bad stride", "--stride", attribute("--method", GRAD, "--window", "3,8,8", "--stride", "1,x,2",
                "--output", a));
        assertBad("neither", "--method", attribute("--output", a));
        assertBad("both", "not both", attribute("--method", GRAD, "--grid", GRAD, "--output", a));
        assertBad("grid to npy", ".png", attribute("--grid", GRAD + "," + ABS, "--output", dir.resolve("g.npy").toString()));
        assertBad("output type", ".npy", attribute("--method", GRAD, "--output", dir.resolve("a.txt").toString()));
        assertBad("target out of range", "out of range", attribute("--method", GRAD, "--target", "9", "--output", a));
        assertBad("unknown layer", "no-such-layer", attribute("--method", CAM, "--layer", "no-such-layer", "--output", a));
        assertBad("steps", "--steps", attribute("--method", GRAD, "--steps", "0", "--output", a));
        assertBad("clip", "--clip", attribute("--method", GRAD, "--clip", "0", "--output", a));
        assertBad("missing model", "does not exist", "attribute", "--model", dir.resolve("none.onnx").toString(),
                "--input", photo.toString(), "--method", GRAD, "--output", a);
        assertFalse(Files.exists(dir.resolve("a.png")), "nothing written on bad usage");
    }

    @Test
    void benchTimesARegistryMethod() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Tensor.randomNormal(new SplittableRandom(5), 1f, 1, 3, 32, 32));
        assertEquals(0, run("bench", "--model", model.toString(), "--input", x.toString(), "--method", CAM,
                "--layer", LAYER, "--repeat", "2", "--warmup", "1"), err);
        String[] lines = out.trim().split("\n");
        assertTrue(lines[lines.length - 1].matches("median_ms=[0-9.]+"), out);
        assertBad("bench: unknown method", "methods: ", "bench", "--model", model.toString(), "--input", x.toString(),
                "--method", "nope");
        assertBad("bench: CAM without layer", "--layer", "bench", "--model", model.toString(), "--input", x.toString(),
                "--method", CAM);
        assertEquals(0, run("bench", "--model", model.toString(), "--input", x.toString(), "--method", "forward",
                "--repeat", "1", "--warmup", "0"), err);
        assertTrue(out.contains("after 0 warm-up runs\n"), out);
        // The default warm-up: automatic, between its minimum and its count (this tiny model's passes
        // are fast enough for the count on any ordinary machine; the time limit ends it otherwise).
        assertEquals(0, run("bench", "--model", model.toString(), "--input", x.toString(), "--method", "forward",
                "--repeat", "1"), err);
        java.util.regex.Matcher auto = java.util.regex.Pattern.compile("after (\\d+) warm-up runs \\(auto\\)").matcher(out);
        assertTrue(auto.find(), out);
        int runs = Integer.parseInt(auto.group(1));
        assertTrue(runs >= BenchWarmup.MIN_RUNS && runs <= BenchWarmup.MAX_RUNS, out);
        assertBad("bench: negative warm-up", "--warmup must be auto or a count >= 0", "bench", "--model",
                model.toString(), "--input", x.toString(), "--method", "forward", "--warmup", "-1");
        assertBad("bench: warm-up word", "got 'some'", "bench", "--model", model.toString(), "--input", x.toString(),
                "--method", "forward", "--warmup", "some");
    }

    @Test
    void meanAndStdOnTheCommandLineAreTheNormalisationLrpBoundsFollow() throws Exception {
        // a model without normalisation metadata, and an input normalised elsewhere (standard normal)
        Path bare = dir.resolve("bare.onnx");
        OnnxExporter.write(ResNets.basic(new int[] {8, 16}, new int[] {1, 1}, 3, 4, false, 3), bare);
        Path x = dir.resolve("x.npy");
        Npy.write(x, Tensor.randomNormal(new java.util.SplittableRandom(3), 1f, 1, 3, 32, 32));
        String[] lrp = {"attribute", "--model", bare.toString(), "--input", x.toString(), "--method", "lrp",
            "--composite", "epsilon-gamma-box", "--target", "1", "--output", dir.resolve("r.npy").toString()};
        // zB's bounds default to [0, 1], which the input leaves: a clear error, not a meaningless map
        assertBad("zB bounds", "--mean", lrp);
        String[] declared = java.util.Arrays.copyOf(lrp, lrp.length + 4);
        System.arraycopy(new String[] {"--mean", "0.5", "--std", "0.1"}, 0, declared, lrp.length, 4);
        assertEquals(0, run(declared), err);
        for (float v : Npy.read(dir.resolve("r.npy")).data()) {
            assertTrue(Float.isFinite(v));
        }
    }

    private void assertBad(String what, String mustMention, String... args) {
        int code = run(args);
        assertEquals(2, code, what + ": exit code; stderr " + err + " stdout " + out);
        assertTrue(err.contains(mustMention), what + ": message should mention '" + mustMention + "': " + err);
        assertFalse(err.contains("\tat "), what + ": no stack trace: " + err);
        assertEquals(1, err.trim().lines().count(), what + ": one message: " + err);
    }
}
