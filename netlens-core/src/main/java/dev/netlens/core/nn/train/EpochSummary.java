package dev.netlens.core.nn.train;

import java.util.Locale;

/**
 * What one epoch achieved. Validation figures are NaN without validation data; accuracy is NaN
 * when the targets are not class indices.
 */
public record EpochSummary(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                           double validationAccuracy, double learningRate, double seconds, boolean best) {

    /** One line for logs and checkpoints. */
    public String format() {
        return String.format(Locale.ROOT, "epoch %d: loss %.4f, accuracy %.4f, validation loss %.4f, validation accuracy %.4f, lr %.3g, %.1f s%s",
                epoch + 1, trainLoss, trainAccuracy, validationLoss, validationAccuracy, learningRate, seconds,
                best ? " (best)" : "");
    }

    String encode() {
        return String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%s,%b", epoch, trainLoss, trainAccuracy, validationLoss,
                validationAccuracy, learningRate, seconds, best);
    }

    static EpochSummary decode(String s) {
        String[] f = s.split(",");
        return new EpochSummary(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                Boolean.parseBoolean(f[7]));
    }
}
