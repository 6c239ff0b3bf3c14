package dev.netlens.explain;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Explains one unit (neuron) of a named layer instead of a class score: y_n = A[n, index…] for one
 * position of the layer's output A, or the sum of one channel over all its positions. Any gradient
 * method then attributes that unit's activation to the input (Captum's {@code NeuronGradient},
 * {@code NeuronIntegratedGradients}, … as one target instead of one class per method).
 *
 * <p>It is a {@link ValueTarget}: methods seed the backward pass on the layer's value, and the
 * forward pass stops there. The same unit is explained for every batch item.
 *
 * <pre>{@code
 * Target unit = NeuronTarget.at("layer3.1.relu2", 17, 4, 5);     // channel 17 at (y, x) = (4, 5)
 * Explanation e = IntegratedGradients.builder(model).build().explain(x, unit);
 * Target whole = NeuronTarget.channel("layer3.1.relu2", 17);      // Σ of channel 17
 * }</pre>
 */
public final class NeuronTarget implements ValueTarget {
    private final String value;
    private final int[] index;
    private final boolean channelSum;

    private NeuronTarget(String value, int[] index, boolean channelSum) {
        this.value = Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the layer (value) name must be non-empty");
        }
        for (int i : index) {
            if (i < 0) {
                throw new IllegalArgumentException("unit indices must be >= 0, got " + Arrays.toString(index));
            }
        }
        this.index = index;
        this.channelSum = channelSum;
    }

    /**
     * The unit at {@code index} within one item of the value, e.g. (channel, y, x) for [N, C, H, W]
     * or (feature) for [N, K].
     */
    public static NeuronTarget unit(String value, int... index) {
        if (index.length == 0) {
            throw new IllegalArgumentException("give the unit's index within one item, e.g. (channel, y, x)");
        }
        return new NeuronTarget(value, index.clone(), false);
    }

    /** The unit at (channel, y, x) of an [N, C, H, W] value. */
    public static NeuronTarget at(String value, int channel, int y, int x) {
        return new NeuronTarget(value, new int[] {channel, y, x}, false);
    }

    /** The sum of one channel (axis 1) over all its positions. */
    public static NeuronTarget channel(String value, int channel) {
        return new NeuronTarget(value, new int[] {channel}, true);
    }

    @Override
    public String valueName() {
        return value;
    }

    /** The unit's index within one item (for a channel target: the channel). */
    public int[] index() {
        return index.clone();
    }

    public boolean isChannelSum() {
        return channelSum;
    }

    /** Flat offsets (within one item) of the positions this target sums: one, or a whole channel. */
    private int[] offsets(Tensor activation) {
        int[] shape = activation.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("neuron targets need a value of rank >= 2 ([N, …]); '" + value
                    + "' has shape " + Shapes.toString(shape));
        }
        if (channelSum) {
            int c = shape[1];
            if (index[0] >= c) {
                throw new IllegalArgumentException("channel " + index[0] + " is out of range: '" + value + "' has "
                        + c + " channels (shape " + Shapes.toString(shape) + ")");
            }
            int inner = Shapes.size(shape, 2, shape.length);
            int[] o = new int[inner];
            for (int i = 0; i < inner; i++) {
                o[i] = index[0] * inner + i;
            }
            return o;
        }
        if (index.length != shape.length - 1) {
            throw new IllegalArgumentException("unit index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates but items of '" + value + "' have " + (shape.length - 1) + " (shape "
                    + Shapes.toString(shape) + ")");
        }
        int flat = 0;
        for (int d = 0; d < index.length; d++) {
            if (index[d] >= shape[d + 1]) {
                throw new IllegalArgumentException("unit index " + Arrays.toString(index) + " is outside the items of '"
                        + value + "' (shape " + Shapes.toString(shape) + ")");
            }
            flat = flat * shape[d + 1] + index[d];
        }
        return new int[] {flat};
    }

    @Override
    public float[] values(Tensor activation) {
        int[] off = offsets(activation);
        int n = activation.dim(0);
        int per = activation.size() / n;
        float[] v = new float[n];
        float[] d = activation.data();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int o : off) {
                s += d[i * per + o];
            }
            v[i] = (float) s;
        }
        return v;
    }

    @Override
    public Tensor seed(Tensor activation) {
        int[] off = offsets(activation);
        Tensor s = Tensor.zerosLike(activation);
        int n = activation.dim(0);
        int per = activation.size() / n;
        for (int i = 0; i < n; i++) {
            for (int o : off) {
                s.data()[i * per + o] = 1f;
            }
        }
        return s;
    }

    @Override
    public String describe() {
        return (channelSum ? "channel " + index[0] + " of " : "unit " + Arrays.toString(index) + " of ") + value;
    }

    @Override
    public String toString() {
        return describe();
    }
}
