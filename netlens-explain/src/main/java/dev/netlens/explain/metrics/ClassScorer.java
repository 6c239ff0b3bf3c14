package dev.netlens.explain.metrics;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Softmax;
import dev.netlens.explain.ExplainedModel;
import java.util.Arrays;

/**
 * The score of one class on batches of (perturbed) images: its logit (the model's raw output) or
 * its softmax probability. Images are passed through the model at most {@code batch} at a time (one
 * at a time for models exported with a fixed batch of 1); results do not depend on the batch size.
 */
public final class ClassScorer {
    private final ExplainedModel model;
    private final int batch;

    /** Scores through {@code model}, {@code batch} images per forward pass. */
    public ClassScorer(ExplainedModel model, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
        }
        this.model = model;
        int[] declared = model.graph().inputShape(model.inputName());
        this.batch = declared.length > 0 && declared[0] == 1 ? 1 : batch;
    }

    public ExplainedModel model() {
        return model;
    }

    /** The top-scoring class of a single image. */
    public int predict(Tensor image) {
        Tensor out = model.forward(PixelMaps.single(image));
        float[] d = out.data();
        int best = 0;
        for (int c = 1; c < d.length; c++) {
            if (d[c] > d[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The class's score on each image of {@code images} [n, C, H, W]. */
    public float[] scores(Tensor images, int cls, boolean softmax) {
        int n = images.dim(0);
        int per = images.size() / n;
        float[] out = new float[n];
        int[] shape = images.shape().clone();
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            shape[0] = b;
            Tensor chunk = b == n ? images
                    : Tensor.of(Arrays.copyOfRange(images.data(), from * per, (from + b) * per), shape.clone());
            Tensor y = model.forward(chunk);
            if (y.dim(0) != b) {
                throw new IllegalStateException("the model returned " + y.dim(0) + " rows for " + b + " inputs");
            }
            int k = y.size() / b;
            if (cls < 0 || cls >= k) {
                throw new IllegalArgumentException("class " + cls + " is out of range: the model has " + k
                        + " outputs");
            }
            for (int r = 0; r < b; r++) {
                out[from + r] = softmax ? Softmax.probability(y.data(), r * k, k, cls) : y.data()[r * k + cls];
            }
        }
        return out;
    }

    /** The class's score on one image. */
    public float score(Tensor image, int cls, boolean softmax) {
        return scores(PixelMaps.single(image), cls, softmax)[0];
    }

    /**
     * Scores a sequence of images produced one after another (e.g. the steps of a deletion curve)
     * without holding more than one batch of them in memory: {@code fill} writes image {@code i}
     * into the given array (length C·H·W).
     */
    public float[] scoreSequence(int count, int[] imageShape, int cls, boolean softmax, ImageFiller fill) {
        int per = 1;
        for (int s : imageShape) {
            per *= s;
        }
        float[] out = new float[count];
        for (int from = 0; from < count; from += batch) {
            int b = Math.min(batch, count - from);
            float[] data = new float[b * per];
            float[] one = new float[per];
            for (int i = 0; i < b; i++) {
                fill.fill(from + i, one);
                System.arraycopy(one, 0, data, i * per, per);
            }
            int[] shape = new int[imageShape.length + 1];
            shape[0] = b;
            System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
            float[] s = scores(Tensor.of(data, shape), cls, softmax);
            System.arraycopy(s, 0, out, from, b);
        }
        return out;
    }

    /** Writes the i-th image of a sequence; called with i = 0, 1, 2, … in order. */
    @FunctionalInterface
    public interface ImageFiller {
        void fill(int i, float[] image);
    }
}
