package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One vector width per JVM ({@link Simd}): 8-float vectors for everything by default; with
 * {@code netlens.simd.bits=512}, 16-float direct-convolution kernels where the CPU has them (the
 * Winograd transforms then take their scalar loops, and are checked at 16 floats all the same); any other value is refused with a message.
 */
class SimdWidthTest {
    @TempDir
    Path dir;

    /** Runs in a child JVM: prints the widths that JVM chose. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("direct=" + DirectConv.BITS + " winogradSimd=" + Winograd.simdTransforms()
                    + " wideKernels=" + DirectConv.wide);
        }
    }

    /** Runs in a child JVM: {@link WinogradSimdTest}'s bit-for-bit checks at that JVM's width. */
    public static final class WinogradProbe {
        public static void main(String[] args) {
            WinogradSimdTest t = new WinogradSimdTest();
            t.inputColumnsMatchTheFormulaBitForBit();
            t.outputRowsMatchTheFormulaBitForBit();
            System.out.println("winograd loops bit-identical at " + WinogradSimd.LANES + " lanes");
        }
    }

    /** Runs in a child JVM: {@link StemConvTest}'s checks at that JVM's width. */
    public static final class StemProbe {
        public static void main(String[] args) {
            StemConvTest t = new StemConvTest();
            t.forwardAgreesWithJavaOnManyGeometries();
            t.anImageAfterALargerOneIsPaddedWithZeros();
            t.equalReceptiveFieldsGiveBitEqualOutputs();
            t.takesStemsOnly();
            System.out.println("stem kernel checks passed with " + StemConv.CHANNEL_BLOCK + "-channel blocks");
        }
    }

    /** Runs in a child JVM: {@link ChannelBlockGemmTest}'s checks at that JVM's width. */
    public static final class ChannelBlockProbe {
        public static void main(String[] args) {
            ChannelBlockGemmTest t = new ChannelBlockGemmTest();
            t.forwardAgreesWithJava();
            t.dataGradientAgreesWithJava();
            t.editedDeclaredWeightsArePackedAgain();
            t.everyColumnIsTheSameSumWhicheverPathComputesIt();
            System.out.println("channel-block product checks passed with " + ChannelBlockKernel.CHANNEL_BLOCK
                    + "-channel blocks");
        }
    }

    private String probe(String... properties) throws Exception {
        return run(Probe.class, properties);
    }

    private String run(Class<?> main, String... properties) throws Exception {
        Path log = dir.resolve("log.txt");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(java.util.List.of(properties));
        cmd.add(main.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
        return Files.readString(log);
    }

    @Test
    void theDefaultIsOneNarrowWidth() throws Exception {
        assumeTrue(Simd.ENABLED, "needs the Vector API");
        String out = probe();
        assertTrue(out.contains("direct=256 winogradSimd=true wideKernels=false"), out);
    }

    @Test
    void wideMeansSixteenFloatKernelsWhereTheCpuHasThem() throws Exception {
        assumeTrue(Simd.ENABLED, "needs the Vector API");
        String out = probe("-Dnetlens.simd.bits=512");
        boolean cpuHas512 = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
        // the Winograd transforms take the scalar loops at 16 floats (see Winograd.simdTransforms)
        assertTrue(out.contains("direct=" + (cpuHas512 ? 512 : 256) + " winogradSimd=" + !cpuHas512
                + " wideKernels=" + cpuHas512), out);
    }

    /** Runs {@code probe} in a JVM with 16-float vectors (skipped without them) and checks it printed {@code expected}. */
    private void assertAtSixteenFloats(Class<?> probe, String expected) throws Exception {
        assumeTrue(Simd.ENABLED, "needs the Vector API");
        assumeTrue(FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512, "needs a CPU with 16-float vectors");
        String out = run(probe, "-Dnetlens.simd.bits=512");
        assertTrue(out.contains(expected), out);
    }

    @Test
    void theWinogradLoopsAreBitIdenticalAtTheWideWidthToo() throws Exception {
        assertAtSixteenFloats(WinogradProbe.class, "winograd loops bit-identical at 16 lanes");
    }

    @Test
    void theStemKernelAgreesAtTheWideWidthToo() throws Exception {
        assertAtSixteenFloats(StemProbe.class, "stem kernel checks passed with 64-channel blocks");
    }

    @Test
    void theChannelBlockProductAgreesAtTheWideWidthToo() throws Exception {
        assertAtSixteenFloats(ChannelBlockProbe.class, "channel-block product checks passed with 64-channel blocks");
    }

    @Test
    void anotherWidthIsRefused() throws Exception {
        assumeTrue(Simd.ENABLED, "needs the Vector API");
        String out = probe("-Dnetlens.simd.bits=384");
        assertTrue(out.contains("netlens.simd.bits must be 256 or 512, got '384'"), out);
    }
}
