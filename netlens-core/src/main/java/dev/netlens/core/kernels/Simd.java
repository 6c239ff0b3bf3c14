package dev.netlens.core.kernels;

/**
 * Whether kernels may use the Vector API ({@code jdk.incubator.vector}, an incubator module of JDK
 * 17): only when the JVM was started with {@code --add-modules jdk.incubator.vector} — the
 * {@code netlens} launcher and the tests are — and the system property {@code netlens.simd} is not
 * {@code off}. Otherwise the classes using it are never loaded and the scalar loops run. The
 * Winograd transforms ({@link WinogradSimd}) give bit-identical results either way; the direct
 * convolutions of thin layers ({@link DirectConv}) and of stems ({@link StemConv}) replace
 * im2col + GEMM and agree with it to rounding only (another summation order), so a run is
 * reproducible bit for bit with the same choice of module, vector width and thread count.
 *
 * <p><b>One vector width per JVM.</b> With the system property {@code netlens.simd.bits=512} (the
 * launcher sets it for every command that loads the module) the direct convolutions use 16-float
 * vectors on CPUs that have them (AVX-512), and the Winograd transforms their scalar loops (JDK 17
 * does not compile their 16-float permutes; see {@code Winograd.simdTransforms}); by default (256)
 * both use 8-float vectors. Never both widths: JDK 17 compiles the Vector API's
 * shared implementation methods with the type profiles of every width that has run through them,
 * and code of the width that comes second then keeps its vectors as heap objects — measured 3–15×
 * slower (3.2 → 10.5 ms for a 16-channel 28×28 forward pass, 2.8 → 58 ms for a 64-channel 7×7
 * one, whichever family ran first). A fixed setting rather than "first to run wins", so that which
 * kernels run, and so the results, never depend on what the JVM ran before.
 */
final class Simd {
    /** Read once; constant for the JIT, so the branch not taken is compiled away. */
    static final boolean ENABLED = decide();

    /** Whether 512-bit vectors were asked for ({@code netlens.simd.bits=512}); read once. */
    static final boolean WIDE = wide();

    private Simd() {
    }

    private static boolean decide() {
        String p = System.getProperty("netlens.simd", "on").trim();
        if (!p.equals("on") && !p.equals("off")) {
            throw new IllegalArgumentException("netlens.simd must be on or off, got '" + p + "'");
        }
        return p.equals("on") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static boolean wide() {
        String p = System.getProperty("netlens.simd.bits", "256").trim();
        if (!p.equals("256") && !p.equals("512")) {
            throw new IllegalArgumentException("netlens.simd.bits must be 256 or 512, got '" + p + "'");
        }
        return p.equals("512");
    }
}
