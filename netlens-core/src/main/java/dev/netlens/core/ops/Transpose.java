package dev.netlens.core.ops;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Transpose: output dimension i is input dimension perm[i]. {@code perm} defaults to the
 * reversed axes; otherwise it must be a permutation of 0 … r-1. The VJP transposes the gradient
 * back with the inverse permutation; it needs only the input shape.
 */
public final class Transpose extends ValueOp {
    private final int[] perm;

    /** Transpose with the ONNX default: reverse the dimensions. */
    public Transpose() {
        this.perm = null;
    }

    /** Transpose with an explicit permutation. */
    public Transpose(int... perm) {
        boolean[] seen = new boolean[perm.length];
        for (int p : perm) {
            if (p < 0 || p >= perm.length || seen[p]) {
                throw new IllegalArgumentException("Transpose: perm " + Arrays.toString(perm)
                        + " is not a permutation of 0 … " + (perm.length - 1));
            }
            seen[p] = true;
        }
        this.perm = perm.clone();
    }

    @Override
    public String type() {
        return "Transpose";
    }

    @Override
    public OpCategory category() {
        return OpCategory.SHAPE;
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        if (perm != null) {
            a.put("perm", perm.clone());
        }
        return a;
    }

    /** The permutation used for an input of rank {@code rank}. */
    public int[] perm(int rank) {
        if (perm == null) {
            int[] p = new int[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
            return p;
        }
        if (perm.length != rank) {
            throw new IllegalArgumentException("Transpose: perm " + Arrays.toString(perm) + " has " + perm.length
                    + " entries but the input has rank " + rank + "; perm must permute 0 … " + (rank - 1));
        }
        return perm.clone();
    }

    private int[][] tables(int[] in, int[] p) {
        int[] strides = Shapes.strides(in);
        int[][] t = new int[in.length][];
        for (int d = 0; d < in.length; d++) {
            t[d] = OffsetGather.strided(in[p[d]], 0, 1, strides[p[d]]);
        }
        return t;
    }

    private static int[] permute(int[] in, int[] p) {
        int[] out = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            out[d] = in[p[d]];
        }
        return out;
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("Transpose", inputs, 1, 1);
        Tensor x = inputs[0];
        int[] in = x.shape();
        int[] p = perm(in.length);
        Tensor y = Tensor.zeros(permute(in, p));
        OffsetGather.gather(x.data(), tables(in, p), y.data(), 0f);
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        int[] in = ctx.inputShape(0);
        int[] p = perm(in.length);
        int[] inverse = new int[p.length];
        for (int d = 0; d < p.length; d++) {
            inverse[p[d]] = d;
        }
        Tensor gx = Tensor.zeros(in);
        OffsetGather.gather(gradOutputs[0].data(), tables(permute(in, p), inverse), gx.data(), 0f);
        return new Tensor[] {gx};
    }
}
