package dev.netlens.core.ops;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX MatMul with NumPy semantics: batched over broadcast leading dimensions; a 1-D first operand
 * is a row vector and a 1-D second operand a column vector (the added dimension is removed from
 * the result).
 */
public final class MatMul implements Op {

    @Override
    public String type() {
        return "MatMul";
    }

    @Override
    public OpCategory category() {
        return OpCategory.LINEAR;
    }

    /** Shapes normalised to rank ≥ 2, the broadcast batch and the output shape. */
    private static final class Plan {
        final int[] a2;
        final int[] b2;
        final int m;
        final int k;
        final int n;
        final int[] batch;
        final int[] out;
        final int batchCount;

        Plan(int[] aShape, int[] bShape) {
            if (aShape.length == 0 || bShape.length == 0) {
                throw new IllegalArgumentException("MatMul operands must have rank >= 1, got "
                        + Shapes.toString(aShape) + " and " + Shapes.toString(bShape));
            }
            a2 = aShape.length == 1 ? new int[] {1, aShape[0]} : aShape;
            b2 = bShape.length == 1 ? new int[] {bShape[0], 1} : bShape;
            m = a2[a2.length - 2];
            k = a2[a2.length - 1];
            n = b2[b2.length - 1];
            if (b2[b2.length - 2] != k) {
                throw new IllegalArgumentException("MatMul inner dimensions differ: " + Shapes.toString(aShape)
                        + " × " + Shapes.toString(bShape));
            }
            batch = Shapes.broadcast(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
            batchCount = Shapes.size(batch);
            int[] o = Arrays.copyOf(batch, batch.length + 2);
            o[batch.length] = m;
            o[batch.length + 1] = n;
            if (aShape.length == 1 && bShape.length == 1) {
                out = new int[0];
            } else if (aShape.length == 1) {
                out = removeAt(o, o.length - 2);
            } else if (bShape.length == 1) {
                out = removeAt(o, o.length - 1);
            } else {
                out = o;
            }
        }

        private static int[] removeAt(int[] s, int i) {
            int[] r = new int[s.length - 1];
            System.arraycopy(s, 0, r, 0, i);
            System.arraycopy(s, i + 1, r, i, s.length - i - 1);
            return r;
        }

        /** Matrix index into an operand for each output batch index (broadcasting). */
        int[] operandIndex(int[] opShape2) {
            int[] opBatch = Arrays.copyOf(opShape2, opShape2.length - 2);
            int rank = batch.length;
            int[] strides = Shapes.strides(opBatch);
            int[] map = new int[batchCount];
            int[] idx = new int[rank];
            for (int bi = 0; bi < batchCount; bi++) {
                int off = 0;
                for (int d = 0; d < opBatch.length; d++) {
                    int od = d + rank - opBatch.length;
                    off += (opBatch[d] == 1 ? 0 : idx[od]) * strides[d];
                }
                map[bi] = off;
                for (int d = rank - 1; d >= 0; d--) {
                    if (++idx[d] < batch[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            return map;
        }
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("MatMul", inputs, 2, 2);
        Plan p = new Plan(inputs[0].shape(), inputs[1].shape());
        Tensor y = Tensor.zeros(p.out);
        float[] a = inputs[0].data();
        float[] b = inputs[1].data();
        float[] yd = y.data();
        Kernels kernels = ctx.kernels();
        if (p.b2.length == 2 && p.batchCount > 0) {
            // [..., M, K] × [K, N]: one GEMM over all rows.
            kernels.sgemm(false, false, p.batchCount * p.m, p.n, p.k, 1f, a, 0, p.k, b, 0, p.n, 0f, yd, 0, p.n);
            return new Tensor[] {y};
        }
        int[] ai = p.operandIndex(p.a2);
        int[] bi = p.operandIndex(p.b2);
        for (int i = 0; i < p.batchCount; i++) {
            kernels.sgemm(false, false, p.m, p.n, p.k, 1f, a, ai[i] * p.m * p.k, p.k, b, bi[i] * p.k * p.n, p.n,
                    0f, yd, i * p.m * p.n, p.n);
        }
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        int[] aShape = ctx.inputShape(0);
        int[] bShape = ctx.inputShape(1);
        Plan p = new Plan(aShape, bShape);
        float[] g = gradOutputs[0].data();
        Kernels kernels = ctx.kernels();
        Tensor[] out = new Tensor[2];
        int[] ai = p.operandIndex(p.a2);
        int[] bi = p.operandIndex(p.b2);
        if (ctx.needsGradient(0)) {
            float[] b = ctx.input(1).data();
            Tensor da = Tensor.zeros(aShape);
            float[] dad = da.data();
            if (p.b2.length == 2) {
                kernels.sgemm(false, true, p.batchCount * p.m, p.k, p.n, 1f, g, 0, p.n, b, 0, p.n, 0f, dad, 0, p.k);
            } else {
                boolean[] touched = new boolean[Math.max(1, dad.length / Math.max(1, p.m * p.k))];
                for (int i = 0; i < p.batchCount; i++) {
                    int slot = ai[i];
                    kernels.sgemm(false, true, p.m, p.k, p.n, 1f, g, i * p.m * p.n, p.n, b, bi[i] * p.k * p.n, p.n,
                            touched[slot] ? 1f : 0f, dad, slot * p.m * p.k, p.k);
                    touched[slot] = true;
                }
            }
            out[0] = da;
        }
        if (ctx.needsGradient(1)) {
            float[] a = ctx.input(0).data();
            Tensor db = Tensor.zeros(bShape);
            float[] dbd = db.data();
            if (p.b2.length == 2) {
                kernels.sgemm(true, false, p.k, p.n, p.batchCount * p.m, 1f, a, 0, p.k, g, 0, p.n, 0f, dbd, 0, p.n);
            } else {
                boolean[] touched = new boolean[Math.max(1, dbd.length / Math.max(1, p.k * p.n))];
                for (int i = 0; i < p.batchCount; i++) {
                    int slot = bi[i];
                    kernels.sgemm(true, false, p.k, p.n, p.m, 1f, a, ai[i] * p.m * p.k, p.k, g, i * p.m * p.n, p.n,
                            touched[slot] ? 1f : 0f, dbd, slot * p.k * p.n, p.n);
                    touched[slot] = true;
                }
            }
            out[1] = db;
        }
        return out;
    }

    @Override
    public String toString() {
        return "MatMul";
    }

    @Override
    public int[][] outputShapes(int[][] in, int outputCount) {
        return new int[][] {new Plan(in[0], in[1]).out.clone()};
    }
}
