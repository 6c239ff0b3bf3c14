package dev.netlens.core.nn.optim;

/**
 * PyTorch's {@code CosineAnnealingLR} in closed form, stepped per batch
 * ({@link LearningRateSchedule#cosineAnnealing}, {@link LearningRateSchedule#cosineAnnealingSteps}).
 *
 * @param length total epochs when {@code inEpochs}, else total steps
 */
record CosineAnnealingSchedule(double initial, double minimum, long length, boolean inEpochs)
        implements LearningRateSchedule {
    private static final String NAME = "cosine-annealing schedule";

    CosineAnnealingSchedule {
        Checks.positive(NAME, "initial learning rate", initial);
        if (!(minimum >= 0 && minimum <= initial)) {
            throw new IllegalArgumentException(NAME + ": the minimum learning rate must be in [0, initial = "
                    + initial + "], got " + minimum);
        }
        if (length < 1) {
            throw new IllegalArgumentException(NAME + ": the length must be >= 1 " + (inEpochs ? "epoch" : "step")
                    + ", got " + length);
        }
    }

    @Override
    public double learningRate(int epoch, int step, int stepsPerEpoch) {
        long g = LearningRateSchedule.globalStep(epoch, step, stepsPerEpoch);
        long total = inEpochs ? length * stepsPerEpoch : length;
        if (g >= total) {
            return minimum;
        }
        return minimum + (initial - minimum) * (1 + Math.cos(Math.PI * g / total)) / 2;
    }
}
