package dev.netlens.explain;

import dev.netlens.core.tensor.Tensor;

/**
 * One attribution method: explains the target's value at a batch of inputs [N, C, H, W]. Methods
 * are immutable, configured through builders with documented defaults, and reach the engine only
 * through traces, backward passes and composites — a method never leaves a rule or intervention
 * installed, whether it returns or throws.
 */
public interface Attribution {
    /** The registry name, e.g. "integrated-gradients". */
    String name();

    Explanation explain(Tensor input, Target target);

    /** Explains the predicted class. */
    default Explanation explain(Tensor input) {
        return explain(input, Target.predicted());
    }
}
