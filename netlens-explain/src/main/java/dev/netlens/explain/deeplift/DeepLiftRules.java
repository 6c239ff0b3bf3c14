package dev.netlens.explain.deeplift;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.graph.Composite;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.ops.SoftmaxFamilyOp;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;

/**
 * DeepLIFT's rescale rule as backward rules (Shrikumar, Greenside, Kundaje, "Learning Important
 * Features Through Propagating Activation Differences", ICML 2017), for a forward pass over the
 * batch [x; x′] — the inputs in the first half, their references in the second. The rules write
 * the multipliers of the input half and zeros for the reference half (which needs none: every
 * other op acts on each batch item separately, so the halves never mix).
 *
 * <ul>
 *   <li>{@link #rescale()} — for element-wise non-linearities (every {@link OpCategory#ACTIVATION}
 *       node: Relu, LeakyRelu, PRelu, Elu, Selu, Gelu, Softplus, Sigmoid, Tanh, Clip, HardSigmoid,
 *       HardSwish): m = Δy/Δx where |Δx| ≥ 10⁻¹⁰, else the ordinary gradient f′(x).</li>
 *   <li>{@link #softmax()} — for Softmax: the same ratio element by element along the softmax
 *       axis, then centred so that the multipliers of each line sum to zero (softmax ignores a
 *       constant shift of its inputs). This is Captum's softmax rule except that Captum centres
 *       over the whole tensor (mixing batch items); we centre each line.</li>
 * </ul>
 * Linear ops, MaxPool (the ordinary gradient of the max: the original DeepLIFT default, and what
 * Captum effectively computes on torchvision models) and every other op keep their own VJPs.
 * {@link #maxPoolSecant()} is an opt-in alternative for MaxPool and GlobalMaxPool that restores
 * summation to delta there (see {@link #composite(boolean)}).
 */
public final class DeepLiftRules {
    /** |Δx| below which the ordinary gradient is used. */
    public static final double EPS = 1e-10;

    private DeepLiftRules() {
    }

    private static final BackwardRule RESCALE = new BackwardRule() {
        @Override
        public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
            Tensor[] ordinary = ctx.op().backward(ctx, gradOutputs);
            if (!ctx.needsGradient(0)) {
                return ordinary;
            }
            Tensor x = ctx.input(0);
            Tensor y = ctx.output(0);
            Tensor g = gradOutputs[0];
            requireHalves(ctx, x, y);
            float[] xd = x.data();
            float[] yd = y.data();
            float[] gd = g.data();
            float[] m = ordinary[0].data().clone();
            int half = xd.length / 2;
            for (int i = 0; i < half; i++) {
                double dx = (double) xd[i] - xd[i + half];
                if (Math.abs(dx) >= EPS) {
                    m[i] = (float) (gd[i] * (((double) yd[i] - yd[i + half]) / dx));
                }
            }
            Arrays.fill(m, half, m.length, 0f);
            Tensor[] out = ordinary.clone();
            out[0] = Tensor.of(m, x.shape());
            return out;
        }

        @Override
        public String toString() {
            return "deeplift-rescale";
        }
    };

    private static final BackwardRule SOFTMAX = new BackwardRule() {
        @Override
        public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
            Tensor[] ordinary = ctx.op().backward(ctx, gradOutputs);
            if (!ctx.needsGradient(0)) {
                return ordinary;
            }
            if (!(ctx.op() instanceof SoftmaxFamilyOp op)) {
                throw new IllegalArgumentException("the DeepLIFT softmax rule applies to Softmax nodes; node '"
                        + ctx.nodeName() + "' is " + ctx.op().type());
            }
            Tensor x = ctx.input(0);
            Tensor y = ctx.output(0);
            requireHalves(ctx, x, y);
            int[] shape = x.shape();
            int rank = shape.length;
            int axis;
            int n;
            int inner;
            if (op.legacyCoerced()) {
                axis = op.axis() < 0 ? op.axis() + rank : op.axis();
                n = Shapes.size(shape, axis, rank);
                inner = 1;
            } else {
                axis = Shapes.normalizeAxis(op.axis(), rank);
                n = shape[axis];
                inner = Shapes.size(shape, axis + 1, rank);
            }
            if (axis <= 0) {
                throw new IllegalArgumentException("DeepLIFT cannot rescale softmax node '" + ctx.nodeName()
                        + "': it normalises across the batch axis, which mixes inputs and references");
            }
            int outer = Shapes.size(shape, 0, axis);
            float[] xd = x.data();
            float[] yd = y.data();
            float[] gd = gradOutputs[0].data();
            float[] od = ordinary[0].data();
            float[] m = new float[xd.length];
            int half = xd.length / 2;
            double[] line = new double[n];
            for (int o = 0; o < outer / 2; o++) {
                for (int in = 0; in < inner; in++) {
                    int base = o * n * inner + in;
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        int p = base + j * inner;
                        double dx = (double) xd[p] - xd[p + half];
                        line[j] = Math.abs(dx) >= EPS ? gd[p] * (((double) yd[p] - yd[p + half]) / dx) : od[p];
                        sum += line[j];
                    }
                    double mean = sum / n;
                    for (int j = 0; j < n; j++) {
                        m[base + j * inner] = (float) (line[j] - mean);
                    }
                }
            }
            Tensor[] out = ordinary.clone();
            out[0] = Tensor.of(m, shape);
            return out;
        }

        @Override
        public String toString() {
            return "deeplift-softmax";
        }
    };

    private static final BackwardRule MAXPOOL_SECANT = new BackwardRule() {
        @Override
        public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
            Tensor[] ordinary = ctx.op().backward(ctx, gradOutputs);
            if (!ctx.needsGradient(0)) {
                return ordinary;
            }
            Tensor x = ctx.input(0);
            Tensor y = ctx.output(0);
            if (x.dim(0) % 2 != 0 || y.dim(0) != x.dim(0)) {
                throw new IllegalArgumentException("DeepLIFT rules need a batch [inputs; references] of even size; "
                        + "node '" + ctx.nodeName() + "' has input " + Shapes.toString(x.shape()));
            }
            // Δy = (max(y, y′) − y′) + (y − max(y, y′)): the first part goes to the input's winner, the
            // second to the reference's winner (one VJP over both halves routes each half by its own argmax).
            float[] g = gradOutputs[0].data();
            float[] yd = y.data();
            int halfY = yd.length / 2;
            float[] split = new float[g.length];
            for (int j = 0; j < halfY; j++) {
                double hi = Math.max(yd[j], yd[j + halfY]);
                split[j] = (float) (g[j] * (hi - yd[j + halfY]));
                split[j + halfY] = (float) (g[j] * (yd[j] - hi));
            }
            Tensor[] routed = gradOutputs.clone();
            routed[0] = Tensor.of(split, y.shape());
            float[] r = ctx.op().backward(ctx, routed)[0].data();
            int halfX = r.length / 2;
            float[] u = new float[halfX];
            for (int i = 0; i < halfX; i++) {
                u[i] = r[i] + r[i + halfX];
            }
            float[] xd = x.data();
            float[] m = ordinary[0].data().clone();
            int half = xd.length / 2;
            for (int i = 0; i < half; i++) {
                double dx = (double) xd[i] - xd[i + half];
                if (Math.abs(dx) >= EPS) {
                    m[i] = (float) (u[i] / dx);
                }
            }
            Arrays.fill(m, half, m.length, 0f);
            Tensor[] out = ordinary.clone();
            out[0] = Tensor.of(m, x.shape());
            return out;
        }

        @Override
        public String toString() {
            return "deeplift-maxpool-secant";
        }
    };

    private static void requireHalves(BackwardContext ctx, Tensor x, Tensor y) {
        if (!Arrays.equals(x.shape(), y.shape()) || x.rank() == 0 || x.dim(0) % 2 != 0) {
            throw new IllegalArgumentException("DeepLIFT rules need an element-wise node over a batch [inputs; "
                    + "references] of even size; node '" + ctx.nodeName() + "' (" + ctx.op().type() + ") maps "
                    + Shapes.toString(x.shape()) + " to " + Shapes.toString(y.shape()));
        }
    }

    /** The rescale rule for element-wise non-linearities. */
    public static BackwardRule rescale() {
        return RESCALE;
    }

    /** The rescale rule for Softmax, centred along the softmax axis. */
    public static BackwardRule softmax() {
        return SOFTMAX;
    }

    /**
     * Opt-in rule for MaxPool and GlobalMaxPool: each output's g·Δy is split as
     * g·(max(y, y′) − y′) + g·(y − max(y, y′)); the first part goes to the window's winner at the
     * input, the second to its winner at the reference, and each element's share is divided by
     * its own Δx (the ordinary gradient where |Δx| &lt; 10⁻¹⁰). Either part's winner has |Δx| ≥
     * |its part|, so Σ m·Δx = Σ g·Δy over the pool and summation to delta holds through
     * max-pooling too. This is the cross-maximum routing of Captum's {@code maxpool} handler; it is
     * not the SPECS default.
     */
    public static BackwardRule maxPoolSecant() {
        return MAXPOOL_SECANT;
    }

    /** Softmax → {@link #softmax()}, every activation → {@link #rescale()}, everything else its own VJP. */
    public static Composite composite() {
        return composite(false);
    }

    /** {@link #composite()}, with {@link #maxPoolSecant()} on MaxPool/GlobalMaxPool when {@code secantMaxPool}. */
    public static Composite composite(boolean secantMaxPool) {
        Composite.Builder b = Composite.builder();
        if (secantMaxPool) {
            b.byType("MaxPool", MAXPOOL_SECANT).byType("GlobalMaxPool", MAXPOOL_SECANT);
        }
        return b.byType("Softmax", SOFTMAX)
                .byCategory(OpCategory.ACTIVATION, RESCALE)
                .build();
    }
}
