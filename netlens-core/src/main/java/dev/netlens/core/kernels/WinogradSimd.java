package dev.netlens.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F(2×2, 3×3) transform loops of {@link Winograd} whose reads or writes step by 2 (so the JIT
 * does not vectorise them), written with the Vector API ({@code jdk.incubator.vector}) on blocks of
 * 8 tiles: even and odd elements are split (or interleaved) by in-register permutations and
 * blends. The last block of a row is moved back to end at the row's last tile, overlapping the one
 * before (those tiles are written twice with the same values), so rows of at least 8 tiles need no
 * scalar remainder; shorter rows stay scalar (4-float blocks measured slower than the scalar loops
 * on JDK 17, and so did F(4×4)'s 4-way splits). Same arithmetic in the same order as the
 * scalar loops, so the results are bit-identical.
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

    /**
     * Bᵀ across the columns of one row r (after Bᵀ down the rows): for tile j with a_i = r[2j + i],
     * out[o0 + j] = a0 − a2, out[o1 + j] = a1 + a2, out[o2 + j] = a2 − a1, out[o3 + j] = a1 − a3,
     * planes {@code planeStride} apart; r holds at least 2·tw + 2 floats. Returns the number of
     * tiles done from 0: tw when tw ≥ 8, else 0 (the caller does the rest).
     */
    static int inputColumnsF2(float[] r, float[] out, int o0, int planeStride, int tw) {
        if (tw >= 8) {
            for (int j = 0; ; j += 8) {
                int at = Math.min(j, tw - 8);
                inputBlock8(r, out, o0 + at, planeStride, 2 * at);
                if (at == tw - 8) {
                    return tw;
                }
            }
        }
        return 0;
    }

    private static void inputBlock8(float[] r, float[] out, int o, int ps, int c) {
        FloatVector x0 = FloatVector.fromArray(S, r, c);
        FloatVector x1 = FloatVector.fromArray(S, r, c + 8);
        FloatVector y0 = FloatVector.fromArray(S, r, c + 2);
        FloatVector y1 = FloatVector.fromArray(S, r, c + 10);
        FloatVector a0 = x0.rearrange(EVEN).blend(x1.rearrange(EVEN), UPPER);
        FloatVector a1 = x0.rearrange(ODD).blend(x1.rearrange(ODD), UPPER);
        FloatVector a2 = y0.rearrange(EVEN).blend(y1.rearrange(EVEN), UPPER);
        FloatVector a3 = y0.rearrange(ODD).blend(y1.rearrange(ODD), UPPER);
        a0.sub(a2).intoArray(out, o);
        a1.add(a2).intoArray(out, o + ps);
        a2.sub(a1).intoArray(out, o + 2 * ps);
        a1.sub(a3).intoArray(out, o + 3 * ps);
    }

    /**
     * Aᵀ P A for the tiles of one row of one output channel, as {@code Winograd.outputRowF2}, for
     * the tiles j < full = min(tw, ⌊w/2⌋) whose two output columns lie inside the width (both output
     * rows written when {@code second}). Returns full when full ≥ 8, else 0 (the caller does the
     * rest).
     */
    static int outputRowF2(float[] p, int t0, int tw, int s1, float b, float[] y, int row0, boolean second, int w) {
        int full = Math.min(tw, w / 2);
        if (full >= 8) {
            for (int j = 0; ; j += 8) {
                int at = Math.min(j, full - 8);
                outputBlock8(p, t0 + at, s1, b, y, row0 + 2 * at, second, w);
                if (at == full - 8) {
                    return full;
                }
            }
        }
        return 0;
    }

    /**
     * One block of 8 tiles. Vectors stay inside this method: on JDK 17 a vector passed to or
     * returned from a method C2 does not inline is boxed (an allocation per vector) — the
     * interleaving used to be a helper taking two vectors, and allocation profiling of integrated
     * gradients showed 175 MB of boxed vectors per call from here.
     */
    private static void outputBlock8(float[] p, int c, int s1, float b, float[] y, int x0, boolean second,
                                     int w) {
        FloatVector bias = FloatVector.broadcast(S, b);
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
        // y[x0 + 2j] = even[j], y[x0 + 2j + 1] = odd[j], j = 0 … 7 (for the top row, then the bottom row).
        FloatVector even = t0v.add(t1v).add(t2v).add(bias);
        FloatVector odd = t1v.sub(t2v).sub(t3v).add(bias);
        even.rearrange(LOW_PAIRS).blend(odd.rearrange(LOW_PAIRS), ODD_LANES).intoArray(y, x0);
        even.rearrange(HIGH_PAIRS).blend(odd.rearrange(HIGH_PAIRS), ODD_LANES).intoArray(y, x0 + 8);
        if (second) {
            even = b0v.add(b1v).add(b2v).add(bias);
            odd = b1v.sub(b2v).sub(b3v).add(bias);
            even.rearrange(LOW_PAIRS).blend(odd.rearrange(LOW_PAIRS), ODD_LANES).intoArray(y, x0 + w);
            even.rearrange(HIGH_PAIRS).blend(odd.rearrange(HIGH_PAIRS), ODD_LANES).intoArray(y, x0 + w + 8);
        }
    }
}
