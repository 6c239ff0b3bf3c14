package dev.netlens.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F(2×2, 3×3) transform loops of {@link Winograd} whose reads or writes step by 2 (so the JIT
 * does not vectorise them), written with the Vector API ({@code jdk.incubator.vector}) on blocks of
 * one vector of tiles (8, or 16 with {@code netlens.simd.bits=512}: {@link Simd}; {@link Winograd}
 * calls them at 8 only, see {@code Winograd.simdTransforms}): even and odd
 * elements are split (or interleaved) by in-register permutations and blends. The last block of a
 * row is moved back to end at the row's last tile, overlapping the one before (those tiles are
 * written twice with the same values), so rows of at least one block need no scalar remainder;
 * shorter rows stay scalar (4-float blocks measured slower than the scalar loops on JDK 17, and so
 * did F(4×4)'s 4-way splits). Same arithmetic in the same order as the
 * scalar loops, so the results are bit-identical.
 *
 * <p>Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} (see
 * {@link Simd}); the {@code netlens} launcher and the tests do, other JVMs use the scalar loops.
 */
final class WinogradSimd {
    /** The width of the other vector kernels ({@link Simd}: one width per JVM): 8 or 16 floats. */
    private static final VectorSpecies<Float> S = Simd.WIDE && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    /** Tiles per block: one vector. */
    static final int LANES = S.length();
    private static final int HALF = LANES / 2;
    /** The even lanes of a vector, twice: the even elements of two vectors after a blend. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * (i % HALF));
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * (i % HALF) + 1);
    /** Each lane of the lower half twice, and each of the upper half: interleaving two vectors after a blend. */
    private static final VectorShuffle<Float> LOW_PAIRS = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorShuffle<Float> HIGH_PAIRS = VectorShuffle.fromOp(S, i -> HALF + i / 2);
    private static final VectorMask<Float> UPPER = S.indexInRange(-HALF, HALF);
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL);

    private WinogradSimd() {
    }

    /**
     * Bᵀ across the columns of one row r (after Bᵀ down the rows): for tile j with a_i = r[2j + i],
     * out[o0 + j] = a0 − a2, out[o1 + j] = a1 + a2, out[o2 + j] = a2 − a1, out[o3 + j] = a1 − a3,
     * planes {@code planeStride} apart; r holds at least 2·tw + 2 floats. Returns the number of
     * tiles done from 0: tw when tw ≥ {@link #LANES}, else 0 (the caller does the rest).
     */
    static int inputColumnsF2(float[] r, float[] out, int o0, int planeStride, int tw) {
        if (tw >= LANES) {
            for (int j = 0; ; j += LANES) {
                int at = Math.min(j, tw - LANES);
                inputBlock(r, out, o0 + at, planeStride, 2 * at);
                if (at == tw - LANES) {
                    return tw;
                }
            }
        }
        return 0;
    }

    private static void inputBlock(float[] r, float[] out, int o, int ps, int c) {
        FloatVector x0 = FloatVector.fromArray(S, r, c);
        FloatVector x1 = FloatVector.fromArray(S, r, c + LANES);
        FloatVector y0 = FloatVector.fromArray(S, r, c + 2);
        FloatVector y1 = FloatVector.fromArray(S, r, c + LANES + 2);
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
     * rows written when {@code second}). Returns full when full ≥ {@link #LANES}, else 0 (the caller does the
     * rest).
     */
    static int outputRowF2(float[] p, int t0, int tw, int s1, float b, float[] y, int row0, boolean second, int w) {
        int full = Math.min(tw, w / 2);
        if (full >= LANES) {
            for (int j = 0; ; j += LANES) {
                int at = Math.min(j, full - LANES);
                outputBlock(p, t0 + at, s1, b, y, row0 + 2 * at, second, w);
                if (at == full - LANES) {
                    return full;
                }
            }
        }
        return 0;
    }

    /**
     * One block of {@link #LANES} tiles. Vectors stay inside this method: on JDK 17 a vector passed to or
     * returned from a method C2 does not inline is boxed (an allocation per vector) — the
     * interleaving used to be a helper taking two vectors, and allocation profiling of integrated
     * gradients showed 175 MB of boxed vectors per call from here.
     */
    private static void outputBlock(float[] p, int c, int s1, float b, float[] y, int x0, boolean second,
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
        // y[x0 + 2j] = even[j], y[x0 + 2j + 1] = odd[j], j < LANES (for the top row, then the bottom row).
        FloatVector even = t0v.add(t1v).add(t2v).add(bias);
        FloatVector odd = t1v.sub(t2v).sub(t3v).add(bias);
        even.rearrange(LOW_PAIRS).blend(odd.rearrange(LOW_PAIRS), ODD_LANES).intoArray(y, x0);
        even.rearrange(HIGH_PAIRS).blend(odd.rearrange(HIGH_PAIRS), ODD_LANES).intoArray(y, x0 + LANES);
        if (second) {
            even = b0v.add(b1v).add(b2v).add(bias);
            odd = b1v.sub(b2v).sub(b3v).add(bias);
            even.rearrange(LOW_PAIRS).blend(odd.rearrange(LOW_PAIRS), ODD_LANES).intoArray(y, x0 + w);
            even.rearrange(HIGH_PAIRS).blend(odd.rearrange(HIGH_PAIRS), ODD_LANES).intoArray(y, x0 + w + LANES);
        }
    }
}
