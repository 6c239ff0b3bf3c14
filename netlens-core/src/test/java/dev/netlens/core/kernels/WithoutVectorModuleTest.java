package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} (an application embedding
 * netlens) still convolves: every path that would use the Vector API — Winograd transforms, direct
 * convolutions of thin layers in large batches — falls back to scalar Java or im2col + GEMM instead
 * of failing to load a class.
 */
class WithoutVectorModuleTest {
    @TempDir
    Path dir;

    /** Runs in the child JVM: convolutions that take the Vector API paths when the module is present. */
    public static final class Probe {
        public static void main(String[] args) {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                throw new IllegalStateException("the probe must run without jdk.incubator.vector");
            }
            Kernels k = Kernels.openblas();
            SplittableRandom r = new SplittableRandom(1);
            ConvGeometry[] geometries = {
                // thin, batch ≥ DirectConvChoice.MIN_BATCH: direct kernels with the module
                new ConvGeometry(DirectConvChoice.MIN_BATCH, 16, 12, 12, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
                new ConvGeometry(DirectConvChoice.MIN_BATCH, 16, 12, 12, 32, 1, 3, 3, 2, 2, 1, 1, new int[] {1, 1, 1, 1}),
                // declared weights, enough tiles: Winograd (Vector API transforms with the module)
                new ConvGeometry(1, 16, 40, 40, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
            };
            for (ConvGeometry g : geometries) {
                float[] x = new float[g.inputSize()];
                float[] w = new float[g.weightSize()];
                float[] dy = new float[g.outputSize()];
                for (float[] a : List.of(x, w, dy)) {
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) r.nextGaussian();
                    }
                }
                if (g.batch == 1) {
                    ConstantArrays.declare(w);
                }
                float[] y = new float[g.outputSize()];
                float[] dx = new float[g.inputSize()];
                float[] dw = new float[g.weightSize()];
                k.convForward(g, x, w, null, y);
                k.convBackwardData(g, dy, w, dx);
                k.convBackwardFilter(g, x, dy, dw, null);
                float[] reference = new float[g.outputSize()];
                Kernels.java().convForward(g, x, w, null, reference);
                for (int i = 0; i < y.length; i++) {
                    if (Math.abs(y[i] - reference[i]) > 1e-3f * (1 + Math.abs(reference[i]))) {
                        throw new IllegalStateException("output " + i + ": " + y[i] + " vs " + reference[i]);
                    }
                }
            }
            System.out.println("probe ok");
        }
    }

    @Test
    void convolutionsRunWithoutTheModule() throws Exception {
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dnetlens.threads=2", Probe.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("probe ok"), out);
    }
}
