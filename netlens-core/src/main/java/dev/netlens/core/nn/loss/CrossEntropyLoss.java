package dev.netlens.core.nn.loss;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Objects;

/**
 * Softmax cross-entropy on logits, with PyTorch's {@code torch.nn.CrossEntropyLoss} semantics
 * ({@code reduction='mean'}, optional {@code label_smoothing}).
 *
 * <p>Predictions are logits {@code [N, C]}. Targets are either
 * <ul>
 *   <li>class indices {@code [N]}, stored as floats holding integers in {@code [0, C)}; or</li>
 *   <li>class probabilities {@code [N, C]} (used as given: like PyTorch, rows are not required to
 *       sum to one).</li>
 * </ul>
 * With label smoothing ε the target of each row becomes {@code (1 − ε)·target + ε/C} (for index
 * targets: {@code (1 − ε)·onehot + ε/C}), as in PyTorch and Szegedy et al., "Rethinking the Inception
 * Architecture for Computer Vision", CVPR 2016. The loss of row {@code i} is
 * {@code −Σ_c t_ic · log softmax(x_i)_c}; the value is their mean over the batch, and the gradient
 * is {@code (softmax(x_i) · Σ_c t_ic − t_i) / N}.
 *
 * <p>The log-softmax is computed in double after subtracting the row maximum, so large logits
 * neither overflow nor lose the small probabilities. PyTorch's {@code ignore_index} and per-class
 * {@code weight} are not supported: an index outside {@code [0, C)} is an error.
 *
 * <pre>{@code
 * LossValue l = CrossEntropyLoss.create().evaluate(logits, Tensor.of(new float[] {3, 0}, 2));
 * }</pre>
 */
public final class CrossEntropyLoss implements Loss {
    private static final String NAME = "CrossEntropyLoss";
    private final double labelSmoothing;

    private CrossEntropyLoss(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(NAME + ": label smoothing must be in [0, 1] (0 = none), got "
                    + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    /** Plain cross-entropy (no label smoothing). */
    public static CrossEntropyLoss create() {
        return new CrossEntropyLoss(0);
    }

    /**
     * Cross-entropy against targets smoothed towards the uniform distribution by {@code epsilon}.
     *
     * @param epsilon in [0, 1]; PyTorch's {@code label_smoothing}
     */
    public static CrossEntropyLoss withLabelSmoothing(double epsilon) {
        return new CrossEntropyLoss(epsilon);
    }

    /** The label-smoothing ε (0 when none). */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public LossValue evaluate(Tensor logits, Tensor targets) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(targets, "targets");
        if (logits.rank() != 2 || logits.dim(0) == 0 || logits.dim(1) == 0) {
            throw new IllegalArgumentException(NAME + ": logits must have shape [N, C] with N, C >= 1, got "
                    + Shapes.toString(logits.shape()));
        }
        int n = logits.dim(0);
        int c = logits.dim(1);
        boolean indices = targets.hasShape(n);
        if (!indices && !targets.hasShape(n, c)) {
            throw new IllegalArgumentException(NAME + ": for logits " + Shapes.toString(logits.shape())
                    + " the targets must be class indices [" + n + "] or class probabilities [" + n + ", " + c
                    + "], got " + Shapes.toString(targets.shape()));
        }
        if (indices) {
            checkIndices(targets.data(), c);
        }
        float[] x = logits.data();
        float[] t = targets.data();
        float[] grad = new float[n * c];
        double[] logp = new double[c];
        double[] weight = new double[c];
        double uniform = labelSmoothing / c;
        double keep = 1 - labelSmoothing;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            logSoftmax(x, row, c, logp);
            for (int k = 0; k < c; k++) {
                weight[k] = indices ? uniform : keep * t[row + k] + uniform;
            }
            if (indices) {
                weight[(int) t[i]] += keep;
            }
            double weightSum = 0;
            double rowLoss = 0;
            for (int k = 0; k < c; k++) {
                weightSum += weight[k];
                rowLoss -= weight[k] * logp[k];
            }
            total += rowLoss;
            for (int k = 0; k < c; k++) {
                grad[row + k] = (float) ((Math.exp(logp[k]) * weightSum - weight[k]) / n);
            }
        }
        return new LossValue(total / n, Tensor.of(grad, n, c));
    }

    /** Fills {@code out} with log softmax of {@code x[offset, offset + c)}, in double. */
    private static void logSoftmax(float[] x, int offset, int c, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            max = Math.max(max, x[offset + k]);
        }
        double sum = 0;
        for (int k = 0; k < c; k++) {
            sum += Math.exp(x[offset + k] - max);
        }
        double logSum = max + Math.log(sum);
        for (int k = 0; k < c; k++) {
            out[k] = x[offset + k] - logSum;
        }
    }

    private static void checkIndices(float[] t, int c) {
        for (int i = 0; i < t.length; i++) {
            float v = t[i];
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException(NAME + ": class index targets must be integers, got " + v
                        + " at position " + i + " (pass probabilities as a [N, C] tensor)");
            }
            if (v < 0 || v >= c) {
                throw new IllegalArgumentException(NAME + ": class index " + (long) v + " at position " + i
                        + " is outside [0, " + c + ") for " + c + " classes");
            }
        }
    }
}
