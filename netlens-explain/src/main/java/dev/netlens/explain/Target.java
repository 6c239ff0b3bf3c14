package dev.netlens.explain;

import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;

/**
 * What to explain: one scalar y_n per batch item, computed from the model's output. Methods
 * differentiate Σ_n y_n; {@link #seed} is its gradient with respect to the output. Class targets
 * (the default, {@link #predicted()}) pick one logit per item.
 *
 * <p>A target that depends on the output (the predicted class) is resolved once, on the output at
 * the input being explained, with {@link #resolve}: methods that evaluate the model at other
 * points (integrated gradients, SmoothGrad, occlusion) keep explaining the same class.
 */
public interface Target {
    /** The per-item values y_n of this output, shape [N]. */
    float[] values(Tensor output);

    /** ∂(Σ_n y_n)/∂output, same shape as the output. */
    Tensor seed(Tensor output);

    /** A fixed target equivalent to this one at this output (class targets pin the classes). */
    default Target resolve(Tensor output) {
        return this;
    }

    /** The same target for a batch whose items are {@code repeats} copies of each item in turn. */
    default Target repeatEach(int repeats) {
        return this;
    }

    /** Short description for provenance, e.g. "class 281" or "predicted". */
    String describe();

    /** The top-scoring class of each item (resolved on the output at the explained input). */
    static Target predicted() {
        return new ClassTarget(null);
    }

    /** These classes: one for the whole batch, or one per batch item. */
    static Target classes(int... classes) {
        if (classes.length == 0) {
            throw new IllegalArgumentException("give at least one class index");
        }
        return new ClassTarget(classes.clone());
    }

    /** Class targets over [N, K] logits (or [N, K, …], indexed on axis 1 after flattening the rest). */
    final class ClassTarget implements Target {
        private final int[] classes;

        ClassTarget(int[] classes) {
            this.classes = classes;
        }

        /** The class of item n for this output (the argmax when not pinned). */
        public int classOf(Tensor output, int n) {
            int k = output.size() / output.dim(0);
            if (classes == null) {
                int best = 0;
                float[] d = output.data();
                for (int c = 1; c < k; c++) {
                    if (d[n * k + c] > d[n * k + best]) {
                        best = c;
                    }
                }
                return best;
            }
            int c = classes.length == 1 ? classes[0] : classes[n];
            if (c < 0 || c >= k) {
                throw new IllegalArgumentException("target class " + c + " is out of range: the model has " + k
                        + " outputs per item");
            }
            return c;
        }

        private void checkBatch(Tensor output) {
            if (classes != null && classes.length != 1 && classes.length != output.dim(0)) {
                throw new IllegalArgumentException("got " + classes.length + " target classes for a batch of "
                        + output.dim(0) + " (give one class, or one per item)");
            }
        }

        @Override
        public float[] values(Tensor output) {
            checkBatch(output);
            int n = output.dim(0);
            int k = output.size() / n;
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = output.data()[i * k + classOf(output, i)];
            }
            return v;
        }

        @Override
        public Tensor seed(Tensor output) {
            checkBatch(output);
            Tensor s = Tensor.zerosLike(output);
            int n = output.dim(0);
            int k = output.size() / n;
            for (int i = 0; i < n; i++) {
                s.data()[i * k + classOf(output, i)] = 1f;
            }
            return s;
        }

        @Override
        public Target resolve(Tensor output) {
            checkBatch(output);
            int n = output.dim(0);
            int[] fixed = new int[n];
            for (int i = 0; i < n; i++) {
                fixed[i] = classOf(output, i);
            }
            return new ClassTarget(fixed);
        }

        @Override
        public Target repeatEach(int repeats) {
            if (classes == null || classes.length == 1) {
                return this;
            }
            int[] r = new int[classes.length * repeats];
            for (int i = 0; i < r.length; i++) {
                r[i] = classes[i / repeats];
            }
            return new ClassTarget(r);
        }

        /** The pinned classes, or null for "predicted". */
        public int[] classes() {
            return classes == null ? null : classes.clone();
        }

        @Override
        public String describe() {
            return classes == null ? "predicted class" : "class " + (classes.length == 1 ? String.valueOf(classes[0])
                    : Arrays.toString(classes));
        }
    }
}
