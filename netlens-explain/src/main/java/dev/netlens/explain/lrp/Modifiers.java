package dev.netlens.explain.lrp;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * The tensor modifiers that LRP rules apply to a layer's input or parameters before its forward
 * pass is replayed (see {@link BasicRule}). Each is a small named value; none mutates its
 * argument.
 *
 * <pre>{@code
 * BasicRule.Branch positivePart = BasicRule.branch(Modifiers.positive(), Modifiers.positive(), Modifiers.zero());
 * }</pre>
 */
public final class Modifiers {
    private Modifiers() {
    }

    /** Modifies one tensor (an input or a parameter) into a new tensor of the same shape. */
    public interface Modifier {
        Tensor apply(Tensor t);
    }

    private record Named(String name, Modifier f) implements Modifier {
        @Override
        public Tensor apply(Tensor t) {
            return f.apply(t);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Modifier IDENTITY = new Named("identity", t -> t);
    private static final Modifier POSITIVE = new Named("positive", TensorMath::positive);
    private static final Modifier NEGATIVE = new Named("negative", TensorMath::negative);
    private static final Modifier ZERO = new Named("zero", t -> Tensor.zeros(t.shape()));
    private static final Modifier ONES = new Named("ones", t -> Tensor.ones(t.shape()));
    private static final Modifier SQUARE = new Named("square", t -> TensorMath.map(t, v -> v * v));

    /** The tensor unchanged (a rule whose branches are all identities replays nothing). */
    public static Modifier identity() {
        return IDENTITY;
    }

    /** x⁺ = max(x, 0). */
    public static Modifier positive() {
        return POSITIVE;
    }

    /** x⁻ = min(x, 0). */
    public static Modifier negative() {
        return NEGATIVE;
    }

    /** All zeros (drops a bias). */
    public static Modifier zero() {
        return ZERO;
    }

    /** All ones (the flat rule's weights and the input of the w²/flat rules). */
    public static Modifier ones() {
        return ONES;
    }

    /** x² (the w² rule's weights). */
    public static Modifier square() {
        return SQUARE;
    }

    /** x + γ·x⁺ (the γ rule; Montavon et al. 2019). */
    public static Modifier gamma(float gamma) {
        return new Named(String.format(Locale.ROOT, "gamma(%s)", gamma), t -> TensorMath.map(t, v -> v + gamma * Math.max(v, 0)));
    }

    /** x + γ·x⁻ (the negative half of zennit's generalised γ rule). */
    public static Modifier gammaNegative(float gamma) {
        return new Named(String.format(Locale.ROOT, "gamma-(%s)", gamma), t -> TensorMath.map(t, v -> v + gamma * Math.min(v, 0)));
    }

    /**
     * A constant per channel in place of the input (the z<sup>B</sup> rule's bounds): {@code values}
     * has one entry (any input) or one entry per channel C. For an input [N, E, …] the channel runs
     * along axis 1 when E = C; when E is a multiple of C (an NCHW image flattened for a dense first
     * layer) each channel covers E/C consecutive entries of axis 1 and everything after it.
     */
    public static Modifier perChannel(float... values) {
        float[] v = values.clone();
        if (v.length == 0) {
            throw new IllegalArgumentException("perChannel needs at least one value");
        }
        return new Named("const" + Arrays.toString(v), t -> expand(v, t.shape()));
    }

    static Tensor expand(float[] v, int[] shape) {
        Tensor out = Tensor.zeros(shape);
        float[] d = out.data();
        if (v.length == 1) {
            Arrays.fill(d, v[0]);
            return out;
        }
        if (shape.length < 2) {
            throw new IllegalArgumentException("per-channel bounds (" + v.length + " values) need an input [N, C, …], got "
                    + Shapes.toString(shape));
        }
        int extent = shape[1];
        if (extent % v.length != 0) {
            throw new IllegalArgumentException("per-channel bounds have " + v.length + " values, which does not fit "
                    + "an input of shape " + Shapes.toString(shape) + " (axis 1 must be the channel count or a "
                    + "multiple of it); give one value or one per channel");
        }
        int after = Shapes.size(shape, 2, shape.length);
        int block = (extent / v.length) * after;
        int perItem = extent * after;
        for (int n = 0; n < shape[0]; n++) {
            for (int c = 0; c < v.length; c++) {
                Arrays.fill(d, n * perItem + c * block, n * perItem + (c + 1) * block, v[c]);
            }
        }
        return out;
    }
}
