package dev.netlens.core.ops;

/**
 * ONNX ReduceSum: y = Σ x over {@code axes} (attributes and axis rules in {@link ReduceOp}),
 * accumulated in double in row-major input order. VJP: each input element receives its output's
 * gradient; the backward pass reads no tensors.
 */
public final class ReduceSum extends ReduceOp {
    private ReduceSum(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        super(axes, keepdims, noopWithEmptyAxes);
    }

    /** ReduceSum over {@code axes} (none = all) with keepdims = 1. */
    public static ReduceSum over(int... axes) {
        return new ReduceSum(axes, true, false);
    }

    /** ReduceSum over all axes with keepdims = 1 (the ONNX defaults). */
    public static ReduceSum all() {
        return new ReduceSum(null, true, false);
    }

    /** ReduceSum with every attribute given ({@code axes} null = absent). */
    public static ReduceSum of(int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        return new ReduceSum(axes, keepdims, noopWithEmptyAxes);
    }

    @Override
    public String type() {
        return "ReduceSum";
    }

    @Override
    public boolean retainsInput(int index) {
        return false;
    }

    /** y = scale · Σ x per output, summed in double. */
    static void sum(float[] x, float[] y, Layout layout, double scale) {
        double[] acc = new double[y.length];
        layout.forEachRow((xi, yi, n, ys) -> {
            if (ys == 0) {
                double s = acc[yi];
                for (int k = 0; k < n; k++) {
                    s += x[xi + k];
                }
                acc[yi] = s;
            } else {
                for (int k = 0; k < n; k++) {
                    acc[yi + k] += x[xi + k];
                }
            }
        });
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (acc[i] * scale);
        }
    }

    /** gx = scale · g broadcast back over the reduced axes. */
    static void spread(float[] g, float[] gx, Layout layout, float scale) {
        layout.forEachRow((xi, yi, n, ys) -> {
            if (ys == 0) {
                float v = g[yi] * scale;
                for (int k = 0; k < n; k++) {
                    gx[xi + k] = v;
                }
            } else {
                for (int k = 0; k < n; k++) {
                    gx[xi + k] = g[yi + k] * scale;
                }
            }
        });
    }

    @Override
    protected void reduce(float[] x, float[] y, Layout layout) {
        sum(x, y, layout, 1.0);
    }

    @Override
    protected void vjp(BackwardContext ctx, Layout layout, float[] g, float[] gx) {
        spread(g, gx, layout, 1f);
    }
}
