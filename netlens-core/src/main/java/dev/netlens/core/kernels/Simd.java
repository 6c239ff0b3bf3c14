package dev.netlens.core.kernels;

/**
 * Whether kernels may use the Vector API ({@code jdk.incubator.vector}, an incubator module of JDK
 * 17): only when the JVM was started with {@code --add-modules jdk.incubator.vector} — the
 * {@code netlens} launcher and the tests are — and the system property {@code netlens.simd} is not
 * {@code off}. Otherwise the classes using it are never loaded and the scalar loops run. The
 * Winograd transforms ({@link WinogradSimd}) give bit-identical results either way; the direct
 * convolutions of thin layers ({@link DirectConv}) replace im2col + GEMM and agree with it to
 * rounding only (another summation order), so a run is reproducible bit for bit with the same
 * choice of module (and thread count).
 */
final class Simd {
    /** Read once; constant for the JIT, so the branch not taken is compiled away. */
    static final boolean ENABLED = decide();

    private Simd() {
    }

    private static boolean decide() {
        String p = System.getProperty("netlens.simd", "on").trim();
        if (!p.equals("on") && !p.equals("off")) {
            throw new IllegalArgumentException("netlens.simd must be on or off, got '" + p + "'");
        }
        return p.equals("on") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
