package dev.netlens.core.ops;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Gemm: Y = alpha·op(A)·op(B) + beta·C with A, B 2-D (transposed when transA/transB) and
 * optional C broadcastable to [M, N]. The fully connected layer of most exported classifiers.
 */
public final class Gemm implements Op {
    private final float alpha;
    private final float beta;
    private final boolean transA;
    private final boolean transB;

    public Gemm(float alpha, float beta, boolean transA, boolean transB) {
        this.alpha = alpha;
        this.beta = beta;
        this.transA = transA;
        this.transB = transB;
    }

    /** A fully connected layer x·Wᵀ + b with W stored [out, in] (PyTorch's Linear). */
    public static Gemm linear() {
        return new Gemm(1f, 1f, false, true);
    }

    @Override
    public String type() {
        return "Gemm";
    }

    @Override
    public OpCategory category() {
        return OpCategory.LINEAR;
    }

    @Override
    public boolean retainsInput(int index) {
        return index < 2;
    }

    public boolean transA() {
        return transA;
    }

    public boolean transB() {
        return transB;
    }

    public float alpha() {
        return alpha;
    }

    public float beta() {
        return beta;
    }

    private int[] dims(int[] a, int[] b) {
        if (a.length != 2 || b.length != 2) {
            throw new IllegalArgumentException("Gemm needs 2-D A and B, got " + Shapes.toString(a) + " and "
                    + Shapes.toString(b));
        }
        int m = transA ? a[1] : a[0];
        int k = transA ? a[0] : a[1];
        int kb = transB ? b[1] : b[0];
        int n = transB ? b[0] : b[1];
        if (k != kb) {
            throw new IllegalArgumentException("Gemm inner dimensions differ: A " + Shapes.toString(a)
                    + (transA ? " (transposed)" : "") + " has " + k + ", B " + Shapes.toString(b)
                    + (transB ? " (transposed)" : "") + " has " + kb);
        }
        return new int[] {m, n, k};
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("Gemm", inputs, 2, 3);
        Tensor a = inputs[0];
        Tensor b = inputs[1];
        Tensor c = OpSupport.optional(inputs, 2);
        int[] mnk = dims(a.shape(), b.shape());
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        Tensor y = Tensor.zeros(m, n);
        float betaEff = 0f;
        if (c != null && beta != 0f) {
            int[] cs = Shapes.broadcast(c.shape(), new int[] {m, n});
            if (cs[0] != m || cs[1] != n) {
                throw new IllegalArgumentException("Gemm C of shape " + Shapes.toString(c.shape())
                        + " does not broadcast to [" + m + ", " + n + "]");
            }
            broadcastInto(c, y, beta);
            betaEff = 1f;
        }
        ctx.kernels().sgemm(transA, transB, m, n, k, alpha, a.data(), 0, a.dim(1), b.data(), 0, b.dim(1),
                betaEff, y.data(), 0, n);
        return new Tensor[] {y};
    }

    /** y = scale · broadcast(c) for 2-D y. */
    private static void broadcastInto(Tensor c, Tensor y, float scale) {
        int m = y.dim(0);
        int n = y.dim(1);
        int[] cs = c.shape();
        int cr = cs.length == 2 ? cs[0] : 1;
        int cc = cs.length == 0 ? 1 : cs[cs.length - 1];
        float[] cd = c.data();
        float[] yd = y.data();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                yd[i * n + j] = scale * cd[(cr == 1 ? 0 : i) * cc + (cc == 1 ? 0 : j)];
            }
        }
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        int[] aShape = ctx.inputShape(0);
        int[] bShape = ctx.inputShape(1);
        int[] mnk = dims(aShape, bShape);
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        float[] g = gradOutputs[0].data();
        Kernels kernels = ctx.kernels();
        Tensor[] out = new Tensor[ctx.inputCount()];
        if (ctx.needsGradient(0)) {
            Tensor b = ctx.input(1);
            Tensor da = Tensor.zeros(aShape);
            if (!transA) {
                kernels.sgemm(false, !transB, m, k, n, alpha, g, 0, n, b.data(), 0, bShape[1], 0f, da.data(), 0, k);
            } else {
                kernels.sgemm(transB, true, k, m, n, alpha, b.data(), 0, bShape[1], g, 0, n, 0f, da.data(), 0, m);
            }
            out[0] = da;
        }
        if (ctx.needsGradient(1)) {
            Tensor a = ctx.input(0);
            Tensor db = Tensor.zeros(bShape);
            if (!transB) {
                kernels.sgemm(!transA, false, k, n, m, alpha, a.data(), 0, aShape[1], g, 0, n, 0f, db.data(), 0, n);
            } else {
                kernels.sgemm(true, transA, n, k, m, alpha, g, 0, n, a.data(), 0, aShape[1], 0f, db.data(), 0, k);
            }
            out[1] = db;
        }
        if (out.length > 2 && ctx.needsGradient(2)) {
            Tensor scaled = Tensor.zeros(m, n);
            float[] s = scaled.data();
            for (int i = 0; i < s.length; i++) {
                s[i] = beta * g[i];
            }
            out[2] = OpSupport.sumToShape(scaled, ctx.inputShape(2));
        }
        return out;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("alpha", alpha);
        a.put("beta", beta);
        a.put("transA", transA ? 1 : 0);
        a.put("transB", transB ? 1 : 0);
        return a;
    }

    @Override
    public String toString() {
        return OpText.of(type(), attributes());
    }

    @Override
    public int[][] outputShapes(int[][] in, int outputCount) {
        int[] mnk = dims(in[0], in[1]);
        if (in.length > 2 && in[2] != null) {
            int[] cs = Shapes.broadcast(in[2], new int[] {mnk[0], mnk[1]});
            if (cs[0] != mnk[0] || cs[1] != mnk[1]) {
                throw new IllegalArgumentException("Gemm C of shape " + Shapes.toString(in[2])
                        + " does not broadcast to [" + mnk[0] + ", " + mnk[1] + "]");
            }
        }
        return new int[][] {{mnk[0], mnk[1]}};
    }
}
