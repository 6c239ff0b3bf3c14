package dev.netlens.data.concepts;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts, per label number, the pixels carrying it in any of several planes (each pixel once). */
final class LabelCounter {
    private int[] counts = new int[64];
    private int[] stamp = new int[64];
    private int pixel;

    /** Clears the counts, then counts {@code planes} plus image-level labels (each covering {@code area}). */
    void countPlanes(List<int[]> planes, List<Integer> imageLabels, int area) {
        Arrays.fill(counts, 0);
        Arrays.fill(stamp, 0);
        pixel = 0;
        int n = planes.size();
        for (int i = 0; i < area; i++) {
            pixel++;
            for (int k = 0; k < n; k++) {
                int v = planes.get(k)[i];
                if (v == 0) {
                    continue;
                }
                ensure(v);
                if (stamp[v] != pixel) {
                    stamp[v] = pixel;
                    counts[v]++;
                }
            }
        }
        for (int l : imageLabels) {
            if (l != 0) {
                ensure(l);
                counts[l] = area;
            }
        }
    }

    private void ensure(int v) {
        if (v >= counts.length) {
            int size = Math.max(v + 1, counts.length * 2);
            counts = Arrays.copyOf(counts, size);
            stamp = Arrays.copyOf(stamp, size);
        }
    }

    /** The non-zero counts by label number (ascending). */
    Map<Integer, Integer> toMap() {
        TreeMap<Integer, Integer> m = new TreeMap<>();
        for (int l = 1; l < counts.length; l++) {
            if (counts[l] != 0) {
                m.put(l, counts[l]);
            }
        }
        return m;
    }
}
