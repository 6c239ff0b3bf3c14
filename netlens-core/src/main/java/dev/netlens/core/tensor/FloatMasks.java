package dev.netlens.core.tensor;

/**
 * Branch-free element selections for hot loops. A conditional like {@code x > 0 ? g : 0} compiles
 * to a branch, which mispredicts on about half of real activations and makes a ReLU backward pass
 * several times slower than the memory traffic it needs; these bit-mask forms compile to
 * straight-line (and vectorisable) integer code with identical results.
 */
public final class FloatMasks {
    private FloatMasks() {
    }

    /**
     * {@code v} where {@code x > 0}, else +0 — exactly {@code x > 0f ? v : 0f}, NaN and −0 in
     * {@code x} included (neither is positive).
     */
    public static float ifPositive(float x, float v) {
        int bits = Float.floatToRawIntBits(x);
        // Positive ⇔ raw bits in [1, 0x7f800000] (sign clear, not zero, not NaN); out = −1 otherwise.
        int out = ((0x7f800000 - bits) | (bits - 1)) >> 31;
        return Float.intBitsToFloat(Float.floatToRawIntBits(v) & ~out);
    }
}
