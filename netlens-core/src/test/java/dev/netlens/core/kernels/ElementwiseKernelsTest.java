package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ElementwiseKernels}: the ReLU's VJP, scalar and vector, against its definition bit for bit. */
class ElementwiseKernelsTest {
    @Test
    void reluBackwardPassesTheGradientWhereTheInputIsPositiveOnly() {
        SplittableRandom r = new SplittableRandom(3);
        float[] special = {Float.NaN, -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 1f, -1f};
        for (int length : new int[] {0, 1, 7, 16, 33, 100}) {
            float[] x = new float[length];
            float[] g = new float[length];
            for (int i = 0; i < length; i++) {
                x[i] = r.nextInt(3) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
                g[i] = r.nextInt(5) == 0 ? Float.NaN : (float) r.nextGaussian();
            }
            for (int from : new int[] {0, Math.min(3, length)}) {
                float[] scalar = new float[length];
                float[] dispatched = new float[length];
                ElementwiseKernels.scalarReluBackward(x, g, scalar, from, length);
                ElementwiseKernels.reluBackward(x, g, dispatched, from, length);
                for (int i = 0; i < length; i++) {
                    float expected = i < from ? 0f : (x[i] > 0f ? g[i] : 0f);
                    String at = "length " + length + ", from " + from + ", x " + x[i] + ", i " + i;
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(scalar[i]), "scalar, " + at);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dispatched[i]), at);
                }
                if (Simd.ENABLED) {
                    float[] vector = new float[length];
                    ElementwiseSimd.reluBackward(x, g, vector, from, length);
                    for (int i = 0; i < length; i++) {
                        assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]), "vector, i " + i);
                    }
                }
            }
        }
    }
}
