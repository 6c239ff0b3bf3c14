package dev.netlens.explain.perturbation;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.blackbox.GraphPredictor;
import dev.netlens.explain.blackbox.Predictor;
import dev.netlens.explain.Softmax;
import dev.netlens.explain.Target;
import dev.netlens.explain.ValueTarget;
import java.util.Objects;

/**
 * Evaluates a target on perturbed copies of one batch item, forward passes only. The target is
 * resolved once at the explained input x (a predicted class stays that class for every perturbed
 * copy); class targets read the pinned class of the item, other targets (e.g. a
 * {@link dev.netlens.explain.NeuronTarget}) read their value on the model they are seeded on.
 */
final class Scorer {
    private final Predictor model;
    private final Target resolved;
    private final int[] classes;
    private final float[] original;
    private final int batch;

    private Scorer(Predictor model, Target resolved, float[] original, int batch) {
        this.model = model;
        this.resolved = resolved;
        this.classes = resolved instanceof Target.ClassTarget ct ? ct.classes() : null;
        this.original = original;
        this.batch = batch;
    }

    /** Resolves {@code target} at x; perturbed copies go through the model at most {@code internalBatch} at a time. */
    static Scorer at(Predictor model, Tensor x, Target target, int internalBatch) {
        Objects.requireNonNull(target, "target");
        Predictor eff = model;
        if (target instanceof ValueTarget) {
            if (!(model instanceof GraphPredictor g)) {
                throw new IllegalArgumentException("the target " + target.describe() + " reads a value inside the "
                        + "model; that needs the netlens engine, not the black box " + model.describe());
            }
            eff = Predictor.of(ValueTarget.seededModel(g.model(), target));
        }
        // A model exported with a fixed batch (e.g. 1) takes the perturbed inputs that many at a time.
        int batch = Math.min(internalBatch, eff.maxBatch());
        Tensor y = eff.predictInChunks(x, batch);
        Target resolved = target.resolve(y);
        float[] original = resolved.values(y);
        return new Scorer(eff, resolved, original, batch);
    }

    /** Copies per forward pass. */
    int batch() {
        return batch;
    }

    /** The target's value at the unperturbed item. */
    float original(int item) {
        return original[item];
    }

    /** Whether the target picks one class of the output (so a softmax over the classes is defined). */
    boolean isClassTarget() {
        return classes != null;
    }

    /**
     * The target's value for item {@code item} on each row of {@code copies} [b, …] (perturbed
     * copies of that item); with {@code softmax}, the class's probability under a softmax over the
     * output row instead of its raw value (class targets only).
     */
    float[] score(int item, Tensor copies, boolean softmax) {
        Tensor out = model.predict(copies);
        int rows = out.dim(0);
        if (rows != copies.dim(0)) {
            throw new IllegalStateException("the model returned " + rows + " rows for " + copies.dim(0)
                    + " inputs (output shape " + Shapes.toString(out.shape()) + ")");
        }
        if (classes == null) {
            if (softmax) {
                throw new IllegalArgumentException("a softmax over the outputs needs a class target, got "
                        + resolved.describe());
            }
            return resolved.values(out);
        }
        int cls = classes.length == 1 ? classes[0] : classes[item];
        int k = out.size() / rows;
        float[] d = out.data();
        float[] v = new float[rows];
        for (int r = 0; r < rows; r++) {
            v[r] = softmax ? Softmax.probability(d, r * k, k, cls) : d[r * k + cls];
        }
        return v;
    }
}
