package dev.netlens.core.ops;

/** Element-wise a + b with NumPy broadcasting. Category {@link OpCategory#SUM} (residual sums). */
public final class Add extends BroadcastBinaryOp {
    @Override
    public String type() {
        return "Add";
    }

    @Override
    public OpCategory category() {
        return OpCategory.SUM;
    }

    @Override
    protected boolean backwardUsesInputs() {
        return false;
    }

    @Override
    protected void forwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi, int n) {
        if (as == 1 && bs == 1) {
            for (int k = 0; k < n; k++) {
                y[yi + k] = a[ai + k] + b[bi + k];
            }
        } else {
            for (int k = 0; k < n; k++) {
                y[yi + k] = a[ai + k * as] + b[bi + k * bs];
            }
        }
    }

    @Override
    protected void backwardRow(float[] a, int ai, int as, float[] b, int bi, int bs, float[] y, int yi,
                               float[] g, float[] ga, float[] gb, int n) {
        if (ga != null) {
            System.arraycopy(g, yi, ga, yi, n);
        }
        if (gb != null) {
            System.arraycopy(g, yi, gb, yi, n);
        }
    }
}
