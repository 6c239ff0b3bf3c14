package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ONNX Dropout (opset 12+ semantics, with the ratio as an attribute and the training mode taken
 * from {@link ForwardContext#training()}). At inference the output is the input (a view) and the
 * optional mask is all ones. In training each element is kept with probability 1 − ratio, using
 * {@link ForwardContext#random()}: y = x · mask / (1 − ratio), and the optional second output is
 * the mask as 0/1 floats. {@code ratio} defaults to 0.5 and lies in [0, 1). The VJP multiplies by
 * the same scaled mask (saved by the forward pass); no input values are retained. The mask output
 * has no gradient. Category {@link OpCategory#IDENTITY}.
 */
public final class Dropout extends ValueOp {
    private final float ratio;
    private final boolean maskOutput;

    /** Dropout with ratio 0.5 and a single output. */
    public Dropout() {
        this(0.5f);
    }

    /** Dropout with a single output. */
    public Dropout(float ratio) {
        this(ratio, false);
    }

    /** Dropout; with {@code maskOutput} the op also produces the mask (ONNX output "mask"). */
    public Dropout(float ratio, boolean maskOutput) {
        if (!(ratio >= 0f && ratio < 1f)) {
            throw new IllegalArgumentException("Dropout: ratio " + ratio + " is out of range; valid: 0 <= ratio < 1");
        }
        this.ratio = ratio;
        this.maskOutput = maskOutput;
    }

    public float ratio() {
        return ratio;
    }

    /** Number of outputs: 2 with the mask, else 1. */
    public int outputCount() {
        return maskOutput ? 2 : 1;
    }

    @Override
    public String type() {
        return "Dropout";
    }

    @Override
    public OpCategory category() {
        return OpCategory.IDENTITY;
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("ratio", ratio);
        return a;
    }

    @Override
    public String toString() {
        return describe(type(), attributes()) + (maskOutput ? " with mask" : "");
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && ((Dropout) o).maskOutput == maskOutput;
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + (maskOutput ? 1 : 0);
    }

    private float scale() {
        return (float) (1.0 / (1.0 - ratio));
    }

    @Override
    public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs("Dropout", inputs, 1, 1);
        Tensor x = inputs[0];
        int[] shape = x.shape();
        if (!ctx.training()) {
            Tensor y = Tensor.of(x.data(), shape);
            return maskOutput ? new Tensor[] {y, Tensor.full(1f, shape)} : new Tensor[] {y};
        }
        float[] xd = x.data();
        int n = xd.length;
        BitSet keep = new BitSet(n);
        SplittableRandom random = ctx.random();
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() >= ratio) {
                keep.set(i);
            }
        }
        float s = scale();
        Tensor y = Tensor.zeros(shape);
        float[] yd = y.data();
        for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
            yd[i] = xd[i] * s;
        }
        ctx.save(keep);
        if (!maskOutput) {
            return new Tensor[] {y};
        }
        Tensor mask = Tensor.zeros(shape);
        float[] md = mask.data();
        for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
            md[i] = 1f;
        }
        return new Tensor[] {y, mask};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        Tensor g = gradOutputs[0];
        Object saved = ctx.saved();
        if (saved == null) {
            return new Tensor[] {Tensor.of(g.data(), ctx.inputShape(0))};
        }
        BitSet keep = (BitSet) saved;
        float s = scale();
        float[] gd = g.data();
        Tensor gx = Tensor.zeros(ctx.inputShape(0));
        float[] gxd = gx.data();
        for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
            gxd[i] = gd[i] * s;
        }
        return new Tensor[] {gx};
    }
}
