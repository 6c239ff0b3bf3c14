package dev.netlens.core.kernels;

/**
 * Per-thread float arrays in numbered slots, grown on demand and reused from call to call: the
 * scratch of the direct convolution kernels. Contents are unspecified; callers write before they
 * read.
 */
final class ThreadScratch {
    private final ThreadLocal<float[][]> slots;

    /** {@code count} slots per thread. */
    ThreadScratch(int count) {
        slots = ThreadLocal.withInitial(() -> new float[count][0]);
    }

    /** This thread's array in {@code slot}, at least {@code size} floats long. */
    float[] get(int slot, int size) {
        float[][] s = slots.get();
        if (s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }
}
