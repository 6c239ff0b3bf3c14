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

    /**
     * The z<sup>B</sup> rule's constant {@code bound} per channel in place of the input, after checking
     * that the input lies within [low, high] per channel (to 1e-3 of the range, for the rounding of
     * preprocessing): outside, the rule's relevance is meaningless — with normalised images and the
     * [0, 1] bounds of a model without normalisation metadata it reached 1e34 — so that is an error
     * naming the bounds and how to set them.
     */
    static Modifier boundChecked(float[] bound, float[] low, float[] high) {
        float[] v = bound.clone();
        float[] lo = low.clone();
        float[] hi = high.clone();
        return new Named("const" + Arrays.toString(v), t -> {
            requireWithin(t, lo, hi);
            return expand(v, t.shape());
        });
    }

    private static void requireWithin(Tensor t, float[] low, float[] high) {
        float[] lo = expand(low, t.shape()).data();
        float[] hi = expand(high, t.shape()).data();
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            float slack = 1e-3f * (hi[i] - lo[i]);
            if (!(d[i] >= lo[i] - slack && d[i] <= hi[i] + slack)) {
                throw new IllegalArgumentException("the zB rule (zbox) assumes the first layer's input within its"
                        + " bounds, low " + Arrays.toString(low) + " and high " + Arrays.toString(high)
                        + " per channel, but the input has " + d[i] + " at flat index " + i + " (shape "
                        + Shapes.toString(t.shape()) + "). epsilon-gamma-box takes the bounds from the normalisation"
                        + " of pixels in [0, 1] declared by the model metadata netlens.mean / netlens.std ([0, 1]"
                        + " without it): declare it (on the command line: --mean and --std), or give the bounds in a"
                        + " user composite, e.g. --composite first=zbox(-2.2,2.7),epsilon-gamma-box");
            }
        }
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
