package dev.netlens.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling with argmax written with the Vector API: the separable passes of
 * {@link JavaPooling#maxForward} on floats in registers instead of ordered longs. A vertical pass
 * takes, per input column, the first maximum over the window's rows together with its window
 * position code {@code ki·K} (K the power of two ≥ the kernel width); a horizontal pass takes, for
 * every window start at full resolution, the first maximum over the window's columns, the code
 * becoming {@code ki·K + kj}; the outputs are then read off at the strided starts. "First" is in
 * window order (row-major), exactly as a first-maximum scan: a later element wins only when it is
 * greater, or equal (±0 tie) with a smaller code, or NaN where the best is not (NaN ranks above
 * everything; between NaNs the smaller code wins). Outputs are the winning elements themselves, so
 * values and indices are bit-identical to {@link JavaPooling}'s scalar loops.
 *
 * <p>Blocks of a row overlap at its end instead of a scalar remainder (those lanes are computed
 * twice with the same values); rows narrower than one vector, windows cut by the border and
 * codes too large for a float's integers (kernels with kh·K ≥ 2²⁴) go through scalar code.
 *
 * <p>Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} (see
 * {@link Simd}); the vector width is that of {@link DirectConv} (one width per JVM).
 */
final class PoolingSimd {
    private static final VectorSpecies<Float> S = Simd.WIDE && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int L = S.length();

    private PoolingSimd() {
    }

    /** Floats per vector: 8, or 16 in a JVM of 512-bit kernels. */
    static int width() {
        return L;
    }

    /** Whether this geometry's window codes are exact floats (kh · K < 2²⁴). */
    static boolean supports(PoolGeometry g) {
        return (long) g.kernelHeight * codeWidth(g.kernelWidth) < (1 << 24);
    }

    private static int codeWidth(int kernelWidth) {
        return Integer.highestOneBit(Math.max(1, kernelWidth - 1)) << 1;
    }

    /**
     * Max pooling of every plane into y with the flat index of each winner in argmax; kjLo/kjHi
     * are the valid column taps per output column (as in {@link JavaPooling#maxForward}).
     */
    static void maxForward(PoolGeometry g, float[] x, float[] y, int[] argmax, int[] kjLo, int[] kjHi) {
        final int w = g.inWidth;
        final int ow = g.outWidth;
        final int kw = g.kernelWidth;
        final int dw = g.dilationWidth;
        final int sw = g.strideWidth;
        final int shift = Integer.numberOfTrailingZeros(codeWidth(kw));
        final int codeMask = (1 << shift) - 1;
        // Window starts s whose every tap s + kj·dw lies in [0, w): the horizontal pass's range.
        final int starts = w - (kw - 1) * dw;
        Parallel.range(g.batch * g.channels, 4, (from, to) -> {
            float[] colV = new float[w];
            float[] colP = new float[w];
            float[] winV = new float[Math.max(starts, 0)];
            float[] winP = new float[Math.max(starts, 0)];
            for (int plane = from; plane < to; plane++) {
                int xOff = plane * g.inArea();
                int yOff = plane * g.outArea();
                for (int oy = 0; oy < g.outHeight; oy++) {
                    int iy0 = oy * g.strideHeight - g.padTop;
                    int kiLo = JavaPooling.firstTap(iy0, g.dilationHeight, g.kernelHeight);
                    int kiHi = JavaPooling.endTap(iy0, g.dilationHeight, g.kernelHeight, g.inHeight);
                    int yRow = yOff + oy * ow;
                    if (kiLo >= kiHi) {
                        JavaPooling.emptyRow(y, argmax, yRow, ow);
                        continue;
                    }
                    int rowStride = g.dilationHeight * w;
                    int firstRow = xOff + (iy0 + kiLo * g.dilationHeight) * w;
                    vertical(x, firstRow, rowStride, kiLo, kiHi, shift, w, colV, colP);
                    if (starts >= L) {
                        horizontal(colV, colP, dw, kw, starts, winV, winP);
                    }
                    int rowBase = xOff + iy0 * w;
                    for (int ox = 0; ox < ow; ox++) {
                        int o = yRow + ox;
                        int lo = kjLo[ox];
                        int hi = kjHi[ox];
                        int s = ox * sw - g.padLeft;
                        float best;
                        int code;
                        if (lo == 0 && hi == kw && starts >= L) {
                            best = winV[s];
                            code = (int) winP[s];
                        } else if (lo >= hi) {
                            y[o] = JavaPooling.EMPTY_WINDOW;
                            argmax[o] = -1;
                            continue;
                        } else {
                            best = colV[s + lo * dw];
                            float bestCode = colP[s + lo * dw] + lo;
                            for (int kj = lo + 1; kj < hi; kj++) {
                                float v = colV[s + kj * dw];
                                float c = colP[s + kj * dw] + kj;
                                if (beats(v, c, best, bestCode)) {
                                    best = v;
                                    bestCode = c;
                                }
                            }
                            code = (int) bestCode;
                        }
                        int ki = code >>> shift;
                        int kj = code & codeMask;
                        y[o] = best;
                        argmax[o] = rowBase + ki * rowStride + s + kj * dw;
                    }
                }
            }
        });
    }

    /** Whether element v with code c replaces the best so far (bestValue, bestCode) in a first-maximum scan. */
    private static boolean beats(float v, float c, float bestValue, float bestCode) {
        if (Float.isNaN(v)) {
            return !Float.isNaN(bestValue) || c < bestCode;
        }
        return v > bestValue || (v == bestValue && c < bestCode);
    }

    /** colV/colP[i] = the first maximum over rows kiLo..kiHi−1 of column i and its code ki·K. */
    private static void vertical(float[] x, int firstRow, int rowStride, int kiLo, int kiHi, int shift, int w,
                                 float[] colV, float[] colP) {
        if (w < L) {
            for (int i = 0; i < w; i++) {
                float best = x[firstRow + i];
                int bestRow = kiLo;
                for (int ki = kiLo + 1, at = firstRow + rowStride; ki < kiHi; ki++, at += rowStride) {
                    float v = x[at + i];
                    // Later rows have larger codes: they win only when greater, or NaN over a number.
                    if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                        best = v;
                        bestRow = ki;
                    }
                }
                colV[i] = best;
                colP[i] = (float) (bestRow << shift);
            }
            return;
        }
        FloatVector firstCode = FloatVector.broadcast(S, (float) (kiLo << shift));
        for (int i0 = 0; ; i0 += L) {
            int i = Math.min(i0, w - L);
            FloatVector best = FloatVector.fromArray(S, x, firstRow + i);
            FloatVector code = firstCode;
            for (int ki = kiLo + 1, at = firstRow + rowStride; ki < kiHi; ki++, at += rowStride) {
                FloatVector v = FloatVector.fromArray(S, x, at + i);
                // not (v ≤ best) and best is not NaN: v greater, or v NaN over a number.
                VectorMask<Float> keep = v.compare(VectorOperators.LE, best)
                        .or(best.compare(VectorOperators.NE, best));
                VectorMask<Float> take = keep.not();
                best = best.blend(v, take);
                code = code.blend((float) (ki << shift), take);
            }
            best.intoArray(colV, i);
            code.intoArray(colP, i);
            if (i == w - L) {
                return;
            }
        }
    }

    /** winV/winP[s] = the first maximum over taps s + kj·dw (kj < kw) of the column winners, code + kj. */
    private static void horizontal(float[] colV, float[] colP, int dw, int kw, int starts, float[] winV,
                                   float[] winP) {
        for (int s0 = 0; ; s0 += L) {
            int s = Math.min(s0, starts - L);
            FloatVector best = FloatVector.fromArray(S, colV, s);
            FloatVector code = FloatVector.fromArray(S, colP, s);
            for (int kj = 1; kj < kw; kj++) {
                FloatVector v = FloatVector.fromArray(S, colV, s + kj * dw);
                FloatVector c = FloatVector.fromArray(S, colP, s + kj * dw).add((float) kj);
                VectorMask<Float> earlier = c.compare(VectorOperators.LT, code);
                VectorMask<Float> vNaN = v.compare(VectorOperators.NE, v);
                VectorMask<Float> bestNaN = best.compare(VectorOperators.NE, best);
                VectorMask<Float> take = v.compare(VectorOperators.GT, best)
                        .or(v.compare(VectorOperators.EQ, best).and(earlier))
                        .or(vNaN.and(bestNaN.not().or(earlier)));
                best = best.blend(v, take);
                code = code.blend(c, take);
            }
            best.intoArray(winV, s);
            code.intoArray(winP, s);
            if (s == starts - L) {
                return;
            }
        }
    }
}
