package dev.netlens.explain.gradient;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.NodeMatcher;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.Clip;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.FloatMasks;
import dev.netlens.core.tensor.Tensor;

/**
 * The backward rule of guided backpropagation and deconvnet at ReLU-family nodes, built from one
 * mechanism: only the positive part of the incoming gradient passes, optionally masked by where
 * the activation is strictly increasing in the forward pass:
 * <pre>
 *   g_in = max(g_out, 0) ⊙ [lo &lt; x &lt; hi]   (forward mask on: {@link #GUIDED})
 *   g_in = max(g_out, 0)                   (forward mask off: {@link #DECONVNET})
 * </pre>
 * with (lo, hi) = (0, +∞) for Relu and (0, max) for Clip(0, max) (ReLU6 = Clip(0, 6)). The
 * ReLU family is Relu and every Clip whose lower bound is 0 ({@link #reluFamily}). Rules are
 * immutable values; install them per backward pass with {@link #composite(boolean)} — the graph is
 * never changed.
 *
 * <pre>{@code
 * Composite guided = ReluFamilyRule.GUIDED.composite(false);
 * Tensor g = Gradients.input(model, x, target, guided).gradient();
 * }</pre>
 */
public final class ReluFamilyRule implements BackwardRule {
    /** Guided backpropagation (Springenberg et al. 2015): positive gradients where the unit was active. */
    public static final ReluFamilyRule GUIDED = new ReluFamilyRule("guided", true);
    /** Deconvnet (Zeiler &amp; Fergus 2014): positive gradients, the forward mask ignored. */
    public static final ReluFamilyRule DECONVNET = new ReluFamilyRule("deconvnet", false);

    private final String name;
    private final boolean forwardMask;

    private ReluFamilyRule(String name, boolean forwardMask) {
        this.name = name;
        this.forwardMask = forwardMask;
    }

    /** Whether the forward pass's activity mask multiplies the gradient. */
    public boolean usesForwardMask() {
        return forwardMask;
    }

    /**
     * ReLU-family nodes: Relu, and (unless {@code reluOnly}) Clip with lower bound 0 (ReLU6 and
     * kin). {@code reluOnly} reproduces Captum, which overrides only {@code nn.ReLU} modules.
     */
    public static NodeMatcher reluFamily(boolean reluOnly) {
        return (node, graph) -> node.op() instanceof Relu || !reluOnly && isZeroClip(node.op());
    }

    /** A composite installing this rule at every ReLU-family node. */
    public Composite composite(boolean reluOnly) {
        return Composite.builder().rule(reluFamily(reluOnly), this).build();
    }

    private static boolean isZeroClip(Op op) {
        return op instanceof Clip c && c.min() == 0f;
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        Op op = ctx.op();
        float hi;
        if (op instanceof Relu) {
            hi = Float.POSITIVE_INFINITY;
        } else if (isZeroClip(op)) {
            hi = ((Clip) op).max();
        } else {
            throw new IllegalStateException("the " + name + " ReLU rule applies to Relu and Clip(min = 0) nodes, not to "
                    + op + " (node '" + ctx.nodeName() + "'); select nodes with ReluFamilyRule.reluFamily");
        }
        Tensor[] result = new Tensor[ctx.inputCount()];
        if (!ctx.needsGradient(0)) {
            return result;
        }
        float[] g = gradOutputs[0].data();
        Tensor out = Tensor.zerosLike(gradOutputs[0]);
        float[] o = out.data();
        if (forwardMask) {
            float[] x = ctx.input(0).data();
            for (int i = 0; i < o.length; i++) {
                // x > 0, x < hi and g > 0, without data-dependent branches.
                o[i] = FloatMasks.ifPositive(x[i], FloatMasks.ifPositive(hi - x[i], FloatMasks.ifPositive(g[i], g[i])));
            }
        } else {
            for (int i = 0; i < o.length; i++) {
                o[i] = FloatMasks.ifPositive(g[i], g[i]);
            }
        }
        result[0] = out;
        return result;
    }

    @Override
    public String toString() {
        return name + " ReLU rule";
    }
}
