package dev.netlens.core.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.io.Npy;
import dev.netlens.core.tensor.Tensor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Forward agreement with PyTorch on small modules exported by torch.onnx.export at opsets 11, 13
 * and 17, with and without exporter constant folding (fixtures and the script that made them in
 * src/test/resources/onnx/pytorch). Dynamic-batch exports are also run on a batch of one.
 */
class PyTorchExportsTest {
    /** max |Δ| / max |reference| allowed (the acceptance bound). */
    static final double TOLERANCE = 1e-4;

    static Path fixtures() throws URISyntaxException {
        return Path.of(PyTorchExportsTest.class.getResource("/onnx/pytorch/manifest.tsv").toURI()).getParent();
    }

    static double relativeError(Tensor expected, Tensor actual) {
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.size(); i++) {
            maxRef = Math.max(maxRef, Math.abs(expected.data()[i]));
            maxDiff = Math.max(maxDiff, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-30);
    }

    @Test
    void everyExportMatchesPyTorch() throws Exception {
        Path dir = fixtures();
        List<String> lines = Files.readAllLines(dir.resolve("manifest.tsv"));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f[0].isEmpty() || !f[7].startsWith("ok")) {
                continue; // an export PyTorch itself could not produce (recorded in the manifest)
            }
            String module = f[1];
            boolean dynamic = f[4].equals("dynamic");
            try {
                if (module.startsWith("local_response_norm")) {
                    // torch exports F.local_response_norm as ~20 ops including an If node and a 3-D
                    // AveragePool, neither of which netlens imports yet: the error must say so.
                    String m = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(dir.resolve(f[0])))
                            .getMessage();
                    assertTrue(m.contains("AveragePool") || m.contains("If"), m);
                    continue;
                }
                Graph g = OnnxImporter.load(dir.resolve(f[0]));
                String stem = Files.exists(dir.resolve(module + ".input.npy")) ? module : module.replace("_static", "");
                Tensor x = Npy.read(dir.resolve(stem + ".input.npy"));
                Tensor expected = Npy.read(dir.resolve(stem + ".output.npy"));
                Tensor y = g.run().forward(x).outputs().values().iterator().next();
                if (!Arrays.equals(expected.shape(), y.shape())) {
                    failures.add(f[0] + ": shape " + Arrays.toString(y.shape()) + " vs " + Arrays.toString(expected.shape()));
                    continue;
                }
                double err = relativeError(expected, y);
                if (!(err <= TOLERANCE)) {
                    failures.add(f[0] + ": relative error " + err);
                }
                if (dynamic && x.dim(0) > 1) {
                    Tensor one = firstItem(x);
                    Tensor y1 = g.run().forward(one).outputs().values().iterator().next();
                    double err1 = relativeError(firstItem(expected), y1);
                    if (!(err1 <= TOLERANCE)) {
                        failures.add(f[0] + ": batch of one: relative error " + err1);
                    }
                }
                checked++;
            } catch (RuntimeException e) {
                failures.add(f[0] + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + (checked + failures.size()) + " exports disagree:\n"
                + String.join("\n", failures));
        assertTrue(checked > 200, "only " + checked + " fixtures were checked");
    }

    static Tensor firstItem(Tensor t) {
        int[] s = t.shape();
        int per = t.size() / s[0];
        s[0] = 1;
        return Tensor.of(Arrays.copyOf(t.data(), per), s);
    }
}
