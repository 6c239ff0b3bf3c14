package dev.netlens.core.nn.optim;

/** A fixed learning rate ({@link LearningRateSchedule#constant}). */
record ConstantSchedule(double rate) implements LearningRateSchedule {
    @Override
    public double learningRate(int epoch, int step, int stepsPerEpoch) {
        LearningRateSchedule.globalStep(epoch, step, stepsPerEpoch);
        return rate;
    }
}
