/**
 * Training machinery for parameters held as named tensors: {@link dev.netlens.core.nn.optim.Optimizer}s
 * ({@link dev.netlens.core.nn.optim.Sgd}, {@link dev.netlens.core.nn.optim.Adam},
 * {@link dev.netlens.core.nn.optim.AdamW}) that reproduce PyTorch 1.13's {@code torch.optim} update
 * rules in float32 (agreement to ~1e-7, tested against goldens made by
 * {@code src/test/resources/nn/make_optimizer_goldens.py}) and checkpoint their state as named tensors;
 * {@link dev.netlens.core.nn.optim.LearningRateSchedule}s (constant, step decay, cosine annealing,
 * linear warm-up) as pure functions of the training position; and
 * {@link dev.netlens.core.nn.optim.GradientClipping} by total norm or by value.
 *
 * <pre>{@code
 * Optimizer opt = Sgd.builder().learningRate(0.1).momentum(0.9).weightDecay(5e-4).build();
 * LearningRateSchedule schedule = LearningRateSchedule.cosineAnnealing(0.1, 0, epochs).withLinearWarmup(0.1, 200);
 * opt.learningRate(schedule.learningRate(epoch, step, stepsPerEpoch));
 * GradientClipping.clipNorm(grads, 5.0);
 * opt.step(params, grads);
 * }</pre>
 */
package dev.netlens.core.nn.optim;
