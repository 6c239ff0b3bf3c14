package dev.netlens.core.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.io.Npy;
import dev.netlens.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Forward agreement (max |Δ| / max |ref| ≤ 1e-4) with PyTorch on the torchvision classification
 * family exported with random weights at opsets 11, 13 and 17, with and without exporter constant
 * folding. The exports are large (5.6 GB for all 78), so they are generated on demand:
 *
 * <pre>
 * /usr/bin/python3 netlens-core/src/test/resources/onnx/pytorch/make_torchvision_fixtures.py DIR
 * mvn test -pl netlens-core -Dtest=TorchvisionFamilyTest -Dnetlens.torchvision.dir=DIR
 * </pre>
 *
 * Without {@code netlens.torchvision.dir} (or the environment variable NETLENS_TORCHVISION_DIR)
 * the test is skipped — reported as skipped, with this explanation. CI generates a subset.
 */
class TorchvisionFamilyTest {

    static Path fixtureDir() {
        String dir = System.getProperty("netlens.torchvision.dir", System.getenv("NETLENS_TORCHVISION_DIR"));
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    @Test
    void torchvisionExportsMatchPyTorch() throws Exception {
        Path dir = fixtureDir();
        Assumptions.assumeTrue(dir != null && Files.exists(dir.resolve("manifest.tsv")),
                "no torchvision fixtures: generate them with make_torchvision_fixtures.py and pass "
                        + "-Dnetlens.torchvision.dir=DIR");
        List<String> lines = Files.readAllLines(dir.resolve("manifest.tsv"));
        String[] header = lines.get(0).split("\t", -1);
        int fileCol = indexOf(header, "file");
        int modelCol = indexOf(header, "model");
        int statusCol = indexOf(header, "status");
        List<String> failures = new ArrayList<>();
        List<String> report = new ArrayList<>();
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f[fileCol].isEmpty() || !f[statusCol].startsWith("ok") || !Files.exists(dir.resolve(f[fileCol]))) {
                continue;
            }
            String model = f[modelCol];
            long t0 = System.nanoTime();
            try {
                Graph g = OnnxImporter.load(dir.resolve(f[fileCol]));
                double loadMs = (System.nanoTime() - t0) / 1e6;
                Tensor x = Npy.read(dir.resolve(model + ".input.npy"));
                Tensor expected = Npy.read(dir.resolve(model + ".output.npy"));
                Tensor y = g.run().forward(x).outputs().values().iterator().next();
                double err = PyTorchExportsTest.relativeError(expected, y);
                report.add(String.format(Locale.ROOT, "%-40s relative error %.2e  load %.0f ms", f[fileCol], err, loadMs));
                if (!(err <= PyTorchExportsTest.TOLERANCE)) {
                    failures.add(f[fileCol] + ": relative error " + err);
                }
                checked++;
            } catch (RuntimeException e) {
                failures.add(f[fileCol] + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        System.out.println(String.join("\n", report));
        assertTrue(failures.isEmpty(), failures.size() + " of " + (checked + failures.size())
                + " torchvision exports disagree:\n" + String.join("\n", failures));
        assertTrue(checked > 0, "the manifest lists no fixture present in " + dir);
    }

    private static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("manifest has no column '" + name + "'");
    }
}
