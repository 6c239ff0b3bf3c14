package dev.netlens.core.nn.optim;

import java.util.Objects;

/**
 * A schedule times PyTorch's {@code LinearLR} factor, rising from {@code startFactor} to 1 over
 * {@code warmupSteps} steps ({@link LearningRateSchedule#withLinearWarmup}).
 */
record LinearWarmupSchedule(LearningRateSchedule then, double startFactor, int warmupSteps)
        implements LearningRateSchedule {
    private static final String NAME = "linear warm-up";

    LinearWarmupSchedule {
        Objects.requireNonNull(then, "then");
        if (!(startFactor >= 0 && startFactor <= 1)) {
            throw new IllegalArgumentException(NAME + ": the start factor must be in [0, 1], got " + startFactor);
        }
        if (warmupSteps < 1) {
            throw new IllegalArgumentException(NAME + ": the warm-up must last >= 1 step, got " + warmupSteps);
        }
    }

    @Override
    public double learningRate(int epoch, int step, int stepsPerEpoch) {
        long g = LearningRateSchedule.globalStep(epoch, step, stepsPerEpoch);
        double rate = then.learningRate(epoch, step, stepsPerEpoch);
        if (g >= warmupSteps) {
            return rate;
        }
        return rate * (startFactor + (1 - startFactor) * g / warmupSteps);
    }
}
