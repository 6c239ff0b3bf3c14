package dev.netlens.core.kernels;

import dev.netlens.core.tensor.FloatMasks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels}' loops on the Vector API, bit-identical to the scalar ones. Loaded only
 * when the JVM runs with {@code --add-modules jdk.incubator.vector} (see {@link Simd}); the vector
 * width is that of {@link DirectConv} (one width per JVM).
 */
final class ElementwiseSimd {
    private static final VectorSpecies<Float> S = Simd.WIDE && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int L = S.length();

    private ElementwiseSimd() {
    }

    /** A comparison with 0 is false for NaN and −0, as {@link FloatMasks#ifPositive} requires. */
    static void reluBackward(float[] x, float[] g, float[] out, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (; i <= to - L; i += L) {
            zero.blend(FloatVector.fromArray(S, g, i), FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f))
                    .intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = FloatMasks.ifPositive(x[i], g[i]);
        }
    }
}
