package dev.netlens.core.nn.optim;

import dev.netlens.core.tensor.Tensor;
import java.util.Map;

/**
 * A first-order optimiser that updates named parameter tensors in place from their gradients, with
 * PyTorch's {@code torch.optim} update rules (see {@link Sgd}, {@link Adam}, {@link AdamW}).
 *
 * <p>Parameters are identified by name (the graph's parameter names, e.g. {@code "layer1.0.conv1.weight"});
 * per-parameter state (momentum buffers, moment estimates, step counts) is kept under that name.
 * A parameter without an entry in {@code gradients} is skipped, like a PyTorch parameter whose
 * {@code grad} is {@code None}: neither it nor its state changes.
 *
 * <p>{@link #state()} and {@link #loadState(Map)} checkpoint the optimiser: saving the state, loading
 * it into a freshly built optimiser with the same settings and continuing gives bit-identical
 * parameters to never having stopped. State keys are {@code "<buffer>/<parameter name>"} (e.g.
 * {@code "exp_avg/fc.weight"}, {@code "step/fc.weight"}), so they can be written as a set of named
 * tensors (e.g. {@code .npy} files) next to the model weights.
 *
 * <p>Implementations are not thread-safe.
 *
 * <pre>{@code
 * Optimizer opt = AdamW.builder().learningRate(1e-3).weightDecay(0.05).build();
 * for (int step = 0; step < steps; step++) {
 *     Map<String, Tensor> grads = ...;                     // from trace.gradients(...)
 *     GradientClipping.clipNorm(grads, 1.0);
 *     opt.learningRate(schedule.learningRate(epoch, step, stepsPerEpoch));
 *     opt.step(parameters, grads);
 * }
 * }</pre>
 */
public interface Optimizer {
    /**
     * Applies one update to every parameter that has a gradient, mutating the parameters'
     * {@code data()} arrays. Gradients are not modified.
     *
     * @param parameters the trainable tensors by name
     * @param gradients gradients by parameter name, each shaped like its parameter; names absent here
     *     are skipped
     * @throws IllegalArgumentException (before anything is updated) if a gradient names no parameter,
     *     a gradient's shape differs from its parameter's, or stored state does not fit a parameter
     */
    void step(Map<String, Tensor> parameters, Map<String, Tensor> gradients);

    /** The learning rate used by the next {@link #step}. */
    double learningRate();

    /**
     * Sets the learning rate for the following steps (what a schedule does before each step).
     *
     * @param learningRate finite and {@code >= 0}
     */
    void learningRate(double learningRate);

    /**
     * A deep copy of all state buffers, including step counts (as one-element float32 tensors), keyed
     * {@code "<buffer>/<parameter name>"}. Empty before the first step.
     */
    Map<String, Tensor> state();

    /**
     * Replaces the state with a deep copy of {@code state}, as returned by {@link #state()} of an
     * optimiser of the same kind and settings.
     *
     * @throws IllegalArgumentException if a key is not a buffer of this optimiser, a parameter's
     *     buffers are incomplete or differ in shape, or a step count is not a non-negative integer
     */
    void loadState(Map<String, Tensor> state);
}
