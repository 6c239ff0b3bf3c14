package dev.netlens.core.nn.loss;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/** Argument validation shared by the losses. */
final class LossChecks {
    private LossChecks() {
    }

    /** Both non-null, non-empty and of exactly the same shape. */
    static void sameShape(String loss, Tensor predictions, Tensor targets) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(targets, "targets");
        if (!Arrays.equals(predictions.shape(), targets.shape())) {
            throw new IllegalArgumentException(loss + ": targets must have the shape of the predictions "
                    + Shapes.toString(predictions.shape()) + ", got " + Shapes.toString(targets.shape()));
        }
        if (predictions.size() == 0) {
            throw new IllegalArgumentException(loss + ": predictions of shape "
                    + Shapes.toString(predictions.shape()) + " are empty; the mean of no elements is undefined");
        }
    }
}
