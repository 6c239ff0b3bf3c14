package dev.netlens.core.kernels;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.WeakHashMap;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Off-heap copies of weight arrays for the OpenBLAS kernels. Arrays declared with
 * {@link ConstantArrays#declare} are copied once and reused while their fingerprint holds; any
 * other array is staged into the calling thread's scratch buffer on every call.
 */
final class StagedWeights {
    private record Entry(FloatPointer pointer, FloatBuffer buffer, long fingerprint) {
    }

    private static final Map<float[], Entry> CACHE = new WeakHashMap<>();

    private StagedWeights() {
    }

    /** A direct buffer holding the first {@code length} elements of {@code w}. */
    static FloatBuffer of(float[] w, int length) {
        if (!ConstantArrays.isDeclared(w)) {
            FloatBuffer b = OffHeapScratch.get().a.ensure(length);
            b.put(0, w, 0, length);
            return b;
        }
        long fp = ConstantArrays.fingerprint(w);
        synchronized (CACHE) {
            Entry e = CACHE.get(w);
            if (e != null && e.fingerprint() == fp && e.buffer().capacity() >= length) {
                return e.buffer();
            }
            FloatPointer p = new FloatPointer((long) w.length);
            FloatBuffer b = p.asBuffer();
            b.put(0, w, 0, w.length);
            CACHE.put(w, new Entry(p, b, fp));
            return b;
        }
    }
}
