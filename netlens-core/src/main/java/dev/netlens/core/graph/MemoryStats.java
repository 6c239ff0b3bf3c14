package dev.netlens.core.graph;

/**
 * Tensors a forward pass held, excluding parameters: the peak while running and what remains held
 * afterwards (outputs, taps and, when recording, what backward passes need). Counted by distinct
 * tensor objects, not measured from the heap.
 */
public record MemoryStats(int peakLiveTensors, long peakLiveBytes, int heldTensors, long heldBytes) {
}
