package dev.netlens.core.kernels;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A scope, on the calling thread, in which forward convolutions compute every output position by
 * the same sequence of float operations, so that positions whose receptive fields hold equal
 * values get bit-equal outputs: exact ties stay exact ties. Inside it {@link OpenBlasKernels}
 * hands forward convolutions to {@link UniformConv} (Vector API), or to the Java kernels on JVMs
 * without the Vector API ({@link JavaGemm} sums every element of its product in the same ascending
 * order, as separate multiplies and adds; several times slower). Depthwise convolutions run on
 * their Java loops in and out of the scope; they are uniform already.
 *
 * <p>Data and filter gradients keep their fast kernels: ties are decided in the forward pass
 * (ReLU masks, max-pool indices), and a gradient pass only follows those decisions, so its
 * rounding stays at rounding level.
 *
 * <p>Why it matters. Outside the scope, OpenBLAS computes the last columns of a product with edge
 * micro-kernels that sum in another order than its main ones (measured on constant planes:
 * im2col + OpenBLAS for a stride-2 16 → 32 convolution of 12×12 planes at batch 32 — the path
 * with {@code netlens.simd=off}; by default the direct kernels take it — gave unequal interiors on
 * 868 of 1024 output planes, and a 7×7 stride-2 3 → 16 stem over 40×40 planes at batch 1 on 15 of
 * 16), and
 * {@link Winograd}'s tile products do the same across tiles; once a pool mixes such values into
 * the next layer's input, its tiles are no longer constant and their outputs come out near-tied
 * instead of tied. On ordinary images that is noise far below anything a gradient can see. On a
 * blank image — the all-zero baseline of integrated gradients, which the trapezoid and left
 * Riemann rules evaluate — every feature map is constant away from the borders, every max-pool
 * window there is an exact tie, and the gradient of a tied maximum goes to whichever element
 * rounding made largest instead of the window's first element, where PyTorch (oneDNN) and exact
 * arithmetic send it. Measured on torchvision's VGG11-bn (random weights) at the zero input:
 * relative L2 distance 0.5 between netlens' and PyTorch's input gradients with the fast kernels.
 *
 * <p>These kernels are slower than the usual ones: use the scope for the few evaluations at such
 * inputs, not for whole runs.
 *
 * <p>The scope nests; kernels read it on the thread that dispatches the convolution (graph
 * execution dispatches on the caller's thread).
 */
public final class UniformConvolutions {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private UniformConvolutions() {
    }

    /** Runs {@code body} with position-uniform convolutions on this thread and returns its result. */
    public static <T> T call(Supplier<T> body) {
        Objects.requireNonNull(body, "body");
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            return body.get();
        } finally {
            depth[0]--;
        }
    }

    /** A forward convolution with uniform arithmetic (not depthwise). */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        if (Simd.ENABLED) {
            UniformConv.forward(g, x, w, bias, y);
        } else {
            Kernels.java().convForward(g, x, w, bias, y);
        }
    }

    /** Whether this thread is inside {@link #call}. */
    public static boolean active() {
        return DEPTH.get()[0] > 0;
    }
}
