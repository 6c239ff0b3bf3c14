package dev.netlens.core.kernels;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Arrays declared immutable — the parameters of built graphs — whose derived forms kernels may
 * cache (the OpenBLAS kernels keep an off-heap copy of convolution weights instead of staging
 * them on every call). Identity-based and weak: an array is forgotten when it is garbage.
 *
 * <p>As a guard against accidental in-place edits of a declared array, a cached form is checked
 * against a fingerprint of 64 evenly spaced elements on every use and rebuilt when they changed;
 * an edit that leaves all of those elements untouched is not detected, which is why arrays must
 * only be declared when nothing mutates them.
 */
public final class ConstantArrays {
    private static final Map<float[], Boolean> DECLARED = Collections.synchronizedMap(new WeakHashMap<>());

    private ConstantArrays() {
    }

    /** Declares an array immutable from now on. */
    public static void declare(float[] array) {
        DECLARED.put(array, Boolean.TRUE);
    }

    /** Whether an array was declared immutable. */
    public static boolean isDeclared(float[] array) {
        return DECLARED.containsKey(array);
    }

    /** A fingerprint of 64 evenly spaced elements (and the length). */
    static long fingerprint(float[] a) {
        long h = a.length;
        int step = Math.max(1, a.length / 64);
        for (int i = 0; i < a.length; i += step) {
            h = h * 31 + Float.floatToRawIntBits(a[i]);
        }
        return h;
    }
}
