package dev.netlens.core.ops;

import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.tensor.Tensor;

/**
 * Base of element-wise unary ops y = f(x). Subclasses write the loops themselves (so that each
 * loop is monomorphic and JIT-compiled for that op) and say whether the derivative reads the
 * input or the output; this class allocates, parallelises, declares retention and runs the op in
 * place when the graph executor allows it ({@link InPlaceForward}). The forward pass is
 * {@link #apply} and nothing else: {@link #forward} and {@link #forwardInPlace} are final.
 */
public abstract class UnaryElementwiseOp implements Op, InPlaceForward {
    /** Minimum elements per parallel chunk. */
    protected static final int GRAIN = 1 << 15;

    /**
     * y[i] = f(x[i]) for i in [from, to). {@code x} and {@code y} may be the same array (plain
     * forward passes run these ops in place, {@link #forwardInPlace}): read x[i] before writing
     * y[i], and no other element.
     */
    protected abstract void apply(float[] x, float[] y, int from, int to);

    /**
     * gx[i] = g[i] · f′ for i in [from, to). {@code x} is null unless {@link #derivativeUsesInput()},
     * {@code y} is null unless {@link #derivativeUsesOutput()}.
     */
    protected abstract void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to);

    /** Whether {@link #derivative} reads the input (default true). */
    protected boolean derivativeUsesInput() {
        return true;
    }

    /** Whether {@link #derivative} reads the output (default false). */
    protected boolean derivativeUsesOutput() {
        return false;
    }

    @Override
    public OpCategory category() {
        return OpCategory.ACTIVATION;
    }

    @Override
    public boolean retainsInput(int index) {
        return derivativeUsesInput();
    }

    @Override
    public boolean retainsOutput(int index) {
        return derivativeUsesOutput();
    }

    @Override
    public final Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
        OpSupport.requireInputs(type(), inputs, 1, 1);
        Tensor x = inputs[0];
        Tensor y = Tensor.uninitializedLike(x);
        float[] xd = x.data();
        float[] yd = y.data();
        Parallel.range(xd.length, GRAIN, (from, to) -> apply(xd, yd, from, to));
        return new Tensor[] {y};
    }

    @Override
    public boolean canOverwrite(Tensor[] inputs, int index) {
        return index == 0 && inputs.length == 1;
    }

    /** y = f(x) over x's array: each element is read once, before it is written. */
    @Override
    public final Tensor[] forwardInPlace(ForwardContext ctx, Tensor[] inputs, int index) {
        OpSupport.requireInputs(type(), inputs, 1, 1);
        float[] xd = inputs[0].data();
        Parallel.range(xd.length, GRAIN, (from, to) -> apply(xd, xd, from, to));
        return new Tensor[] {Tensor.of(xd, inputs[0].shape())};
    }

    @Override
    public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
        if (!ctx.needsGradient(0)) {
            return new Tensor[1];
        }
        float[] x = derivativeUsesInput() ? ctx.input(0).data() : null;
        float[] y = derivativeUsesOutput() ? ctx.output(0).data() : null;
        Tensor g = gradOutputs[0];
        Tensor gx = Tensor.uninitializedLike(g);
        float[] gd = g.data();
        float[] gxd = gx.data();
        Parallel.range(gd.length, GRAIN, (from, to) -> derivative(x, y, gd, gxd, from, to));
        return new Tensor[] {gx};
    }

    @Override
    public String toString() {
        return OpText.of(type(), attributes());
    }

    @Override
    public int[][] outputShapes(int[][] in, int outputCount) {
        return ShapeProbe.same(in[0], outputCount);
    }
}
