package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;

/**
 * Walks a broadcast output in rows along its last dimension, giving for each row the offset of one
 * operand that was broadcast to it and the operand's stride along the row (1, or 0 when the operand
 * is stretched along that dimension). Used by ops with any number of broadcast operands.
 */
final class BroadcastRows {
    /** Body run for each output row. */
    @FunctionalInterface
    interface Body {
        void run(int inOffset, int outOffset, int length, int inStride);
    }

    private BroadcastRows() {
    }

    /** Calls {@code body} for every row of {@code out}, with {@code in} (broadcastable to it) aligned. */
    static void forEach(int[] in, int[] out, Body body) {
        int rank = out.length;
        if (Shapes.size(out) == 0) {
            return;
        }
        if (rank == 0) {
            body.run(0, 0, 1, 0);
            return;
        }
        int[] own = Shapes.strides(in);
        int[] s = new int[rank];
        int shift = rank - in.length;
        for (int d = 0; d < in.length; d++) {
            s[d + shift] = in[d] == 1 ? 0 : own[d];
        }
        int row = out[rank - 1];
        int rowStride = s[rank - 1];
        int rows = Shapes.size(out, 0, rank - 1);
        int[] idx = new int[rank];
        int xi = 0;
        for (int r = 0, yi = 0; r < rows; r++, yi += row) {
            body.run(xi, yi, row, rowStride);
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                xi += s[d];
                if (idx[d] < out[d]) {
                    break;
                }
                xi -= s[d] * out[d];
                idx[d] = 0;
            }
        }
    }
}
