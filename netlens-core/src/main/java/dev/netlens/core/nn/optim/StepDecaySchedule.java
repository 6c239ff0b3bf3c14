package dev.netlens.core.nn.optim;

/** PyTorch's {@code StepLR} stepped per epoch ({@link LearningRateSchedule#stepDecay}). */
record StepDecaySchedule(double initial, int everyEpochs, double gamma) implements LearningRateSchedule {
    private static final String NAME = "step-decay schedule";

    StepDecaySchedule {
        Checks.positive(NAME, "initial learning rate", initial);
        Checks.positive(NAME, "gamma", gamma);
        if (everyEpochs < 1) {
            throw new IllegalArgumentException(NAME + ": the decay interval must be >= 1 epoch, got " + everyEpochs);
        }
    }

    @Override
    public double learningRate(int epoch, int step, int stepsPerEpoch) {
        LearningRateSchedule.globalStep(epoch, step, stepsPerEpoch);
        return initial * Math.pow(gamma, epoch / everyEpochs);
    }
}
