package dev.netlens.explain.cam;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.List;

/**
 * A network small enough to explain by hand: x [N, 1, 3, 3] → conv (2 channels, 2×2 kernel, no
 * padding) → z → relu = "A" [N, 2, 2, 2] → flatten [N, 8] → linear (3 classes) → "logits". Since
 * logits = W·flatten(A) + b, the layer gradient of class c is W[c] reshaped to [2, 2, 2] — known
 * without running anything — and A is a 2×2 convolution computed below in plain loops.
 */
final class TinyCnn {
    /** Conv kernels [2, 1, 2, 2]: channel 0 = [[1, 0], [0, 1]], channel 1 = [[0, −1], [1, 0]]. */
    static final float[][][] K = {{{1, 0}, {0, 1}}, {{0, -1}, {1, 0}}};
    static final float[] BIAS = {0f, 0.5f};
    /** Linear weights [3, 8] over (channel, row, col); class 1 reads only channel 1. */
    static final float[][] W = {
            {1, -1, 2, 0.5f, 0.25f, 1, -2, 3},
            {0, 0, 0, 0, 1, 1, 1, 1},
            {-1, 0, 0, 0, 0, 0, 0, 0.5f}};
    static final float[] B = {0.1f, -0.2f, 0.3f};

    /** Two 3×3 inputs. */
    static final float[][][] X = {
            {{1, 2, 0}, {0, 1, 3}, {2, 0, 1}},
            {{0, 1, 1}, {2, 0, 0}, {1, 1, 2}}};

    private TinyCnn() {
    }

    static ExplainedModel model() {
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 1, 3, 3);
        float[] k = new float[8];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    k[c * 4 + i * 2 + j] = K[c][i][j];
                }
            }
        }
        b.parameter("k", Tensor.of(k, 2, 1, 2, 2));
        b.parameter("kb", Tensor.of(BIAS.clone(), 2));
        float[] w = new float[24];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(W[c], 0, w, c * 8, 8);
        }
        b.parameter("w", Tensor.of(w, 3, 8));
        b.parameter("b", Tensor.of(B.clone(), 3));
        b.node("conv", Conv.of(1, 0), List.of("x", "k", "kb"), List.of("z"));
        b.node("relu", new Relu(), List.of("z"), List.of("A"));
        b.node("flatten", new Flatten(1), List.of("A"), List.of("flat"));
        b.node("fc", Gemm.linear(), List.of("flat", "w", "b"), List.of("logits"));
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    /** Input tensor of the first {@code n} example images. */
    static Tensor input(int n) {
        float[] d = new float[n * 9];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    d[i * 9 + r * 3 + c] = X[i][r][c];
                }
            }
        }
        return Tensor.of(d, n, 1, 3, 3);
    }

    /** Pre-activation z[k][p][q] of a 3×3 image, by hand. */
    static double[][][] z(double[][] x) {
        double[][][] z = new double[2][2][2];
        for (int c = 0; c < 2; c++) {
            for (int p = 0; p < 2; p++) {
                for (int q = 0; q < 2; q++) {
                    double s = BIAS[c];
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 2; j++) {
                            s += K[c][i][j] * x[p + i][q + j];
                        }
                    }
                    z[c][p][q] = s;
                }
            }
        }
        return z;
    }

    static double[][][] a(double[][] x) {
        double[][][] z = z(x);
        for (double[][] c : z) {
            for (double[] r : c) {
                for (int q = 0; q < r.length; q++) {
                    r[q] = Math.max(r[q], 0);
                }
            }
        }
        return z;
    }

    static double[][][] a(int item) {
        return a(image(item));
    }

    static double[][] image(int item) {
        double[][] x = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                x[r][c] = X[item][r][c];
            }
        }
        return x;
    }

    /** The layer gradient ∂logit_cls/∂A = W[cls] as [2][2][2]. */
    static double[][][] g(int cls) {
        double[][][] g = new double[2][2][2];
        for (int c = 0; c < 2; c++) {
            for (int p = 0; p < 2; p++) {
                for (int q = 0; q < 2; q++) {
                    g[c][p][q] = W[cls][c * 4 + p * 2 + q];
                }
            }
        }
        return g;
    }

    /** The logits of a 3×3 image, by hand. */
    static double[] logits(double[][] x) {
        double[][][] a = a(x);
        double[] y = new double[3];
        for (int cls = 0; cls < 3; cls++) {
            double s = B[cls];
            for (int c = 0; c < 2; c++) {
                for (int p = 0; p < 2; p++) {
                    for (int q = 0; q < 2; q++) {
                        s += W[cls][c * 4 + p * 2 + q] * a[c][p][q];
                    }
                }
            }
            y[cls] = s;
        }
        return y;
    }
}
