package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vector API max pooling with argmax ({@link PoolingSimd}) against the scalar loops
 * ({@link JavaPooling#maxWithArgmax}), bit for bit, on random geometries whose rows are narrower
 * and wider than a vector (overlapping last blocks, border windows, windows in the padding), with
 * few distinct values so that windows are full of ties, ±0, infinities and NaN — at both vector
 * widths (512 bits in a child JVM). MaxPoolTest checks the same kernels against a naive scan.
 */
class PoolingSimdTest {
    private static final float[] PALETTE = {Float.NEGATIVE_INFINITY, -1f, -0f, 0f, 1f, Float.POSITIVE_INFINITY,
        -Float.MAX_VALUE, Float.NaN};

    @TempDir
    Path dir;

    /** Runs the comparison in a child JVM and prints its outcome. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("width=" + PoolingSimd.width() + " " + compare(400));
        }
    }

    /** "ok N cases" or the first mismatch. */
    static String compare(int cases) {
        SplittableRandom r = new SplittableRandom(7);
        int run = 0;
        for (int c = 0; c < cases; c++) {
            int kh = 1 + r.nextInt(4);
            int kw = 1 + r.nextInt(5);
            int sh = 1 + r.nextInt(3);
            int sw = 1 + r.nextInt(3);
            int dh = 1 + r.nextInt(2);
            int dw = 1 + r.nextInt(2);
            int[] pads = {r.nextInt(kh + 1), r.nextInt(kw + 1), r.nextInt(kh + 1), r.nextInt(kw + 1)};
            int h = 1 + r.nextInt(12);
            int w = 1 + r.nextInt(45);
            PoolGeometry g;
            try {
                g = new PoolGeometry(2, 3, h, w, kh, kw, sh, sw, dh, dw, pads, r.nextBoolean());
            } catch (IllegalArgumentException empty) {
                continue;
            }
            if (g.outHeight < 1 || g.outWidth < 1) {
                continue;
            }
            float[] x = new float[g.batch * g.channels * h * w];
            int palette = r.nextInt(3) == 0 ? PALETTE.length : PALETTE.length - 1;
            boolean continuous = r.nextInt(4) == 0;
            for (int i = 0; i < x.length; i++) {
                x[i] = continuous ? (float) r.nextGaussian() : PALETTE[r.nextInt(palette)];
            }
            int n = g.batch * g.channels * g.outArea();
            int[] lo = new int[g.outWidth];
            int[] hi = new int[g.outWidth];
            for (int ox = 0; ox < g.outWidth; ox++) {
                int ix0 = ox * sw - g.padLeft;
                lo[ox] = JavaPooling.firstTap(ix0, dw, kw);
                hi[ox] = Math.max(lo[ox], JavaPooling.endTap(ix0, dw, kw, w));
            }
            float[] y = new float[n];
            int[] idx = new int[n];
            float[] want = new float[n];
            int[] wantIdx = new int[n];
            Arrays.fill(y, Float.NaN);
            Arrays.fill(idx, -7);
            PoolingSimd.maxForward(g, x, y, idx, lo, hi);
            JavaPooling.maxWithArgmax(g, x, want, wantIdx, lo, hi);
            for (int i = 0; i < n; i++) {
                if (Float.floatToRawIntBits(y[i]) != Float.floatToRawIntBits(want[i]) || idx[i] != wantIdx[i]) {
                    return "mismatch at output " + i + ": " + y[i] + "@" + idx[i] + " vs " + want[i] + "@" + wantIdx[i]
                            + " for kernel " + kh + "x" + kw + " stride " + sh + "," + sw + " dilation " + dh + ","
                            + dw + " pads " + Arrays.toString(pads) + " input " + h + "x" + w + " ceil " + g.ceilMode;
                }
            }
            run++;
        }
        return "ok " + run + " cases";
    }

    @Test
    void vectorLoopsMatchTheScalarLoopsBitForBit() {
        assumeTrue(Simd.ENABLED, "needs the Vector API");
        String out = compare(400);
        assertTrue(out.startsWith("ok"), out);
        assertTrue(Integer.parseInt(out.split(" ")[1]) >= 200, "too few valid geometries: " + out);
    }

    @Test
    void sixteenFloatVectorsMatchTooInAWideJvm() throws Exception {
        assumeTrue(Simd.ENABLED, "needs the Vector API");
        Path log = dir.resolve("log.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dnetlens.simd.bits=512", "-cp",
                System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = Files.readString(log);
        assertTrue(out.contains(" ok "), out);
        int expectedWidth = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 16 : 8;
        assertTrue(out.contains("width=" + expectedWidth), out);
    }

    @Test
    void largeKernelsWhoseCodesAreNotExactFloatsAreLeftToTheScalarLoops() {
        assertTrue(PoolingSimd.supports(new PoolGeometry(1, 1, 9, 9, 3, 3, 2, 2, 1, 1, new int[4], false)));
        assertEquals(false, PoolingSimd.supports(new PoolGeometry(1, 1, 4096, 4096, 4096, 4096, 1, 1, 1, 1,
                new int[4], false)));
    }
}
