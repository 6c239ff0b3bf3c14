package dev.netlens.core.kernels;

import java.util.Map;
import java.util.WeakHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked multiply-add kernel shared by {@link StemConv} and {@link ChannelBlockGemm}:
 * vectors along the output channels (4 vectors, {@link #CHANNEL_BLOCK} channels), {@link #RUN}
 * output positions, 24 accumulators; per reduction index it loads 4 weight vectors from filters
 * packed [block][index][channel] and broadcasts one input value per position — 24 multiply-adds
 * per 10 loads. Results land as [position][channel] rows, which {@link #store} transposes into
 * output planes. Loaded only when the Vector API is present ({@link Simd}).
 *
 * <p>The register blocking follows Georganas et al., "Anatomy of High-Performance Deep Learning
 * Convolutions on SIMD Architectures" (SC 2018).
 */
final class ChannelBlockKernel {
    /** The vector width of the other direct kernels ({@link Simd}: one width per JVM). */
    static final VectorSpecies<Float> S = Simd.WIDE && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    static final int LANES = S.length();
    /** Output channels per block: 4 vectors. */
    static final int CHANNEL_BLOCK = 4 * LANES;
    /** Output positions per kernel call. */
    static final int RUN = 6;
    /** Gather map of one vector of a channel's consecutive positions in a row block. */
    private static final int[] ACROSS = across();

    /**
     * Whether this CPU has 32 vector registers (AVX-512, at either vector width): the kernel keeps
     * 24 accumulators, 4 weight vectors and a broadcast live, which would spill on AVX2's 16.
     */
    static final boolean SUPPORTED = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

    private ChannelBlockKernel() {
    }

    private static int[] across() {
        int[] m = new int[LANES];
        for (int i = 0; i < LANES; i++) {
            m[i] = i * CHANNEL_BLOCK;
        }
        return m;
    }

    private record Packed(long fingerprint, float[] forward, float[] transposed) {
    }

    /** Packed filters of declared-constant weight arrays, both directions, while their fingerprint holds. */
    private static final Map<float[], Packed> CACHE = new WeakHashMap<>();

    /**
     * w[m][k] packed for a forward product ({@link #pack}, rows = the m output channels) or for the
     * data gradient ({@link #packTransposed}, rows = the k taps): cached for declared-constant
     * weights ({@link ConstantArrays}) like {@link StagedWeights}, packed afresh for any other array.
     */
    static float[] packed(float[] w, int m, int k, boolean transposed) {
        if (!ConstantArrays.isDeclared(w)) {
            return transposed ? packTransposed(w, k, m) : pack(w, m, k);
        }
        long fp = ConstantArrays.fingerprint(w);
        synchronized (CACHE) {
            Packed e = CACHE.get(w);
            if (e == null || e.fingerprint() != fp) {
                e = new Packed(fp, null, null);
            }
            if (transposed && e.transposed() == null) {
                e = new Packed(fp, e.forward(), packTransposed(w, k, m));
            } else if (!transposed && e.forward() == null) {
                e = new Packed(fp, pack(w, m, k), e.transposed());
            }
            CACHE.put(w, e);
            return transposed ? e.transposed() : e.forward();
        }
    }

    /**
     * Filters w[o][t] (rows of {@code taps} floats) packed [block][tap][{@link #CHANNEL_BLOCK}],
     * zero for channels past the last.
     */
    static float[] pack(float[] w, int m, int taps) {
        int blocks = (m + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
        float[] p = new float[blocks * taps * CHANNEL_BLOCK];
        for (int o = 0; o < m; o++) {
            int b = o / CHANNEL_BLOCK;
            int j = o % CHANNEL_BLOCK;
            for (int t = 0; t < taps; t++) {
                p[(b * taps + t) * CHANNEL_BLOCK + j] = w[o * taps + t];
            }
        }
        return p;
    }

    /**
     * The transpose of w[j][i] (a [depth × rows] matrix) packed like {@link #pack} for a product
     * with {@code rows} output rows and {@code depth} reduction indices: block b, index j holds
     * w[j][b·CHANNEL_BLOCK + o].
     */
    static float[] packTransposed(float[] w, int rows, int depth) {
        int blocks = (rows + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
        float[] p = new float[blocks * depth * CHANNEL_BLOCK];
        for (int j = 0; j < depth; j++) {
            for (int i = 0; i < rows; i++) {
                p[((i / CHANNEL_BLOCK) * depth + j) * CHANNEL_BLOCK + i % CHANNEL_BLOCK] = w[j * rows + i];
            }
        }
        return p;
    }

    /**
     * y[d + o·plane + u] = row[u·{@link #CHANNEL_BLOCK} + o] (+ bias[m0 + o]) for the block's
     * {@code count} channels o and the row's {@code ow} positions u.
     */
    static void store(float[] row, int ow, int m0, int count, float[] bias, float[] y, int d, int plane) {
        for (int o = 0; o < count; o++) {
            float add = bias == null ? 0f : bias[m0 + o];
            FloatVector bv = FloatVector.broadcast(S, add);
            int q = d + o * plane;
            int u = 0;
            for (; u <= ow - LANES; u += LANES) {
                FloatVector.fromArray(S, row, u * CHANNEL_BLOCK + o, ACROSS, 0).add(bv).intoArray(y, q + u);
            }
            for (; u < ow; u++) {
                y[q + u] = row[u * CHANNEL_BLOCK + o] + add;
            }
        }
    }

    /**
     * {@link #RUN} positions p, p + step, … × {@link #CHANNEL_BLOCK} channels of block wb:
     * out[t + u·CHANNEL_BLOCK + o] (+)= Σ_j pw[wb + j·CHANNEL_BLOCK + o] · src[p + u·step + xoff[j]],
     * the sum over j in order, one fused multiply-add per term, starting from zero or (when
     * {@code accumulate}) from the values in {@code out}: so a sum split into consecutive ranges of
     * j gives the same floats as one call.
     */
    static void kernel(float[] src, float[] pw, int wb, int[] xoff, int taps, int p, int step, float[] out, int t,
                       boolean accumulate) {
        final int c = CHANNEL_BLOCK;
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = accumulate ? FloatVector.fromArray(S, out, t + 0 * c + 0 * LANES) : z;
        FloatVector a01 = accumulate ? FloatVector.fromArray(S, out, t + 0 * c + 1 * LANES) : z;
        FloatVector a02 = accumulate ? FloatVector.fromArray(S, out, t + 0 * c + 2 * LANES) : z;
        FloatVector a03 = accumulate ? FloatVector.fromArray(S, out, t + 0 * c + 3 * LANES) : z;
        FloatVector a10 = accumulate ? FloatVector.fromArray(S, out, t + 1 * c + 0 * LANES) : z;
        FloatVector a11 = accumulate ? FloatVector.fromArray(S, out, t + 1 * c + 1 * LANES) : z;
        FloatVector a12 = accumulate ? FloatVector.fromArray(S, out, t + 1 * c + 2 * LANES) : z;
        FloatVector a13 = accumulate ? FloatVector.fromArray(S, out, t + 1 * c + 3 * LANES) : z;
        FloatVector a20 = accumulate ? FloatVector.fromArray(S, out, t + 2 * c + 0 * LANES) : z;
        FloatVector a21 = accumulate ? FloatVector.fromArray(S, out, t + 2 * c + 1 * LANES) : z;
        FloatVector a22 = accumulate ? FloatVector.fromArray(S, out, t + 2 * c + 2 * LANES) : z;
        FloatVector a23 = accumulate ? FloatVector.fromArray(S, out, t + 2 * c + 3 * LANES) : z;
        FloatVector a30 = accumulate ? FloatVector.fromArray(S, out, t + 3 * c + 0 * LANES) : z;
        FloatVector a31 = accumulate ? FloatVector.fromArray(S, out, t + 3 * c + 1 * LANES) : z;
        FloatVector a32 = accumulate ? FloatVector.fromArray(S, out, t + 3 * c + 2 * LANES) : z;
        FloatVector a33 = accumulate ? FloatVector.fromArray(S, out, t + 3 * c + 3 * LANES) : z;
        FloatVector a40 = accumulate ? FloatVector.fromArray(S, out, t + 4 * c + 0 * LANES) : z;
        FloatVector a41 = accumulate ? FloatVector.fromArray(S, out, t + 4 * c + 1 * LANES) : z;
        FloatVector a42 = accumulate ? FloatVector.fromArray(S, out, t + 4 * c + 2 * LANES) : z;
        FloatVector a43 = accumulate ? FloatVector.fromArray(S, out, t + 4 * c + 3 * LANES) : z;
        FloatVector a50 = accumulate ? FloatVector.fromArray(S, out, t + 5 * c + 0 * LANES) : z;
        FloatVector a51 = accumulate ? FloatVector.fromArray(S, out, t + 5 * c + 1 * LANES) : z;
        FloatVector a52 = accumulate ? FloatVector.fromArray(S, out, t + 5 * c + 2 * LANES) : z;
        FloatVector a53 = accumulate ? FloatVector.fromArray(S, out, t + 5 * c + 3 * LANES) : z;
        for (int j = 0; j < taps; j++) {
            int s = p + xoff[j];
            int wi = wb + j * CHANNEL_BLOCK;
            FloatVector w0 = FloatVector.fromArray(S, pw, wi);
            FloatVector w1 = FloatVector.fromArray(S, pw, wi + LANES);
            FloatVector w2 = FloatVector.fromArray(S, pw, wi + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(S, pw, wi + 3 * LANES);
            FloatVector v = FloatVector.broadcast(S, src[s]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            a02 = w2.fma(v, a02);
            a03 = w3.fma(v, a03);
            v = FloatVector.broadcast(S, src[s + step]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            a12 = w2.fma(v, a12);
            a13 = w3.fma(v, a13);
            v = FloatVector.broadcast(S, src[s + 2 * step]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            a22 = w2.fma(v, a22);
            a23 = w3.fma(v, a23);
            v = FloatVector.broadcast(S, src[s + 3 * step]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
            a32 = w2.fma(v, a32);
            a33 = w3.fma(v, a33);
            v = FloatVector.broadcast(S, src[s + 4 * step]);
            a40 = w0.fma(v, a40);
            a41 = w1.fma(v, a41);
            a42 = w2.fma(v, a42);
            a43 = w3.fma(v, a43);
            v = FloatVector.broadcast(S, src[s + 5 * step]);
            a50 = w0.fma(v, a50);
            a51 = w1.fma(v, a51);
            a52 = w2.fma(v, a52);
            a53 = w3.fma(v, a53);
        }
        a00.intoArray(out, t + 0 * c + 0 * LANES);
        a01.intoArray(out, t + 0 * c + 1 * LANES);
        a02.intoArray(out, t + 0 * c + 2 * LANES);
        a03.intoArray(out, t + 0 * c + 3 * LANES);
        a10.intoArray(out, t + 1 * c + 0 * LANES);
        a11.intoArray(out, t + 1 * c + 1 * LANES);
        a12.intoArray(out, t + 1 * c + 2 * LANES);
        a13.intoArray(out, t + 1 * c + 3 * LANES);
        a20.intoArray(out, t + 2 * c + 0 * LANES);
        a21.intoArray(out, t + 2 * c + 1 * LANES);
        a22.intoArray(out, t + 2 * c + 2 * LANES);
        a23.intoArray(out, t + 2 * c + 3 * LANES);
        a30.intoArray(out, t + 3 * c + 0 * LANES);
        a31.intoArray(out, t + 3 * c + 1 * LANES);
        a32.intoArray(out, t + 3 * c + 2 * LANES);
        a33.intoArray(out, t + 3 * c + 3 * LANES);
        a40.intoArray(out, t + 4 * c + 0 * LANES);
        a41.intoArray(out, t + 4 * c + 1 * LANES);
        a42.intoArray(out, t + 4 * c + 2 * LANES);
        a43.intoArray(out, t + 4 * c + 3 * LANES);
        a50.intoArray(out, t + 5 * c + 0 * LANES);
        a51.intoArray(out, t + 5 * c + 1 * LANES);
        a52.intoArray(out, t + 5 * c + 2 * LANES);
        a53.intoArray(out, t + 5 * c + 3 * LANES);
    }

    /**
     * As {@link #kernel} for one position: out[t + o] (+)= Σ_j pw[wb + j·CHANNEL_BLOCK + o] ·
     * src[p + xoff[j]] — the same sum in the same order, so a position gives the same floats here
     * as in a run.
     */
    static void single(float[] src, float[] pw, int wb, int[] xoff, int taps, int p, float[] out, int t,
                       boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a0 = accumulate ? FloatVector.fromArray(S, out, t) : z;
        FloatVector a1 = accumulate ? FloatVector.fromArray(S, out, t + LANES) : z;
        FloatVector a2 = accumulate ? FloatVector.fromArray(S, out, t + 2 * LANES) : z;
        FloatVector a3 = accumulate ? FloatVector.fromArray(S, out, t + 3 * LANES) : z;
        for (int j = 0; j < taps; j++) {
            int wi = wb + j * CHANNEL_BLOCK;
            FloatVector v = FloatVector.broadcast(S, src[p + xoff[j]]);
            a0 = FloatVector.fromArray(S, pw, wi).fma(v, a0);
            a1 = FloatVector.fromArray(S, pw, wi + LANES).fma(v, a1);
            a2 = FloatVector.fromArray(S, pw, wi + 2 * LANES).fma(v, a2);
            a3 = FloatVector.fromArray(S, pw, wi + 3 * LANES).fma(v, a3);
        }
        a0.intoArray(out, t);
        a1.intoArray(out, t + LANES);
        a2.intoArray(out, t + 2 * LANES);
        a3.intoArray(out, t + 3 * LANES);
    }

    /** Calls the kernel {@code calls} times on the smallest input it takes, so that the JIT compiles it. */
    static void warmUp(int calls) {
        float[] src = new float[64];
        float[] pw = new float[CHANNEL_BLOCK];
        int positions = Math.max(RUN, LANES);
        float[] out = new float[positions * CHANNEL_BLOCK];
        int[] xoff = {0};
        for (int i = 0; i < calls; i++) {
            kernel(src, pw, 0, xoff, 1, 0, 1, out, 0, (i & 1) == 1);
            single(src, pw, 0, xoff, 1, 0, out, 0, (i & 1) == 1);
        }
        float[] y = new float[positions * CHANNEL_BLOCK];
        for (int i = 0; i < calls / 10; i++) {
            store(out, positions, 0, CHANNEL_BLOCK, null, y, 0, positions);
        }
    }
}
