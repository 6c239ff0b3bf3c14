/**
 * Training losses: a {@link dev.netlens.core.nn.loss.Loss} turns predictions and targets into a
 * {@link dev.netlens.core.nn.loss.LossValue} — the reduced loss and its gradient with respect to the
 * predictions, ready to seed a backward pass ({@code trace.gradients(seed, …)}).
 *
 * <p>Semantics follow PyTorch's {@code torch.nn} losses with the default {@code reduction='mean'}:
 * {@link dev.netlens.core.nn.loss.CrossEntropyLoss} (averaged over the batch),
 * {@link dev.netlens.core.nn.loss.BinaryCrossEntropyWithLogitsLoss} and
 * {@link dev.netlens.core.nn.loss.MseLoss} (averaged over all elements). Values are computed in
 * double from the float32 inputs; gradients are returned as float32 tensors.
 *
 * <pre>{@code
 * Loss loss = CrossEntropyLoss.withLabelSmoothing(0.1);
 * LossValue l = loss.evaluate(logits, labels);   // logits [N, C], labels [N] class indices
 * double value = l.value();
 * Tensor seed = l.gradient();                    // d value / d logits, shape [N, C]
 * }</pre>
 */
package dev.netlens.core.nn.loss;
