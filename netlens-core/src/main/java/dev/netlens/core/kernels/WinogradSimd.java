package dev.netlens.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F(2×2, 3×3) transform loops of {@link Winograd} whose reads or writes step by 2 (so the JIT
 * does not vectorise them), written with the Vector API ({@code jdk.incubator.vector}) on 8 floats:
 * even and odd elements are split (or interleaved) by in-register permutations and blends. Same
 * arithmetic in the same order as the scalar loops, so the results are bit-identical.
 *
 * <p>Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} (see
 * {@link Simd}); the {@code netlens} launcher and the tests do, other JVMs use the scalar loops.
 */
final class WinogradSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Lanes 0, 2, 4, 6 of a vector, twice: the even elements of two vectors after a blend. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromValues(S, 0, 2, 4, 6, 0, 2, 4, 6);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromValues(S, 1, 3, 5, 7, 1, 3, 5, 7);
    /** Each of lanes 0–3 twice, and each of lanes 4–7 twice: interleaving two vectors after a blend. */
    private static final VectorShuffle<Float> LOW_PAIRS = VectorShuffle.fromValues(S, 0, 0, 1, 1, 2, 2, 3, 3);
    private static final VectorShuffle<Float> HIGH_PAIRS = VectorShuffle.fromValues(S, 4, 4, 5, 5, 6, 6, 7, 7);
    private static final VectorMask<Float> UPPER = VectorMask.fromValues(S, false, false, false, false, true, true,
            true, true);
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromValues(S, false, true, false, true, false,
            true, false, true);

    private WinogradSimd() {
    }

    /** Elements 2j of r[at …], j = 0 … 7. */
    private static FloatVector evens(float[] r, int at) {
        FloatVector a = FloatVector.fromArray(S, r, at);
        FloatVector b = FloatVector.fromArray(S, r, at + 8);
        return a.rearrange(EVEN).blend(b.rearrange(EVEN), UPPER);
    }

    /** Elements 2j + 1 of r[at …], j = 0 … 7. */
    private static FloatVector odds(float[] r, int at) {
        FloatVector a = FloatVector.fromArray(S, r, at);
        FloatVector b = FloatVector.fromArray(S, r, at + 8);
        return a.rearrange(ODD).blend(b.rearrange(ODD), UPPER);
    }

    /**
     * Bᵀ across the columns of one row r (after Bᵀ down the rows): for tile j with a_i = r[2j + i],
     * out[o0 + j] = a0 − a2, out[o1 + j] = a1 + a2, out[o2 + j] = a2 − a1, out[o3 + j] = a1 − a3,
     * planes {@code planeStride} apart. Returns the number of tiles done (a multiple of 8; the caller
     * finishes the rest). r must hold 2·tw + 8 floats past the last full block's start.
     */
    static int inputColumnsF2(float[] r, float[] out, int o0, int planeStride, int tw) {
        int o1 = o0 + planeStride;
        int o2 = o1 + planeStride;
        int o3 = o2 + planeStride;
        int j = 0;
        for (; j + 8 <= tw && 2 * j + 18 <= r.length; j += 8) {
            int c = 2 * j;
            FloatVector a0 = evens(r, c);
            FloatVector a1 = odds(r, c);
            FloatVector a2 = evens(r, c + 2);
            FloatVector a3 = odds(r, c + 2);
            a0.sub(a2).intoArray(out, o0 + j);
            a1.add(a2).intoArray(out, o1 + j);
            a2.sub(a1).intoArray(out, o2 + j);
            a1.sub(a3).intoArray(out, o3 + j);
        }
        return j;
    }

    /**
     * Aᵀ P A for tiles j of one row of one output channel, as {@code Winograd.outputRowF2}, for the
     * blocks of 8 tiles whose 16 output columns lie inside the width (both output rows written when
     * {@code second}). Returns the number of tiles done (a multiple of 8).
     */
    static int outputRowF2(float[] p, int t0, int tw, int s1, float b, float[] y, int row0, boolean second, int w) {
        FloatVector bias = FloatVector.broadcast(S, b);
        int j = 0;
        for (; j + 8 <= tw && 2 * j + 16 <= w; j += 8) {
            int c = t0 + j;
            FloatVector p1 = FloatVector.fromArray(S, p, c + 4 * s1);
            FloatVector p2 = FloatVector.fromArray(S, p, c + 8 * s1);
            FloatVector t0v = FloatVector.fromArray(S, p, c).add(p1).add(p2);
            FloatVector b0v = p1.sub(p2).sub(FloatVector.fromArray(S, p, c + 12 * s1));
            p1 = FloatVector.fromArray(S, p, c + 5 * s1);
            p2 = FloatVector.fromArray(S, p, c + 9 * s1);
            FloatVector t1v = FloatVector.fromArray(S, p, c + s1).add(p1).add(p2);
            FloatVector b1v = p1.sub(p2).sub(FloatVector.fromArray(S, p, c + 13 * s1));
            p1 = FloatVector.fromArray(S, p, c + 6 * s1);
            p2 = FloatVector.fromArray(S, p, c + 10 * s1);
            FloatVector t2v = FloatVector.fromArray(S, p, c + 2 * s1).add(p1).add(p2);
            FloatVector b2v = p1.sub(p2).sub(FloatVector.fromArray(S, p, c + 14 * s1));
            p1 = FloatVector.fromArray(S, p, c + 7 * s1);
            p2 = FloatVector.fromArray(S, p, c + 11 * s1);
            FloatVector t3v = FloatVector.fromArray(S, p, c + 3 * s1).add(p1).add(p2);
            FloatVector b3v = p1.sub(p2).sub(FloatVector.fromArray(S, p, c + 15 * s1));
            int x0 = row0 + 2 * j;
            interleave(t0v.add(t1v).add(t2v).add(bias), t1v.sub(t2v).sub(t3v).add(bias), y, x0);
            if (second) {
                interleave(b0v.add(b1v).add(b2v).add(bias), b1v.sub(b2v).sub(b3v).add(bias), y, x0 + w);
            }
        }
        return j;
    }

    /** y[at + 2j] = even[j], y[at + 2j + 1] = odd[j], j = 0 … 7. */
    private static void interleave(FloatVector even, FloatVector odd, float[] y, int at) {
        even.rearrange(LOW_PAIRS).blend(odd.rearrange(LOW_PAIRS), ODD_LANES).intoArray(y, at);
        even.rearrange(HIGH_PAIRS).blend(odd.rearrange(HIGH_PAIRS), ODD_LANES).intoArray(y, at + 8);
    }
}
