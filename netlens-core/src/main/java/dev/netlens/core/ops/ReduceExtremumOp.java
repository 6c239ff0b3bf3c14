package dev.netlens.core.ops;

import java.util.Arrays;

/**
 * Base of ReduceMax and ReduceMin: the extreme over {@code axes} (attributes in {@link ReduceOp});
 * NaN propagates; an empty reduction gives −∞ (max) or +∞ (min).
 *
 * <p>VJP: each output's gradient goes to the input element(s) holding the extreme, split equally
 * among ties (as PyTorch's {@code amax}/{@code amin}); where the output is NaN, to the NaN inputs.
 * The backward pass reads the input and the (small) retained output.
 */
public abstract class ReduceExtremumOp extends ReduceOp {
    protected ReduceExtremumOp(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        super(axes, keepdims, noopWithEmptyAxes);
    }

    /** True for ReduceMax, false for ReduceMin. */
    protected abstract boolean isMax();

    @Override
    public boolean retainsInput(int index) {
        return true;
    }

    @Override
    public boolean retainsOutput(int index) {
        return true;
    }

    @Override
    protected void reduce(float[] x, float[] y, Layout layout) {
        if (isMax()) {
            Arrays.fill(y, Float.NEGATIVE_INFINITY);
            layout.forEachRow((xi, yi, n, ys) -> {
                for (int k = 0; k < n; k++) {
                    float v = x[xi + k];
                    float m = y[yi + k * ys];
                    y[yi + k * ys] = v > m || v != v ? v : m;
                }
            });
        } else {
            Arrays.fill(y, Float.POSITIVE_INFINITY);
            layout.forEachRow((xi, yi, n, ys) -> {
                for (int k = 0; k < n; k++) {
                    float v = x[xi + k];
                    float m = y[yi + k * ys];
                    y[yi + k * ys] = v < m || v != v ? v : m;
                }
            });
        }
    }

    private static boolean holds(float v, float m) {
        return v == m || v != v && m != m;
    }

    @Override
    protected void vjp(BackwardContext ctx, Layout layout, float[] g, float[] gx) {
        float[] x = ctx.input(0).data();
        float[] y = ctx.output(0).data();
        int[] ties = new int[y.length];
        layout.forEachRow((xi, yi, n, ys) -> {
            for (int k = 0; k < n; k++) {
                if (holds(x[xi + k], y[yi + k * ys])) {
                    ties[yi + k * ys]++;
                }
            }
        });
        layout.forEachRow((xi, yi, n, ys) -> {
            for (int k = 0; k < n; k++) {
                int o = yi + k * ys;
                if (holds(x[xi + k], y[o])) {
                    gx[xi + k] = ties[o] == 1 ? g[o] : g[o] / ties[o];
                }
            }
        });
    }
}
