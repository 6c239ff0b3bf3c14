package dev.netlens.core.nn.optim;

/**
 * The learning rate as a function of the position in training, evaluated before every optimiser
 * step: {@code optimizer.learningRate(schedule.learningRate(epoch, step, stepsPerEpoch))}.
 *
 * <p>Positions are 0-based: {@code epoch} counts finished epochs, {@code step} the batches already
 * done in this epoch, so the global step is {@code epoch·stepsPerEpoch + step}. A schedule is a pure
 * function of its arguments (nothing to checkpoint), and the static factories mirror PyTorch's
 * {@code torch.optim.lr_scheduler} in closed form:
 * <ul>
 *   <li>{@link #constant} — a fixed rate;</li>
 *   <li>{@link #stepDecay} — {@code StepLR}, stepped once per epoch;</li>
 *   <li>{@link #cosineAnnealing} / {@link #cosineAnnealingSteps} — {@code CosineAnnealingLR}
 *       stepped once per batch, with {@code T_max} in steps (Loshchilov &amp; Hutter, "SGDR:
 *       Stochastic Gradient Descent with Warm Restarts", ICLR 2017, without restarts);</li>
 *   <li>{@link #withLinearWarmup} — {@code LinearLR} warm-up chained with this schedule
 *       (Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", 2017).</li>
 * </ul>
 *
 * <pre>{@code
 * LearningRateSchedule s = LearningRateSchedule.cosineAnnealing(0.1, 0.0, 90).withLinearWarmup(0.01, 500);
 * double lr = s.learningRate(epoch, step, stepsPerEpoch);
 * }</pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * The learning rate for the given position.
     *
     * @param epoch 0-based epoch, {@code >= 0}
     * @param step 0-based step within the epoch, in {@code [0, stepsPerEpoch)}
     * @param stepsPerEpoch batches per epoch, {@code >= 1}
     * @throws IllegalArgumentException if the position is invalid
     */
    double learningRate(int epoch, int step, int stepsPerEpoch);

    /** Always {@code learningRate} (finite, > 0). */
    static LearningRateSchedule constant(double learningRate) {
        return new ConstantSchedule(Checks.positive("constant schedule", "learning rate", learningRate));
    }

    /**
     * PyTorch's {@code StepLR(step_size=everyEpochs, gamma)} stepped once per epoch:
     * {@code initial · gamma^⌊epoch / everyEpochs⌋}, constant within an epoch.
     *
     * @param initial finite, > 0
     * @param everyEpochs >= 1
     * @param gamma finite, > 0 (usually < 1)
     */
    static LearningRateSchedule stepDecay(double initial, int everyEpochs, double gamma) {
        return new StepDecaySchedule(initial, everyEpochs, gamma);
    }

    /**
     * PyTorch's {@code CosineAnnealingLR(T_max = totalEpochs·stepsPerEpoch, eta_min = minimum)} stepped
     * once per batch: {@code minimum + (initial − minimum)·(1 + cos(π·g / T))/2} at global step
     * {@code g}, and {@code minimum} from step {@code T} on (PyTorch's would rise again).
     *
     * @param initial finite, > 0
     * @param minimum in [0, initial]
     * @param totalEpochs >= 1
     */
    static LearningRateSchedule cosineAnnealing(double initial, double minimum, int totalEpochs) {
        return new CosineAnnealingSchedule(initial, minimum, totalEpochs, true);
    }

    /**
     * As {@link #cosineAnnealing} with the length {@code T = totalSteps} given in optimiser steps.
     *
     * @param totalSteps >= 1
     */
    static LearningRateSchedule cosineAnnealingSteps(double initial, double minimum, long totalSteps) {
        return new CosineAnnealingSchedule(initial, minimum, totalSteps, false);
    }

    /**
     * This schedule with a linear warm-up: at global step {@code g} the rate is this schedule's rate
     * times {@code startFactor + (1 − startFactor)·min(g, W)/W}, so the factor rises from
     * {@code startFactor} to 1 over the first {@code W = warmupSteps} steps and the schedule is
     * unchanged afterwards (it is not shifted by W). This is PyTorch's
     * {@code ChainedScheduler([LinearLR(start_factor, total_iters=W), …])} stepped once per batch.
     *
     * @param startFactor in [0, 1]
     * @param warmupSteps >= 1
     */
    default LearningRateSchedule withLinearWarmup(double startFactor, int warmupSteps) {
        return new LinearWarmupSchedule(this, startFactor, warmupSteps);
    }

    /**
     * The global step {@code epoch·stepsPerEpoch + step}, validating the position; for implementations.
     *
     * @throws IllegalArgumentException if the position is invalid
     */
    static long globalStep(int epoch, int step, int stepsPerEpoch) {
        if (stepsPerEpoch < 1 || epoch < 0 || step < 0 || step >= stepsPerEpoch) {
            throw new IllegalArgumentException("learning-rate schedule position needs epoch >= 0, stepsPerEpoch >= 1 "
                    + "and 0 <= step < stepsPerEpoch, got epoch " + epoch + ", step " + step + ", stepsPerEpoch "
                    + stepsPerEpoch);
        }
        return (long) epoch * stepsPerEpoch + step;
    }
}
