/**
 * Training: {@link dev.netlens.core.nn.train.TrainableModel} (mutable parameter copies fed to a
 * frozen graph, batch-norm running statistics as extra outputs of a training pass),
 * {@link dev.netlens.core.nn.train.Trainer} (the loop: schedule, clipping, validation, best model,
 * early stopping), {@link dev.netlens.core.nn.train.Checkpoint} (bit-exact resume) and
 * {@link dev.netlens.core.nn.train.ClassificationMetrics}. Data sources implement
 * {@link dev.netlens.core.nn.train.TrainingData}; netlens-data provides them for IDX files and
 * image folders.
 */
package dev.netlens.core.nn.train;
