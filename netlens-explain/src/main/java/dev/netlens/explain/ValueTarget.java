package dev.netlens.explain;

/**
 * A {@link Target} read from, and seeded on, a named graph value instead of the model output — for
 * example one unit of an intermediate layer ({@link NeuronTarget}). Its {@link #values} and
 * {@link #seed} receive that value's tensor (shape [N, …]) in place of the logits.
 *
 * <p>Methods honour it by explaining the model whose output is that value:
 * {@link #seededModel(ExplainedModel, Target)} returns {@code model} unchanged for ordinary targets
 * and, for a value target, the same graph with the value as output (the forward pass then stops at
 * that value). Everything else a method does — resolving the target once at the input, repeating it
 * over interpolation steps or noise samples, the convergence delta — works unchanged.
 */
public interface ValueTarget extends Target {
    /** The graph value (a name shown by {@code netlens inspect}) this target reads and is seeded on. */
    String valueName();

    /**
     * The model a method should differentiate for {@code target}: {@code model} itself, or for a
     * {@link ValueTarget} the same graph and input with the target's value as output. The returned
     * model has no file hash; keep using {@code model} for provenance.
     */
    static ExplainedModel seededModel(ExplainedModel model, Target target) {
        if (target instanceof ValueTarget v) {
            if (v.valueName().equals(model.outputName())) {
                return model;
            }
            return ExplainedModel.of(model.graph(), model.inputName(), v.valueName());
        }
        return model;
    }
}
