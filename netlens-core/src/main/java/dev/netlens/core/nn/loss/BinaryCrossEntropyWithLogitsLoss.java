package dev.netlens.core.nn.loss;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Objects;

/**
 * Sigmoid binary cross-entropy on logits, with PyTorch's {@code torch.nn.BCEWithLogitsLoss}
 * semantics ({@code reduction='mean'}: averaged over all elements; optional {@code pos_weight}).
 *
 * <p>Predictions are logits of any shape, targets the same shape (probabilities, usually 0 or 1).
 * Per element, with {@code l = 1 + (p − 1)·t} for the positive-class weight {@code p} (1 when none),
 * <pre>
 *   loss = (1 − t)·x + l·softplus(−x),    softplus(−x) = max(−x, 0) + log(1 + exp(−|x|))
 * </pre>
 * which for {@code p = 1} is the familiar stable form {@code max(x, 0) − x·t + log(1 + exp(−|x|))};
 * its derivative is {@code (1 − t) − l·σ(−x)} ({@code σ(x) − t} for {@code p = 1}). Computed in
 * double; no {@code exp} of a positive argument is ever taken, so large logits do not overflow.
 *
 * <p>{@code pos_weight} holds one weight per class, broadcast along the last axis of the predictions
 * (multi-label {@code [N, C]} logits take {@code C} weights), as in PyTorch.
 *
 * <pre>{@code
 * LossValue l = BinaryCrossEntropyWithLogitsLoss.create().evaluate(logits, labels);
 * }</pre>
 */
public final class BinaryCrossEntropyWithLogitsLoss implements Loss {
    private static final String NAME = "BinaryCrossEntropyWithLogitsLoss";
    private final float[] posWeight;

    private BinaryCrossEntropyWithLogitsLoss(float[] posWeight) {
        this.posWeight = posWeight;
    }

    /** The unweighted loss. */
    public static BinaryCrossEntropyWithLogitsLoss create() {
        return new BinaryCrossEntropyWithLogitsLoss(null);
    }

    /**
     * The loss with positive examples of class {@code c} weighted by {@code posWeight[c]}
     * (PyTorch's {@code pos_weight}).
     *
     * @param posWeight rank 1, one finite non-negative weight per class (copied)
     */
    public static BinaryCrossEntropyWithLogitsLoss withPosWeight(Tensor posWeight) {
        Objects.requireNonNull(posWeight, "posWeight");
        if (posWeight.rank() != 1 || posWeight.size() == 0) {
            throw new IllegalArgumentException(NAME + ": pos_weight must be a non-empty vector [C], got shape "
                    + Shapes.toString(posWeight.shape()));
        }
        float[] w = posWeight.data().clone();
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0 && Float.isFinite(w[i]))) {
                throw new IllegalArgumentException(NAME + ": pos_weight entries must be finite and >= 0, got "
                        + w[i] + " at " + i);
            }
        }
        return new BinaryCrossEntropyWithLogitsLoss(w);
    }

    @Override
    public LossValue evaluate(Tensor logits, Tensor targets) {
        LossChecks.sameShape(NAME, logits, targets);
        int classes = logits.rank() == 0 ? 1 : logits.dim(-1);
        if (posWeight != null && (logits.rank() == 0 || posWeight.length != classes)) {
            throw new IllegalArgumentException(NAME + ": pos_weight has " + posWeight.length
                    + " entries but the last axis of the logits " + Shapes.toString(logits.shape()) + " has "
                    + (logits.rank() == 0 ? "no extent (scalar logits)" : String.valueOf(classes)));
        }
        float[] x = logits.data();
        float[] t = targets.data();
        int n = x.length;
        float[] grad = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double ti = t[i];
            double logWeight = posWeight == null ? 1 : 1 + (posWeight[i % classes] - 1.0) * ti;
            double softplusNeg = Math.max(-xi, 0) + Math.log1p(Math.exp(-Math.abs(xi)));
            total += (1 - ti) * xi + logWeight * softplusNeg;
            grad[i] = (float) (((1 - ti) - logWeight * sigmoid(-xi)) / n);
        }
        return new LossValue(total / n, Tensor.of(grad, logits.shape()));
    }

    private static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
