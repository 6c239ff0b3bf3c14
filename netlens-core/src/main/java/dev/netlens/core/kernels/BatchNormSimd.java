package dev.netlens.core.kernels;

import dev.netlens.core.tensor.FloatMasks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchNormKernels}' loops on the Vector API. Sums run on vector accumulators per row (lane
 * j of the row's full vectors, then the row's remainder in a scalar float), which go into the
 * double total at the row's end: a float partial sum covers at most area / lanes values. Element-wise loops compute each element
 * with the same float operations as the scalar loops (no fused multiply-add), so their results are
 * bit-identical to those.
 *
 * <p>Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} (see
 * {@link Simd}); the vector width is that of {@link DirectConv} (one width per JVM).
 */
final class BatchNormSimd {
    private static final VectorSpecies<Float> S = Simd.WIDE && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int L = S.length();

    private BatchNormSimd() {
    }

    // Accumulators live within one row (created before it, reduced after it): JDK 17's JIT keeps
    // them in registers then, but not vectors carried across the row loop as well (measured: sums
    // 5× slower, slower than the scalar loops).

    /**
     * One call of each loop on two rows of 33 values, a vector body and a remainder each
     * ({@link DirectConvWarmup}); a, b and out hold at least 100 floats.
     */
    static void warmUp(float[] a, float[] b, float[] out) {
        double[] sums = new double[2];
        double mean = sum(a, 0, 64, 2, 33) + squaredDeviations(a, 0, 64, 2, 33, 0.5);
        normalize(a, out, 0, 64, 2, 33, (float) mean, 0.5f, 0.25f, false);
        normalize(a, out, 0, 64, 2, 33, (float) mean, 0.5f, 0.25f, true);
        normalizeAddRelu(a, b, out, 0, 64, 2, 33, (float) mean, 0.5f, 0.25f);
        gradientSums(b, null, a, 0, 64, 2, 33, mean, out, sums);
        gradientSums(b, a, a, 0, 64, 2, 33, mean, out, sums);
        inputGradient(b, 0, 64, a, out, 0, 64, 2, 33, (float) sums[0], 0.5f, (float) sums[1], 0.25f);
        maskedInputGradient(b, a, a, out, 0, 33, (float) sums[0], 0.5f, (float) sums[1], 0.25f);
    }

    static double sum(float[] x, int off, int stride, int n, int area) {
        int body = area - area % L;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            FloatVector acc = FloatVector.zero(S);
            int p = 0;
            for (; p < body; p += L) {
                acc = acc.add(FloatVector.fromArray(S, x, o + p));
            }
            float rest = 0;
            for (; p < area; p++) {
                rest += x[o + p];
            }
            total += (double) acc.reduceLanes(VectorOperators.ADD) + rest;
        }
        return total;
    }

    static double squaredDeviations(float[] x, int off, int stride, int n, int area, double mean) {
        int body = area - area % L;
        float m = (float) mean;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            FloatVector acc = FloatVector.zero(S);
            int p = 0;
            for (; p < body; p += L) {
                FloatVector d = FloatVector.fromArray(S, x, o + p).sub(m);
                acc = acc.add(d.mul(d));
            }
            float rest = 0;
            for (; p < area; p++) {
                float d = x[o + p] - m;
                rest += d * d;
            }
            total += (double) acc.reduceLanes(VectorOperators.ADD) + rest;
        }
        return total;
    }

    static void normalize(float[] x, float[] y, int off, int stride, int n, int area, float mean, float a,
                          float shift, boolean relu) {
        int body = area - area % L;
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            int p = 0;
            if (relu) {
                for (; p < body; p += L) {
                    FloatVector.fromArray(S, x, o + p).sub(mean).mul(a).add(shift).max(0f).intoArray(y, o + p);
                }
                for (; p < area; p++) {
                    y[o + p] = Math.max((x[o + p] - mean) * a + shift, 0f);
                }
            } else {
                for (; p < body; p += L) {
                    FloatVector.fromArray(S, x, o + p).sub(mean).mul(a).add(shift).intoArray(y, o + p);
                }
                for (; p < area; p++) {
                    y[o + p] = (x[o + p] - mean) * a + shift;
                }
            }
        }
    }

    static void normalizeAddRelu(float[] x, float[] r, float[] y, int off, int stride, int n, int area, float mean,
                                 float a, float shift) {
        int body = area - area % L;
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            int p = 0;
            for (; p < body; p += L) {
                FloatVector.fromArray(S, x, o + p).sub(mean).mul(a).add(shift).add(FloatVector.fromArray(S, r, o + p))
                        .max(0f).intoArray(y, o + p);
            }
            for (; p < area; p++) {
                y[o + p] = Math.max(((x[o + p] - mean) * a + shift) + r[o + p], 0f);
            }
        }
    }

    static void gradientSums(float[] g, float[] reluOut, float[] x, int off, int stride, int n, int area,
                             double mean, float[] masked, double[] sums) {
        int body = area - area % L;
        float m = (float) mean;
        double sumG = 0;
        double sumGCentered = 0;
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            FloatVector accG = FloatVector.zero(S);
            FloatVector accGC = FloatVector.zero(S);
            float restG = 0;
            float restGC = 0;
            int p = 0;
            if (reluOut == null) {
                for (; p < body; p += L) {
                    FloatVector gv = FloatVector.fromArray(S, g, o + p);
                    accG = accG.add(gv);
                    accGC = accGC.add(gv.mul(FloatVector.fromArray(S, x, o + p).sub(m)));
                }
                for (; p < area; p++) {
                    float gv = g[o + p];
                    restG += gv;
                    restGC += gv * (x[o + p] - m);
                }
            } else {
                int mo = i * area;
                FloatVector zero = FloatVector.zero(S);
                for (; p < body; p += L) {
                    FloatVector gv = zero.blend(FloatVector.fromArray(S, g, o + p),
                            FloatVector.fromArray(S, reluOut, o + p).compare(VectorOperators.GT, 0f));
                    gv.intoArray(masked, mo + p);
                    accG = accG.add(gv);
                    accGC = accGC.add(gv.mul(FloatVector.fromArray(S, x, o + p).sub(m)));
                }
                for (; p < area; p++) {
                    float gv = FloatMasks.ifPositive(reluOut[o + p], g[o + p]);
                    masked[mo + p] = gv;
                    restG += gv;
                    restGC += gv * (x[o + p] - m);
                }
            }
            sumG += (double) accG.reduceLanes(VectorOperators.ADD) + restG;
            sumGCentered += (double) accGC.reduceLanes(VectorOperators.ADD) + restGC;
        }
        sums[0] = sumG;
        sums[1] = sumGCentered;
    }

    static void inputGradient(float[] g, int gOff, int gStride, float[] x, float[] dx, int off, int stride, int n,
                              int area, float mean, float kG, float kX, float k0) {
        int body = area - area % L;
        for (int i = 0; i < n; i++) {
            int o = off + i * stride;
            int go = gOff + i * gStride;
            int p = 0;
            for (; p < body; p += L) {
                FloatVector xv = FloatVector.fromArray(S, x, o + p).sub(mean).mul(kX).add(k0);
                FloatVector.fromArray(S, g, go + p).mul(kG).add(xv).intoArray(dx, o + p);
            }
            for (; p < area; p++) {
                dx[o + p] = g[go + p] * kG + ((x[o + p] - mean) * kX + k0);
            }
        }
    }

    /** One row of {@link BatchNormKernels#inputGradientByImage} with a ReLU mask. */
    static void maskedInputGradient(float[] g, float[] reluOut, float[] x, float[] dx, int off, int area, float mean,
                                    float kG, float kX, float k0) {
        int body = area - area % L;
        FloatVector zero = FloatVector.zero(S);
        int p = 0;
        for (; p < body; p += L) {
            int o = off + p;
            FloatVector gv = zero.blend(FloatVector.fromArray(S, g, o),
                    FloatVector.fromArray(S, reluOut, o).compare(VectorOperators.GT, 0f));
            FloatVector xv = FloatVector.fromArray(S, x, o).sub(mean).mul(kX).add(k0);
            gv.mul(kG).add(xv).intoArray(dx, o);
        }
        for (; p < area; p++) {
            int o = off + p;
            dx[o] = FloatMasks.ifPositive(reluOut[o], g[o]) * kG + ((x[o] - mean) * kX + k0);
        }
    }
}
