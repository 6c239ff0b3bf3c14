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
    private static final Map<float[], Entry> TRANSPOSED = new WeakHashMap<>();

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

    /**
     * For declared-constant weights of a convolution, each group's filter matrix transposed —
     * group g's [cin/g·kh·kw × cout/g] matrix, row-major, at offset g·(cout/g)·(cin/g·kh·kw) — cached
     * like {@link #of}; null for any other array. The data gradient multiplies by Wᵀ: OpenBLAS runs
     * that product 1.5× faster from a transposed copy than with its transposed-A flag (ResNet-18's
     * 512-channel 7×7 layer, 2 threads: 1.55 vs 2.4–2.7 ms).
     */
    static FloatBuffer transposed(ConvGeometry g, float[] w) {
        if (!ConstantArrays.isDeclared(w)) {
            return null;
        }
        long fp = ConstantArrays.fingerprint(w);
        int k = g.colRows();
        int mg = g.outChannelsPerGroup();
        synchronized (TRANSPOSED) {
            Entry e = TRANSPOSED.get(w);
            if (e != null && e.fingerprint() == fp && e.buffer().capacity() >= (long) g.groups * mg * k) {
                return e.buffer();
            }
            float[] t = new float[g.groups * mg * k];
            for (int grp = 0; grp < g.groups; grp++) {
                int base = grp * mg * k;
                for (int m = 0; m < mg; m++) {
                    for (int r = 0; r < k; r++) {
                        t[base + r * mg + m] = w[base + m * k + r];
                    }
                }
            }
            FloatPointer p = new FloatPointer((long) t.length);
            FloatBuffer b = p.asBuffer();
            b.put(0, t, 0, t.length);
            TRANSPOSED.put(w, new Entry(p, b, fp));
            return b;
        }
    }
}
