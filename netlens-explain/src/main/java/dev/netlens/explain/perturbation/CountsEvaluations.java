package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Tensor;

/** A model-agnostic method that can say in advance how many inputs it will evaluate (for progress and ETA). */
public interface CountsEvaluations {
    /** Inputs the model will be asked to score when explaining {@code input}, including the input itself. */
    long evaluations(Tensor input);
}
