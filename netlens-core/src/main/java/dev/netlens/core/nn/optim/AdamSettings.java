package dev.netlens.core.nn.optim;

/** Validated hyper-parameters shared by {@link Adam} and {@link AdamW}. */
record AdamSettings(String owner, double learningRate, double beta1, double beta2, double epsilon,
                    double weightDecay, boolean amsgrad) {
    AdamSettings {
        Checks.positive(owner, "learning rate", learningRate);
        Checks.decayRate(owner, "beta1", beta1);
        Checks.decayRate(owner, "beta2", beta2);
        Checks.nonNegative(owner, "epsilon", epsilon);
        Checks.nonNegative(owner, "weight decay", weightDecay);
    }

    AdamSettings withLearningRate(double v) {
        return new AdamSettings(owner, v, beta1, beta2, epsilon, weightDecay, amsgrad);
    }

    AdamSettings withBetas(double b1, double b2) {
        return new AdamSettings(owner, learningRate, b1, b2, epsilon, weightDecay, amsgrad);
    }

    AdamSettings withEpsilon(double v) {
        return new AdamSettings(owner, learningRate, beta1, beta2, v, weightDecay, amsgrad);
    }

    AdamSettings withWeightDecay(double v) {
        return new AdamSettings(owner, learningRate, beta1, beta2, epsilon, v, amsgrad);
    }

    AdamSettings withAmsgrad(boolean v) {
        return new AdamSettings(owner, learningRate, beta1, beta2, epsilon, weightDecay, v);
    }
}
