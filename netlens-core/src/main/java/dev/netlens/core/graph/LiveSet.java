package dev.netlens.core.graph;

import dev.netlens.core.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/** Reference counts of the non-parameter tensors a trace holds, with peaks. */
final class LiveSet {
    private final Map<Tensor, Integer> counts = new IdentityHashMap<>();
    private long bytes;
    private int peakCount;
    private long peakBytes;

    void hold(Tensor t) {
        if (t == null) {
            return;
        }
        if (counts.merge(t, 1, Integer::sum) == 1) {
            bytes += 4L * t.size();
            peakCount = Math.max(peakCount, counts.size());
            peakBytes = Math.max(peakBytes, bytes);
        }
    }

    void release(Tensor t) {
        if (t == null) {
            return;
        }
        Integer c = counts.get(t);
        if (c == null) {
            return;
        }
        if (c == 1) {
            counts.remove(t);
            bytes -= 4L * t.size();
        } else {
            counts.put(t, c - 1);
        }
    }

    MemoryStats stats() {
        return new MemoryStats(peakCount, peakBytes, counts.size(), bytes);
    }
}
