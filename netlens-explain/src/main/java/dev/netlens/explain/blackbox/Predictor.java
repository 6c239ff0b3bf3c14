package dev.netlens.explain.blackbox;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A black box: a batch of inputs [N, …] in, a batch of scores [N, K] out (logits or probabilities
 * of K classes, or K = 1 for a regression). Implementations must be safe to call from one thread at a
 * time; they may hold native resources, released by {@link #close()}.
 *
 * <pre>{@code
 * try (Predictor p = OnnxRuntimePredictor.load(Path.of("model.onnx"))) {
 *     Tensor scores = p.predict(images);                   // [N, K]
 * }
 * Predictor f = Predictor.of(new int[] {4}, x -> myScorer(x)); // any Java function
 * }</pre>
 */
public interface Predictor extends AutoCloseable {
    /** Scores [N, K] for inputs [N, …]; N may be anything from 1 to {@link #maxBatch()}. */
    Tensor predict(Tensor batch);

    /** The shape of one input without the batch axis (entries are −1 where the model does not fix them). */
    int[] inputShape();

    /** The largest batch one call accepts: 1 for models exported with a fixed batch of 1. */
    default int maxBatch() {
        return Integer.MAX_VALUE;
    }

    /** A short description for logs and provenance, e.g. "onnxruntime:model.onnx". */
    default String describe() {
        return getClass().getSimpleName();
    }

    /** The SHA-256 of the model file for provenance, or "" when there is none. */
    default String sha256() {
        return "";
    }

    @Override
    default void close() {
    }

    /**
     * Scores of {@code batch} evaluated in chunks of at most {@code chunk} rows (and at most
     * {@link #maxBatch()}), concatenated along the batch axis: the result does not depend on the
     * chunk size. Fails when a call returns a different number of rows than it was given.
     */
    default Tensor predictInChunks(Tensor batch, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk size must be ≥ 1, got " + chunk);
        }
        int n = batch.dim(0);
        int step = Math.min(chunk, maxBatch());
        if (n <= step) {
            return checked(batch, predict(batch));
        }
        int rowIn = batch.size() / n;
        float[] in = batch.data();
        float[] out = null;
        int[] outShape = null;
        int k = -1;
        for (int from = 0; from < n; from += step) {
            int rows = Math.min(step, n - from);
            int[] shape = batch.shape().clone();
            shape[0] = rows;
            float[] part = new float[rows * rowIn];
            System.arraycopy(in, from * rowIn, part, 0, part.length);
            Tensor chunkIn = Tensor.of(part, shape);
            Tensor scores = checked(chunkIn, predict(chunkIn));
            if (out == null) {
                k = scores.size() / rows;
                out = new float[n * k];
                outShape = scores.shape().clone();
                outShape[0] = n;
            }
            System.arraycopy(scores.data(), 0, out, from * k, rows * k);
        }
        return Tensor.of(out, outShape);
    }

    private Tensor checked(Tensor batch, Tensor scores) {
        int n = batch.dim(0);
        if (scores.rank() == 0 || scores.dim(0) != n) {
            throw new IllegalStateException(describe() + " returned scores of shape " + Shapes.toString(scores.shape())
                    + " for a batch of " + n + " inputs; expected [" + n + ", K]");
        }
        return scores;
    }

    /** A netlens model, run by the netlens engine (forward passes only). */
    static Predictor of(ExplainedModel model) {
        return new GraphPredictor(model);
    }

    /**
     * Any Java function from a batch [N, inputShape…] to scores [N, K] (a service call, a tree
     * ensemble, a rule).
     */
    static Predictor of(int[] inputShape, UnaryOperator<Tensor> function) {
        Objects.requireNonNull(function, "function");
        int[] shape = inputShape.clone();
        return new Predictor() {
            @Override
            public Tensor predict(Tensor batch) {
                return function.apply(batch);
            }

            @Override
            public int[] inputShape() {
                return shape.clone();
            }

            @Override
            public String describe() {
                return "function" + Shapes.toString(shape);
            }
        };
    }
}
