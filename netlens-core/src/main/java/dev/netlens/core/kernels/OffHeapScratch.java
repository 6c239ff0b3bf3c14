package dev.netlens.core.kernels;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Per-thread buffers for staging GEMM operands off-heap. Passing Java arrays through JNI copies
 * them on every call; staging into reused off-heap buffers (written block by block from a small
 * heap array that stays in cache) avoids most of that traffic. Buffers grow geometrically and are
 * never shrunk; each thread has its own set.
 */
final class OffHeapScratch {
    /**
     * One growable off-heap buffer, seen from Java as a direct {@link FloatBuffer}. A buffer
     * returned by {@link #ensure} stays valid until the owning thread's next {@code ensure} on the
     * same slot (which may free it): a kernel takes each slot at most once per operation. The
     * buffer does not keep the native memory alive by itself — the slot does.
     */
    static final class Slot {
        private FloatPointer pointer;
        private FloatBuffer buffer;
        private long capacity;

        /** Makes room for at least {@code n} floats; previous contents are not kept. */
        FloatBuffer ensure(long n) {
            if (n > capacity) {
                if (pointer != null) {
                    pointer.close();
                }
                capacity = Math.max(n, capacity + capacity / 2);
                pointer = new FloatPointer(capacity);
                buffer = pointer.asBuffer();
            }
            return buffer;
        }
    }

    private static final ThreadLocal<OffHeapScratch> PER_THREAD = ThreadLocal.withInitial(OffHeapScratch::new);

    /** Staging block size in floats (fits comfortably in L2). */
    static final int STAGE_FLOATS = 1 << 16;

    final Slot a = new Slot();
    final Slot b = new Slot();
    final Slot c = new Slot();
    private float[] stage = new float[STAGE_FLOATS];

    private OffHeapScratch() {
    }

    static OffHeapScratch get() {
        return PER_THREAD.get();
    }

    /** A heap array of at least {@code n} floats for building blocks before they are copied off-heap. */
    float[] stage(int n) {
        if (stage.length < n) {
            stage = new float[n];
        }
        return stage;
    }
}
