package dev.netlens.explain.cam;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.NodeMatcher;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.Clip;
import dev.netlens.core.tensor.Tensor;

/**
 * A minimal guided-backpropagation rule for Guided Grad-CAM (SPECS §A): at every ReLU-family node
 * (Relu, and Clip with min 0 such as ReLU6) the backward pass becomes
 * g_in = max(g_out, 0) ⊙ [lo &lt; x &lt; hi] — [x &gt; 0] for Relu, [0 &lt; x &lt; 6] for ReLU6.
 *
 * <p>Interim: to be replaced by {@code dev.netlens.explain.gradient.GuidedBackprop}'s composite
 * once that class is merged.
 */
final class GuidedRelu {
    /** Relu nodes, and Clip nodes whose lower bound is 0 (ReLU6 and friends). */
    static final NodeMatcher RELU_FAMILY = (node, graph) -> node.op().type().equals("Relu")
            || node.op() instanceof Clip c && c.min() == 0f;

    /** The guided rule for one Relu / Clip(0, hi) node. */
    static final BackwardRule RULE = GuidedRelu::backward;

    private GuidedRelu() {
    }

    /** The composite applying the guided rule to the ReLU family, or to Relu nodes only (Captum). */
    static Composite composite(boolean reluOnly) {
        return Composite.builder().rule(reluOnly ? NodeMatcher.type("Relu") : RELU_FAMILY, RULE).build();
    }

    private static Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[ctx.inputCount()];
        }
        float hi = ctx.op() instanceof Clip c ? c.max() : Float.POSITIVE_INFINITY;
        Tensor x = ctx.input(0);
        Tensor g = gradOutputs[0];
        Tensor out = Tensor.zerosLike(x);
        float[] xd = x.data();
        float[] gd = g.data();
        float[] od = out.data();
        for (int i = 0; i < od.length; i++) {
            float v = xd[i];
            od[i] = v > 0f && v < hi && gd[i] > 0f ? gd[i] : 0f;
        }
        Tensor[] r = new Tensor[ctx.inputCount()];
        r[0] = out;
        return r;
    }
}
