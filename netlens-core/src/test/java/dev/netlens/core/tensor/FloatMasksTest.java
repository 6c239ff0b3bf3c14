package dev.netlens.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatMasksTest {
    private static void check(float x, float v) {
        float want = x > 0f ? v : 0f;
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(FloatMasks.ifPositive(x, v)),
                "ifPositive(" + x + " [0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + "], " + v + ")");
    }

    @Test
    void matchesTheConditionalOnSpecialValues() {
        float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0xffc00001), Float.intBitsToFloat(0x7f800001)};
        for (float x : specials) {
            for (float v : specials) {
                check(x, v);
            }
        }
    }

    @Test
    void matchesTheConditionalOnRandomBitPatterns() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 1_000_000; i++) {
            check(Float.intBitsToFloat(r.nextInt()), Float.intBitsToFloat(r.nextInt()));
        }
    }
}
