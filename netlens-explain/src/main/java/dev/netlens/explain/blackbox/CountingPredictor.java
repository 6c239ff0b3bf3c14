package dev.netlens.explain.blackbox;

import dev.netlens.core.tensor.Tensor;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A predictor that counts the inputs it evaluates and reports the running total after every call
 * (progress bars for long perturbation runs). It delegates everything else.
 */
public final class CountingPredictor implements Predictor {
    private final Predictor inner;
    private final LongConsumer listener;
    private long evaluated;

    public CountingPredictor(Predictor inner, LongConsumer listener) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public Tensor predict(Tensor batch) {
        Tensor out = inner.predict(batch);
        evaluated += batch.dim(0);
        listener.accept(evaluated);
        return out;
    }

    /** Inputs evaluated so far. */
    public long evaluated() {
        return evaluated;
    }

    @Override
    public int[] inputShape() {
        return inner.inputShape();
    }

    @Override
    public int maxBatch() {
        return inner.maxBatch();
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public String sha256() {
        return inner.sha256();
    }

    @Override
    public void close() {
        inner.close();
    }
}
