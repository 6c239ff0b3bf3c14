package dev.netlens.explain.blackbox;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.Arrays;

/** A netlens graph as a black box: inference forward passes through the engine. */
public final class GraphPredictor implements Predictor {
    private final ExplainedModel model;

    GraphPredictor(ExplainedModel model) {
        this.model = java.util.Objects.requireNonNull(model, "model");
    }

    /** The model (methods that can seed a unit of it, e.g. neuron targets, use this). */
    public ExplainedModel model() {
        return model;
    }

    @Override
    public Tensor predict(Tensor batch) {
        return model.forward(batch);
    }

    @Override
    public int[] inputShape() {
        int[] s = model.graph().inputShape(model.inputName());
        return s.length == 0 ? s : Arrays.copyOfRange(s, 1, s.length);
    }

    @Override
    public int maxBatch() {
        int[] s = model.graph().inputShape(model.inputName());
        return s.length > 0 && s[0] > 0 ? s[0] : Integer.MAX_VALUE;
    }

    @Override
    public String sha256() {
        return model.sha256();
    }

    @Override
    public String describe() {
        return "netlens:" + (model.sha256().isEmpty() ? "in-memory graph" : model.sha256().substring(0, 12));
    }
}
