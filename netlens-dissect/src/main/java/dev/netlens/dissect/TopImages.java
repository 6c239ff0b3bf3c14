package dev.netlens.dissect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * For each unit of a layer, the {@code k} probe images on which the unit's maximum activation is
 * largest (Bau et al. 2017 show these beside each unit's label), kept while streaming: each unit
 * holds a sorted list of at most {@code k} (activation, image) pairs. Ties go to the smaller image
 * index, so the result does not depend on the order images arrive in, and {@link #merge} of any
 * split of the data equals one pass over all of it.
 */
public final class TopImages {
    private final int units;
    private final int k;
    private final float[][] values;
    private final int[][] images;
    private final int[] sizes;

    /** Empty lists of capacity {@code k} for {@code units} units. */
    public TopImages(int units, int k) {
        if (units < 1 || k < 1) {
            throw new IllegalArgumentException("top images need units >= 1 and k >= 1, got " + units + ", " + k);
        }
        this.units = units;
        this.k = k;
        values = new float[units][k];
        images = new int[units][k];
        sizes = new int[units];
    }

    /** Number of units. */
    public int units() {
        return units;
    }

    /** Capacity per unit. */
    public int k() {
        return k;
    }

    /** Offers image {@code image} with unit {@code unit}'s maximum activation {@code value}. */
    public void offer(int unit, int image, float value) {
        float[] v = values[unit];
        int[] im = images[unit];
        int n = sizes[unit];
        int pos = n;
        while (pos > 0 && before(value, image, v[pos - 1], im[pos - 1])) {
            pos--;
        }
        if (pos >= k) {
            return;
        }
        int last = Math.min(n, k - 1);
        System.arraycopy(v, pos, v, pos + 1, last - pos);
        System.arraycopy(im, pos, im, pos + 1, last - pos);
        v[pos] = value;
        im[pos] = image;
        sizes[unit] = Math.min(n + 1, k);
    }

    private static boolean before(float value, int image, float otherValue, int otherImage) {
        return value > otherValue || (value == otherValue && image < otherImage);
    }

    /** The image indices of unit {@code unit}, best first. */
    public int[] images(int unit) {
        return Arrays.copyOf(images[unit], sizes[unit]);
    }

    /** The maximum activations matching {@link #images}. */
    public float[] values(int unit) {
        return Arrays.copyOf(values[unit], sizes[unit]);
    }

    /** Offers everything {@code other} holds. */
    public void merge(TopImages other) {
        if (other.units != units || other.k != k) {
            throw new IllegalArgumentException("cannot merge top-" + other.k + " lists of " + other.units
                    + " units into top-" + k + " lists of " + units);
        }
        for (int u = 0; u < units; u++) {
            for (int i = 0; i < other.sizes[u]; i++) {
                offer(u, other.images[u][i], other.values[u][i]);
            }
        }
    }

    /** Writes the complete state. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(units);
        out.writeInt(k);
        for (int u = 0; u < units; u++) {
            out.writeInt(sizes[u]);
            for (int i = 0; i < sizes[u]; i++) {
                out.writeFloat(values[u][i]);
                out.writeInt(images[u][i]);
            }
        }
    }

    /**
     * Reads lists written by {@link #write}.
     *
     * @throws IOException when the data is not top-image lists
     */
    public static TopImages read(DataInput in) throws IOException {
        int units = in.readInt();
        int k = in.readInt();
        if (units < 1 || k < 1 || (long) units * k > 1 << 26) {
            throw new IOException("corrupt top-images header (" + units + " units, k = " + k + ")");
        }
        TopImages t = new TopImages(units, k);
        for (int u = 0; u < units; u++) {
            int n = in.readInt();
            if (n < 0 || n > k) {
                throw new IOException("corrupt top-images list of unit " + u + " (" + n + " entries)");
            }
            t.sizes[u] = n;
            for (int i = 0; i < n; i++) {
                t.values[u][i] = in.readFloat();
                t.images[u][i] = in.readInt();
            }
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TopImages t) || t.units != units || t.k != k || !Arrays.equals(t.sizes, sizes)) {
            return false;
        }
        for (int u = 0; u < units; u++) {
            if (!Arrays.equals(images(u), t.images(u)) || !Arrays.equals(values(u), t.values(u))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes);
    }
}
