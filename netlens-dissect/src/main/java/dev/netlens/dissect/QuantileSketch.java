package dev.netlens.dissect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A streaming, mergeable estimate of the quantiles of one unit's activations, for the per-unit
 * thresholds of Network Dissection (Bau et al. 2017: T_k = the 0.995 quantile of unit k's
 * activations over all positions of all probe images).
 *
 * <p><b>How.</b> A histogram over the float values' own binary representation: the bucket of a
 * value is its sign, its exponent and the top {@value #MANTISSA_BITS} bits of its mantissa (so
 * each power-of-two range is cut into {@value #BUCKETS_PER_BINADE} buckets of relative width
 * 2<sup>−7</sup> ≈ 0.8%). Each bucket keeps its count and the smallest and largest value that fell
 * in it. A quantile walks the buckets in value order to the one that holds the requested rank and
 * interpolates linearly between that bucket's smallest and largest value (exact when the bucket
 * holds one distinct value, as for the zeros of a ReLU or a saturated unit).
 *
 * <p>Beside the histogram the sketch keeps the {@value #TAIL} largest values exactly (a min-heap):
 * while the requested quantile lies among them — for the top 0.5% that is every dataset of up to
 * ~800k positions per unit — the quantile is exact, so small probe sets give exactly the
 * thresholds (and therefore the IoUs) of a brute-force sort.
 *
 * <p><b>Guarantees.</b> Memory is bounded by the number of possible buckets (2<sup>16</sup>,
 * allocated per power of two on first use — a few dozen powers for real activations), whatever
 * the dataset size. The estimate lies inside the bucket that holds the exact quantile, so its
 * rank error is at most that bucket's share of all values, which {@link #rankErrorBound} reports;
 * in the tail that Dissection reads (the top 0.5%) a bucket 0.8% wide holds far less than the
 * 10<sup>−3</sup> of all values that the spec allows (the tests measure it). Merging adds counts
 * and takes minima and maxima, so it is exact, associative and commutative: any split of the data
 * over batches or workers, merged in any order, gives bit-identical sketches; so does a resumed
 * run ({@link #write}/{@link #read} store the complete state).
 *
 * <p><b>Why not a library.</b> Apache DataSketches' {@code ReqSketch} has the right tail accuracy
 * but draws its compaction coins from an unseeded {@code java.util.Random} and does not serialise
 * that state, so two runs over the same data — or an interrupted and resumed run — give different
 * thresholds; netlens promises identical results on resume.
 *
 * <p>Memory per sketch: at most 2<sup>16</sup> buckets of 16 bytes plus {@value #TAIL} floats,
 * whatever the number of values. Not thread-safe; use one sketch per thread and {@link #merge}.
 */
public final class QuantileSketch {
    /** Mantissa bits kept in the bucket index. */
    public static final int MANTISSA_BITS = 7;
    /** Buckets per power of two. */
    public static final int BUCKETS_PER_BINADE = 1 << MANTISSA_BITS;
    private static final int SHIFT = 23 - MANTISSA_BITS;
    private static final int CHUNKS = 1 << (32 - SHIFT - MANTISSA_BITS);
    private static final int OFFSET = 1 << (32 - SHIFT - 1);

    /** Number of largest values kept exactly. */
    public static final int TAIL = 4096;

    private final long[][] counts = new long[CHUNKS][];
    private final float[] tail = new float[TAIL];
    private int tailSize;
    private final float[][] mins = new float[CHUNKS][];
    private final float[][] maxs = new float[CHUNKS][];
    private long count;

    /** An empty sketch. */
    public QuantileSketch() {
    }

    /** Number of values added. */
    public long count() {
        return count;
    }

    /**
     * Adds one value.
     *
     * @throws IllegalArgumentException when {@code value} is NaN
     */
    public void add(float value) {
        if (value != value) {
            throw new IllegalArgumentException("activation is NaN; dissection needs finite activations");
        }
        if (value == 0f) {
            value = 0f; // -0 and +0 share a bucket
        }
        int index = bucket(value);
        int chunk = index >>> MANTISSA_BITS;
        int slot = index & (BUCKETS_PER_BINADE - 1);
        long[] c = counts[chunk];
        if (c == null) {
            c = allocate(chunk);
        }
        if (c[slot] == 0) {
            mins[chunk][slot] = value;
            maxs[chunk][slot] = value;
        } else {
            if (value < mins[chunk][slot]) {
                mins[chunk][slot] = value;
            }
            if (value > maxs[chunk][slot]) {
                maxs[chunk][slot] = value;
            }
        }
        c[slot]++;
        count++;
        offerTail(value);
    }

    private void offerTail(float value) {
        if (tailSize < TAIL) {
            int i = tailSize++;
            while (i > 0 && tail[(i - 1) >>> 1] > value) {
                tail[i] = tail[(i - 1) >>> 1];
                i = (i - 1) >>> 1;
            }
            tail[i] = value;
        } else if (value > tail[0]) {
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= TAIL) {
                    break;
                }
                int m = l + 1 < TAIL && tail[l + 1] < tail[l] ? l + 1 : l;
                if (tail[m] >= value) {
                    break;
                }
                tail[i] = tail[m];
                i = m;
            }
            tail[i] = value;
        }
    }

    /** The exactly kept largest values, ascending. */
    private float[] sortedTail() {
        float[] t = Arrays.copyOf(tail, tailSize);
        Arrays.sort(t);
        return t;
    }

    /** Adds {@code length} values of {@code values} starting at {@code offset}. */
    public void add(float[] values, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            add(values[i]);
        }
    }

    private long[] allocate(int chunk) {
        counts[chunk] = new long[BUCKETS_PER_BINADE];
        mins[chunk] = new float[BUCKETS_PER_BINADE];
        maxs[chunk] = new float[BUCKETS_PER_BINADE];
        return counts[chunk];
    }

    /** Order-preserving bucket index in [0, 2^16). */
    private static int bucket(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return (sortable >> SHIFT) + OFFSET;
    }

    /** Adds everything {@code other} holds to this sketch ({@code other} is unchanged). */
    public void merge(QuantileSketch other) {
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            long[] oc = other.counts[chunk];
            if (oc == null) {
                continue;
            }
            long[] c = counts[chunk] == null ? allocate(chunk) : counts[chunk];
            for (int s = 0; s < BUCKETS_PER_BINADE; s++) {
                if (oc[s] == 0) {
                    continue;
                }
                float omin = other.mins[chunk][s];
                float omax = other.maxs[chunk][s];
                if (c[s] == 0) {
                    mins[chunk][s] = omin;
                    maxs[chunk][s] = omax;
                } else {
                    mins[chunk][s] = Math.min(mins[chunk][s], omin);
                    maxs[chunk][s] = Math.max(maxs[chunk][s], omax);
                }
                c[s] += oc[s];
            }
        }
        count += other.count;
        for (int i = 0; i < other.tailSize; i++) {
            offerTail(other.tail[i]);
        }
    }

    /**
     * The estimated {@code p} quantile, with numpy's default ("linear") definition of the exact
     * one: the value at 0-based rank {@code p·(n − 1)} of the sorted values.
     *
     * @throws IllegalArgumentException when {@code p} is not in [0, 1]
     * @throws IllegalStateException when the sketch is empty
     */
    public float quantile(double p) {
        float[] exact = exactTail(p);
        if (exact != null) {
            double rank = p * (count - 1);
            long i = (long) Math.floor(rank);
            float lo = exact[0];
            float hi = exact[1];
            return lo == hi ? lo : (float) (lo + (rank - i) * ((double) hi - lo));
        }
        long[] where = locate(p);
        int chunk = (int) where[0];
        int slot = (int) where[1];
        long before = where[2];
        double rank = p * (count - 1);
        long c = counts[chunk][slot];
        float lo = mins[chunk][slot];
        float hi = maxs[chunk][slot];
        if (c == 1 || lo == hi) {
            return lo;
        }
        double f = Math.min(1, Math.max(0, (rank - before) / (c - 1)));
        float v = (float) (lo + f * ((double) hi - lo));
        return Math.min(hi, Math.max(lo, v));
    }

    /**
     * An upper bound on the rank error of {@link #quantile}{@code (p)} as a fraction of all values:
     * the share of the values that fell in the bucket holding rank {@code p·(n − 1)} (0 when that
     * bucket holds a single distinct value).
     */
    public double rankErrorBound(double p) {
        if (exactTail(p) != null) {
            return 0;
        }
        long[] where = locate(p);
        int chunk = (int) where[0];
        int slot = (int) where[1];
        if (mins[chunk][slot] == maxs[chunk][slot]) {
            return 0;
        }
        return (double) counts[chunk][slot] / count;
    }

    /** The order statistics at ranks floor(p(n−1)) and the next one when both are in the exact tail; else null. */
    private float[] exactTail(double p) {
        if (!(p >= 0 && p <= 1) || count == 0) {
            return null;
        }
        long i = (long) Math.floor(p * (count - 1));
        long fromTop = count - 1 - i; // 0 = the largest value
        if (fromTop >= tailSize) {
            return null;
        }
        float[] t = sortedTail();
        int at = (int) (tailSize - 1 - fromTop);
        return new float[] {t[at], t[Math.min(at + 1, tailSize - 1)]};
    }

    /** {chunk, slot, values before the bucket} of the bucket holding rank p·(n−1). */
    private long[] locate(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + p);
        }
        if (count == 0) {
            throw new IllegalStateException("no values were added; cannot estimate a quantile");
        }
        long target = (long) Math.floor(p * (count - 1));
        long seen = 0;
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            long[] c = counts[chunk];
            if (c == null) {
                continue;
            }
            for (int s = 0; s < BUCKETS_PER_BINADE; s++) {
                if (c[s] != 0 && seen + c[s] > target) {
                    return new long[] {chunk, s, seen};
                }
                seen += c[s];
            }
        }
        throw new IllegalStateException("sketch counts are inconsistent");
    }

    /** Writes the complete state (only the powers of two in use). */
    public void write(DataOutput out) throws IOException {
        out.writeLong(count);
        float[] t = sortedTail();
        out.writeInt(t.length);
        for (float v : t) {
            out.writeFloat(v);
        }
        int used = 0;
        for (long[] c : counts) {
            used += c == null ? 0 : 1;
        }
        out.writeInt(used);
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            if (counts[chunk] == null) {
                continue;
            }
            out.writeInt(chunk);
            for (int s = 0; s < BUCKETS_PER_BINADE; s++) {
                out.writeLong(counts[chunk][s]);
                out.writeFloat(mins[chunk][s]);
                out.writeFloat(maxs[chunk][s]);
            }
        }
    }

    /**
     * Reads a sketch written by {@link #write}.
     *
     * @throws IOException when the data is not a sketch
     */
    public static QuantileSketch read(DataInput in) throws IOException {
        QuantileSketch s = new QuantileSketch();
        s.count = in.readLong();
        int tailSize = in.readInt();
        if (tailSize < 0 || tailSize > TAIL || tailSize > s.count) {
            throw new IOException("corrupt quantile sketch (" + tailSize + " tail values)");
        }
        for (int i = 0; i < tailSize; i++) {
            s.offerTail(in.readFloat());
        }
        int used = in.readInt();
        if (used < 0 || used > CHUNKS || s.count < 0) {
            throw new IOException("corrupt quantile sketch (" + used + " chunks, " + s.count + " values)");
        }
        long total = 0;
        for (int i = 0; i < used; i++) {
            int chunk = in.readInt();
            if (chunk < 0 || chunk >= CHUNKS || s.counts[chunk] != null) {
                throw new IOException("corrupt quantile sketch (chunk " + chunk + ")");
            }
            s.allocate(chunk);
            for (int b = 0; b < BUCKETS_PER_BINADE; b++) {
                s.counts[chunk][b] = in.readLong();
                s.mins[chunk][b] = in.readFloat();
                s.maxs[chunk][b] = in.readFloat();
                total += s.counts[chunk][b];
            }
        }
        if (total != s.count) {
            throw new IOException("corrupt quantile sketch (bucket counts add to " + total + ", not " + s.count + ")");
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof QuantileSketch other) || other.count != count
                || !Arrays.equals(sortedTail(), other.sortedTail())) {
            return false;
        }
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            if (!Arrays.equals(counts[chunk], other.counts[chunk]) || !Arrays.equals(mins[chunk], other.mins[chunk])
                    || !Arrays.equals(maxs[chunk], other.maxs[chunk])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count);
    }

    @Override
    public String toString() {
        return "QuantileSketch(" + count + " values)";
    }
}
