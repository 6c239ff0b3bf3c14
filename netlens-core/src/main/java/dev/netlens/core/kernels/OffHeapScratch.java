package dev.netlens.core.kernels;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Per-thread off-heap float buffers that GEMM operands are staged in before OpenBLAS sees them.
 * Passing Java arrays through JNI copies them on every call; staging into buffers that are reused
 * (and written directly by im2col) avoids most of that traffic. Buffers grow geometrically and are
 * never shrunk; each thread has its own set.
 */
final class OffHeapScratch {
    /** One growable buffer: a pointer for BLAS and a direct view of the same memory for Java. */
    static final class Slot {
        private FloatPointer pointer;
        private FloatBuffer buffer;
        private long capacity;

        /** Makes room for at least {@code n} floats; previous contents are not kept. */
        Slot ensure(long n) {
            if (n > capacity) {
                if (pointer != null) {
                    pointer.close();
                }
                capacity = Math.max(n, capacity + capacity / 2);
                pointer = new FloatPointer(capacity);
                buffer = pointer.asBuffer();
            }
            return this;
        }

        /** The pointer positioned at {@code offset} floats (reset by {@link #at(long)} on every use). */
        FloatPointer at(long offset) {
            return pointer.position(offset);
        }

        /** A direct buffer over the whole slot, absolute index 0 = the first float. */
        FloatBuffer buffer() {
            return buffer;
        }
    }

    private static final ThreadLocal<OffHeapScratch> PER_THREAD = ThreadLocal.withInitial(OffHeapScratch::new);

    final Slot a = new Slot();
    final Slot b = new Slot();
    final Slot c = new Slot();

    private OffHeapScratch() {
    }

    static OffHeapScratch get() {
        return PER_THREAD.get();
    }
}
