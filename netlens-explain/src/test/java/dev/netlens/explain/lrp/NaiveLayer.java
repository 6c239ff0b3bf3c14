package dev.netlens.explain.lrp;

import java.util.ArrayList;
import java.util.List;

/**
 * A dense or convolutional layer written out as explicit taps (one item): out[j] = Σ_t w_t ·
 * in[tap_t] + b_j, where padding positions are simply absent. The LRP rules are then evaluated
 * from their textbook formulas in double precision, independently of the engine.
 */
final class NaiveLayer {
    final int inSize;
    final int outSize;
    final int[][] taps;
    final double[][] weights;
    final double[] bias;
    /** The input channel of each input index (for per-channel z^B bounds). */
    final int[] channelOf;

    private NaiveLayer(int inSize, int outSize, int[][] taps, double[][] weights, double[] bias, int[] channelOf) {
        this.inSize = inSize;
        this.outSize = outSize;
        this.taps = taps;
        this.weights = weights;
        this.bias = bias;
        this.channelOf = channelOf;
    }

    /** Gemm.linear(): W [out, in], bias [out] (may be null). */
    static NaiveLayer dense(float[] w, float[] b, int in, int out) {
        int[][] taps = new int[out][in];
        double[][] ws = new double[out][in];
        double[] bias = new double[out];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                taps[j][i] = i;
                ws[j][i] = w[j * in + i];
            }
            bias[j] = b == null ? 0 : b[j];
        }
        return new NaiveLayer(in, out, taps, ws, bias, new int[in]);
    }

    /** A 2-D convolution over one item [C, H, W] (H = 1 and kh = 1 for 1-D), symmetric padding. */
    static NaiveLayer conv(float[] w, float[] b, int c, int h, int wd, int m, int kh, int kw, int stride, int pad,
                           int groups) {
        int padH = kh == 1 && h == 1 ? 0 : pad;
        int oh = (h + 2 * padH - kh) / stride + 1;
        int ow = (wd + 2 * pad - kw) / stride + 1;
        int cg = c / groups;
        int mg = m / groups;
        int out = m * oh * ow;
        int[][] taps = new int[out][];
        double[][] ws = new double[out][];
        double[] bias = new double[out];
        for (int mo = 0; mo < m; mo++) {
            int g = mo / mg;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int j = (mo * oh + y) * ow + x;
                    List<int[]> t = new ArrayList<>();
                    List<Double> wt = new ArrayList<>();
                    for (int ci = 0; ci < cg; ci++) {
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = y * stride - padH + ky;
                                int ix = x * stride - pad + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                    continue;
                                }
                                int cin = g * cg + ci;
                                t.add(new int[] {(cin * h + iy) * wd + ix});
                                wt.add((double) w[((mo * cg + ci) * kh + ky) * kw + kx]);
                            }
                        }
                    }
                    taps[j] = t.stream().mapToInt(a -> a[0]).toArray();
                    ws[j] = wt.stream().mapToDouble(Double::doubleValue).toArray();
                    bias[j] = b == null ? 0 : b[mo];
                }
            }
        }
        int[] channelOf = new int[c * h * wd];
        for (int i = 0; i < channelOf.length; i++) {
            channelOf[i] = i / (h * wd);
        }
        return new NaiveLayer(c * h * wd, out, taps, ws, bias, channelOf);
    }

    double[] forward(double[] a) {
        double[] z = new double[outSize];
        for (int j = 0; j < outSize; j++) {
            double s = bias[j];
            for (int t = 0; t < taps[j].length; t++) {
                s += a[taps[j][t]] * weights[j][t];
            }
            z[j] = s;
        }
        return z;
    }

    /** Contribution of input a (at index i, with bounds l, h) through weight w, for one rule part. */
    interface Contribution {
        double of(double a, double w, double l, double h);
    }

    /** One part of a rule: contributions c_ij, a bias term, and the part's coefficient. */
    record Part(Contribution c, java.util.function.DoubleUnaryOperator bias, double coefficient) {
    }

    static double pos(double v) {
        return Math.max(v, 0);
    }

    static double neg(double v) {
        return Math.min(v, 0);
    }

    static double stab(double z, double eps) {
        return z >= 0 ? z + eps : z - eps;
    }

    /** The denominators d_j of each part. */
    double[][] denominators(double[] a, List<Part> parts, double[] low, double[] high) {
        double[][] d = new double[parts.size()][outSize];
        for (int p = 0; p < parts.size(); p++) {
            Part part = parts.get(p);
            for (int j = 0; j < outSize; j++) {
                double s = part.bias().applyAsDouble(bias[j]);
                for (int t = 0; t < taps[j].length; t++) {
                    int i = taps[j][t];
                    s += part.c().of(a[i], weights[j][t], bound(low, i), bound(high, i));
                }
                d[p][j] = s;
            }
        }
        return d;
    }

    private double bound(double[] b, int i) {
        if (b == null) {
            return 0;
        }
        return b.length == 1 ? b[0] : b[channelOf[i]];
    }

    /** R_i = Σ_parts coef Σ_j c_ij R_j / stab(d_j). */
    double[] relevance(double[] a, double[] r, List<Part> parts, double eps, double[] low, double[] high) {
        double[][] d = denominators(a, parts, low, high);
        double[] out = new double[inSize];
        for (int p = 0; p < parts.size(); p++) {
            Part part = parts.get(p);
            for (int j = 0; j < outSize; j++) {
                double q = r[j] / stab(d[p][j], eps);
                for (int t = 0; t < taps[j].length; t++) {
                    int i = taps[j][t];
                    out[i] += part.coefficient() * part.c().of(a[i], weights[j][t], bound(low, i), bound(high, i)) * q;
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ the rules, from their formulas

    static List<Part> epsilon() {
        return List.of(new Part((a, w, l, h) -> a * w, b -> b, 1));
    }

    static List<Part> gamma(double g) {
        return List.of(new Part((a, w, l, h) -> a * (w + g * pos(w)), b -> b + g * pos(b), 1));
    }

    static List<Part> zPlus() {
        return List.of(new Part((a, w, l, h) -> pos(a) * pos(w) + neg(a) * neg(w), b -> 0, 1));
    }

    static List<Part> alphaBeta(double alpha, double beta) {
        return List.of(new Part((a, w, l, h) -> pos(a) * pos(w) + neg(a) * neg(w), NaiveLayer::pos, alpha),
                new Part((a, w, l, h) -> pos(a) * neg(w) + neg(a) * pos(w), NaiveLayer::neg, -beta));
    }

    static List<Part> wSquare() {
        return List.of(new Part((a, w, l, h) -> w * w, b -> 0, 1));
    }

    static List<Part> flat() {
        return List.of(new Part((a, w, l, h) -> 1, b -> 0, 1));
    }

    static List<Part> zBox() {
        return List.of(new Part((a, w, l, h) -> a * w - l * pos(w) - h * neg(w), b -> 0, 1));
    }
}
