package dev.netlens.explain.gradient;

import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.tensor.TensorArena;

/**
 * The quadrature loop of path methods: Σ_k w_k g(α_k) per item, where g(α) is a gradient evaluated
 * for every batch item at once. Steps are evaluated in passes of at most {@code stepsPerPass} steps
 * per item, so memory is bounded by (items × stepsPerPass) rows whatever the number of steps; the
 * accumulation order (step by step, in double) depends neither on the pass size nor on the thread
 * count (threads split the elements).
 */
final class PathIntegral {
    private PathIntegral() {
    }

    /** Gradients at the path points for these nodes: a tensor [items × alphas.length, …], item-major. */
    @FunctionalInterface
    interface StepGradients {
        Tensor at(double[] alphas);
    }

    /**
     * The weighted sum of the gradients over all nodes of {@code q}, per element of the gradient
     * rows of one item: a double array [items × per-item size], item-major.
     */
    static double[] integrate(int items, Quadrature q, int stepsPerPass, StepGradients f) {
        double[] acc = null;
        int per = 0;
        // Each pass's arrays (activations, gradients) are reused by the next pass and the next call
        // on this thread; only the double sums outlive a pass.
        TensorArena arena = TensorArena.shared();
        for (int k0 = 0; k0 < q.size(); k0 += stepsPerPass) {
            int s = Math.min(stepsPerPass, q.size() - k0);
            double[] alphas = new double[s];
            for (int j = 0; j < s; j++) {
                alphas[j] = q.alpha(k0 + j);
            }
            try (TensorArena.Scope pass = arena.enter()) {
                Tensor g = f.at(alphas);
                if (g.dim(0) != items * s) {
                    throw new IllegalStateException("expected " + items * s + " gradient rows, got " + g.dim(0));
                }
                if (acc == null) {
                    per = g.size() / g.dim(0);
                    acc = new double[items * per];
                }
                float[] gd = g.data();
                double[] sum = acc;
                int n = per;
                int first = k0;
                // Split over elements (each element's sum keeps its step order, so the result does not
                // depend on the thread count).
                Parallel.range(per, 1 << 14, (from, to) -> {
                    for (int i = 0; i < items; i++) {
                        for (int j = 0; j < s; j++) {
                            double w = q.weight(first + j);
                            int row = (i * s + j) * n;
                            int dst = i * n;
                            for (int e = from; e < to; e++) {
                                sum[dst + e] += w * gd[row + e];
                            }
                        }
                    }
                });
            }
        }
        return acc;
    }

    /**
     * Path points start + α (end − start) for every item and node, item-major: row (i, j) holds item
     * i at alphas[j].
     */
    static Tensor points(Tensor start, Tensor end, double[] alphas) {
        int n = start.dim(0);
        int per = start.size() / n;
        int s = alphas.length;
        Tensor rows = Tensor.uninitialized(GradientSupport.withBatch(start.shape(), n * s));
        float[] a = start.data();
        float[] b = end.data();
        float[] r = rows.data();
        Parallel.range(per, 1 << 14, (from, to) -> {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    float alpha = (float) alphas[j];
                    int dst = (i * s + j) * per;
                    int src = i * per;
                    for (int e = from; e < to; e++) {
                        r[dst + e] = a[src + e] + alpha * (b[src + e] - a[src + e]);
                    }
                }
            }
        });
        return rows;
    }

    /** (end − start) ⊙ integral, as a tensor of start's shape. */
    static Tensor scaleByDifference(Tensor start, Tensor end, double[] integral) {
        Tensor out = Tensor.zerosLike(end);
        float[] a = start.data();
        float[] b = end.data();
        float[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = (float) (((double) b[i] - a[i]) * integral[i]);
        }
        return out;
    }

    /** Σ attr − (f(x) − f(x′)) per item, as a tensor [N]. */
    static Tensor convergenceDelta(Tensor attribution, float[] atInput, float[] atBaseline) {
        double[] sums = GradientSupport.itemSums(attribution);
        float[] d = new float[sums.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (sums[i] - ((double) atInput[i] - atBaseline[i]));
        }
        return Tensor.of(d, d.length);
    }
}
