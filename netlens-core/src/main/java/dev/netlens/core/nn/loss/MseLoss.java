package dev.netlens.core.nn.loss;

import dev.netlens.core.tensor.Tensor;

/**
 * Mean squared error with PyTorch's {@code torch.nn.MSELoss} semantics ({@code reduction='mean'}):
 * {@code mean((x − t)²)} over all elements, gradient {@code 2·(x − t) / n}. Predictions and targets
 * must have the same shape (no broadcasting). Computed in double.
 *
 * <pre>{@code
 * LossValue l = MseLoss.create().evaluate(predictions, targets);
 * }</pre>
 */
public final class MseLoss implements Loss {
    private static final String NAME = "MseLoss";
    private static final MseLoss INSTANCE = new MseLoss();

    private MseLoss() {
    }

    /** The (stateless) loss. */
    public static MseLoss create() {
        return INSTANCE;
    }

    @Override
    public LossValue evaluate(Tensor predictions, Tensor targets) {
        LossChecks.sameShape(NAME, predictions, targets);
        float[] x = predictions.data();
        float[] t = targets.data();
        int n = x.length;
        float[] grad = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) x[i] - t[i];
            total += d * d;
            grad[i] = (float) (2 * d / n);
        }
        return new LossValue(total / n, Tensor.of(grad, predictions.shape()));
    }
}
