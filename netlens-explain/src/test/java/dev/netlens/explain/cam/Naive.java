package dev.netlens.explain.cam;

import dev.netlens.core.tensor.Tensor;

/** Reference computations written out plainly for the tests. */
final class Naive {
    private Naive() {
    }

    /**
     * PyTorch's bilinear interpolation with align_corners=False for one axis: source coordinate
     * (o + 0.5)·in/out − 0.5, clamped below at 0; neighbours i0 = floor, i1 = min(i0 + 1, in − 1).
     */
    static double[][] bilinear(double[][] m, int outH, int outW) {
        int inH = m.length;
        int inW = m[0].length;
        double[][] r = new double[outH][outW];
        for (int o = 0; o < outH; o++) {
            double sy = Math.max(0, (o + 0.5) * inH / outH - 0.5);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, inH - 1);
            y0 = Math.min(y0, inH - 1);
            double ly = sy - Math.floor(sy);
            for (int p = 0; p < outW; p++) {
                double sx = Math.max(0, (p + 0.5) * inW / outW - 0.5);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, inW - 1);
                x0 = Math.min(x0, inW - 1);
                double lx = sx - Math.floor(sx);
                r[o][p] = (1 - ly) * ((1 - lx) * m[y0][x0] + lx * m[y0][x1]) + ly * ((1 - lx) * m[y1][x0] + lx * m[y1][x1]);
            }
        }
        return r;
    }

    /** Plane [n][c] of a 4-D tensor as a matrix. */
    static double[][] plane(Tensor t, int n, int c) {
        int h = t.dim(2);
        int w = t.dim(3);
        double[][] m = new double[h][w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                m[i][j] = t.get(n, c, i, j);
            }
        }
        return m;
    }

    static double[][] sumWeighted(double[][][] a, double[] w, boolean relu) {
        int h = a[0].length;
        int wd = a[0][0].length;
        double[][] r = new double[h][wd];
        for (int k = 0; k < a.length; k++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < wd; j++) {
                    r[i][j] += w[k] * a[k][i][j];
                }
            }
        }
        return relu ? relu(r) : r;
    }

    static double[][] relu(double[][] m) {
        double[][] r = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[i].clone();
            for (int j = 0; j < r[i].length; j++) {
                r[i][j] = Math.max(r[i][j], 0);
            }
        }
        return r;
    }
}
