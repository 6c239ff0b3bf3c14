package dev.netlens.core.graph;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/** Ready-made {@link Intervention}s. Channel-wise edits act on axis 1 (NCHW / [N, features]). */
public final class Interventions {
    private Interventions() {
    }

    /** Replaces the value by {@code replacement} (same shape); no gradient reaches the original. */
    public static Intervention replace(Tensor replacement) {
        return new Intervention() {
            @Override
            public Tensor apply(Tensor value) {
                requireSameShape(value, replacement, "replacement");
                return replacement;
            }

            @Override
            public Tensor backward(Tensor original, Tensor gradient) {
                return null;
            }
        };
    }

    /** Sets the given channels to zero (ablation). */
    public static Intervention ablateChannels(int... channels) {
        return setChannels(0f, channels);
    }

    /** Sets the given channels to a constant (e.g. to insert a unit at a high percentile). */
    public static Intervention setChannels(float constant, int... channels) {
        int[] chans = channels.clone();
        return new Intervention() {
            @Override
            public Tensor apply(Tensor value) {
                Tensor out = value.copy();
                forEachChannelRun(value, chans, (from, to) -> Arrays.fill(out.data(), from, to, constant));
                return out;
            }

            @Override
            public Tensor backward(Tensor original, Tensor gradient) {
                Tensor g = gradient.copy();
                forEachChannelRun(original, chans, (from, to) -> Arrays.fill(g.data(), from, to, 0f));
                return g;
            }
        };
    }

    /**
     * Copies the given channels from {@code source} (e.g. the same layer in another run); the
     * other channels keep their values. Gradients flow only through the channels that were kept.
     */
    public static Intervention patchChannels(Tensor source, int... channels) {
        int[] chans = channels.clone();
        return new Intervention() {
            @Override
            public Tensor apply(Tensor value) {
                requireSameShape(value, source, "patch source");
                Tensor out = value.copy();
                forEachChannelRun(value, chans, (from, to) ->
                        System.arraycopy(source.data(), from, out.data(), from, to - from));
                return out;
            }

            @Override
            public Tensor backward(Tensor original, Tensor gradient) {
                Tensor g = gradient.copy();
                forEachChannelRun(original, chans, (from, to) -> Arrays.fill(g.data(), from, to, 0f));
                return g;
            }
        };
    }

    /** Multiplies the value by a factor. */
    public static Intervention scale(float factor) {
        return new Intervention() {
            @Override
            public Tensor apply(Tensor value) {
                return times(value, factor);
            }

            @Override
            public Tensor backward(Tensor original, Tensor gradient) {
                return times(gradient, factor);
            }
        };
    }

    /** Clamps the value to [low, high]; the gradient passes where low ≤ x ≤ high. */
    public static Intervention clamp(float low, float high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("clamp needs low <= high, got " + low + " > " + high);
        }
        return new Intervention() {
            @Override
            public Tensor apply(Tensor value) {
                Tensor out = Tensor.zerosLike(value);
                float[] x = value.data();
                float[] y = out.data();
                for (int i = 0; i < x.length; i++) {
                    y[i] = Math.min(high, Math.max(low, x[i]));
                }
                return out;
            }

            @Override
            public Tensor backward(Tensor original, Tensor gradient) {
                Tensor g = Tensor.zerosLike(gradient);
                float[] x = original.data();
                for (int i = 0; i < x.length; i++) {
                    g.data()[i] = x[i] >= low && x[i] <= high ? gradient.data()[i] : 0f;
                }
                return g;
            }
        };
    }

    /** Adds a perturbation of the same shape; the gradient passes unchanged. */
    public static Intervention add(Tensor perturbation) {
        return new Intervention() {
            @Override
            public Tensor apply(Tensor value) {
                requireSameShape(value, perturbation, "perturbation");
                Tensor out = value.copy();
                float[] y = out.data();
                float[] d = perturbation.data();
                for (int i = 0; i < y.length; i++) {
                    y[i] += d[i];
                }
                return out;
            }

            @Override
            public Tensor backward(Tensor original, Tensor gradient) {
                return gradient;
            }
        };
    }

    /** Any edit with its vector–Jacobian product ({@code backward(original, gradient)}). */
    public static Intervention of(UnaryOperator<Tensor> apply, BinaryOperator<Tensor> backward) {
        return new Intervention() {
            @Override
            public Tensor apply(Tensor value) {
                return apply.apply(value);
            }

            @Override
            public Tensor backward(Tensor original, Tensor gradient) {
                return backward.apply(original, gradient);
            }
        };
    }

    private static Tensor times(Tensor t, float factor) {
        Tensor out = Tensor.zerosLike(t);
        float[] x = t.data();
        float[] y = out.data();
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * factor;
        }
        return out;
    }

    private static void requireSameShape(Tensor value, Tensor other, String what) {
        if (!Arrays.equals(value.shape(), other.shape())) {
            throw new IllegalArgumentException("the " + what + " has shape " + Shapes.toString(other.shape())
                    + " but the value has shape " + Shapes.toString(value.shape()));
        }
    }

    @FunctionalInterface
    private interface Run {
        void apply(int from, int to);
    }

    /** Calls {@code action} for each contiguous run of the given channels (axis 1) in each batch item. */
    private static void forEachChannelRun(Tensor value, int[] channels, Run action) {
        int[] shape = value.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("channel interventions need a value of rank >= 2, got shape "
                    + Shapes.toString(shape));
        }
        int n = shape[0];
        int c = shape[1];
        int inner = Shapes.size(shape, 2, shape.length);
        for (int ch : channels) {
            if (ch < 0 || ch >= c) {
                throw new IllegalArgumentException("channel " + ch + " is out of range: the value has " + c
                        + " channels (shape " + Shapes.toString(shape) + ")");
            }
        }
        for (int b = 0; b < n; b++) {
            for (int ch : channels) {
                int from = (b * c + ch) * inner;
                action.apply(from, from + inner);
            }
        }
    }
}
