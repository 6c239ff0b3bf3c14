package dev.netlens.explain.shapley;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Kernel SHAP (Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS
 * 2017) for any {@link CoalitionGame}: Shapley values as the solution of a weighted least squares
 * problem over coalitions z ∈ {0,1}^M,
 * <pre>
 *   min_φ Σ_z π(z) (v(z) − v(∅) − Σ_i z_i φ_i)²   subject to   Σ_i φ_i = v(N) − v(∅),
 *   π(z) = (M − 1) / (C(M, |z|) · |z| · (M − |z|))   (the Shapley kernel, 0 &lt; |z| &lt; M).
 * </pre>
 * The constraint (efficiency) is enforced exactly by eliminating the last player. With all
 * 2^M coalitions (chosen automatically when 2^M ≤ samples) the solution equals the exact Shapley
 * values. Otherwise coalitions are sampled from the kernel itself — a size s with probability
 * ∝ (M − 1)/(s(M − s)), then a uniformly random coalition of that size, always paired with its
 * complement (antithetic sampling, as the shap package does) — and every draw gets equal weight.
 * Players and games are abstract, so the same solver serves tabular features and image
 * superpixels. Seeded: the same seed gives the same coalitions.
 *
 * <pre>{@code
 * KernelShapSolver.Result r = KernelShapSolver.builder().samples(2048).seed(7).build().solve(game);
 * double[] phi = r.values();   // Σ phi = r.full() − r.base()
 * }</pre>
 */
public final class KernelShapSolver {
    private final int samples;
    private final long seed;
    private final int batch;

    private KernelShapSolver(Builder b) {
        this.samples = b.samples;
        this.seed = b.seed;
        this.batch = b.batch;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Shapley value estimates.
     *
     * @param values φ, one per player
     * @param base v(∅)
     * @param full v(N); Σφ = full − base
     * @param exact true when all coalitions were enumerated
     * @param coalitions number of distinct coalitions evaluated (including ∅ and N)
     */
    public record Result(double[] values, double base, double full, boolean exact, int coalitions) {
    }

    /** Solves {@code game}. */
    public Result solve(CoalitionGame game) {
        int m = game.players();
        if (m < 1) {
            throw new IllegalArgumentException("Kernel SHAP needs at least one player, the game has " + m);
        }
        boolean[] none = new boolean[m];
        boolean[] all = new boolean[m];
        Arrays.fill(all, true);
        boolean exact = m < 31 && (1L << m) <= samples;
        List<boolean[]> coalitions = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        if (m > 1) {
            if (exact) {
                for (int s = 1; s < (1 << m) - 1; s++) {
                    boolean[] z = new boolean[m];
                    for (int i = 0; i < m; i++) {
                        z[i] = (s >> i & 1) != 0;
                    }
                    int size = Integer.bitCount(s);
                    coalitions.add(z);
                    weights.add((m - 1) / (ExactShapley.binomial(m, size) * size * (m - size)));
                }
            } else {
                sample(m, coalitions, weights);
            }
        }
        List<boolean[]> ask = new ArrayList<>(coalitions.size() + 2);
        ask.add(none);
        ask.add(all);
        ask.addAll(coalitions);
        double[] v = evaluate(game, ask);
        double base = v[0];
        double full = v[1];
        double delta = full - base;
        double[] phi = new double[m];
        if (m == 1) {
            phi[0] = delta;
            return new Result(phi, base, full, true, 2);
        }
        int n = coalitions.size();
        double[][] x = new double[n][m - 1];
        double[] y = new double[n];
        double[] w = new double[n];
        for (int r = 0; r < n; r++) {
            boolean[] z = coalitions.get(r);
            double last = z[m - 1] ? 1 : 0;
            for (int j = 0; j < m - 1; j++) {
                x[r][j] = (z[j] ? 1 : 0) - last;
            }
            y[r] = v[r + 2] - base - last * delta;
            w[r] = weights.get(r);
        }
        double[] head = LeastSquares.weighted(x, y, w);
        double sum = 0;
        for (int j = 0; j < m - 1; j++) {
            phi[j] = head[j];
            sum += head[j];
        }
        phi[m - 1] = delta - sum;
        return new Result(phi, base, full, exact, n + 2);
    }

    private void sample(int m, List<boolean[]> coalitions, List<Double> weights) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] cumulative = new double[m];
        double total = 0;
        for (int s = 1; s < m; s++) {
            total += (m - 1.0) / (s * (double) (m - s));
            cumulative[s] = total;
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        int pairs = Math.max(1, (samples - 2) / 2);
        int[] perm = new int[m];
        for (int p = 0; p < pairs; p++) {
            double u = random.nextDouble() * total;
            int size = 1;
            while (size < m - 1 && cumulative[size] < u) {
                size++;
            }
            for (int i = 0; i < m; i++) {
                perm[i] = i;
            }
            boolean[] z = new boolean[m];
            for (int i = 0; i < size; i++) {
                int j = i + random.nextInt(m - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                z[perm[i]] = true;
            }
            boolean[] complement = new boolean[m];
            for (int i = 0; i < m; i++) {
                complement[i] = !z[i];
            }
            add(z, coalitions, weights, index);
            add(complement, coalitions, weights, index);
        }
    }

    private static void add(boolean[] z, List<boolean[]> coalitions, List<Double> weights, Map<String, Integer> index) {
        String key = key(z);
        Integer at = index.get(key);
        if (at == null) {
            index.put(key, coalitions.size());
            coalitions.add(z);
            weights.add(1.0);
        } else {
            weights.set(at, weights.get(at) + 1);
        }
    }

    private static String key(boolean[] z) {
        char[] c = new char[z.length];
        for (int i = 0; i < z.length; i++) {
            c[i] = z[i] ? '1' : '0';
        }
        return new String(c);
    }

    private double[] evaluate(CoalitionGame game, List<boolean[]> ask) {
        double[] v = new double[ask.size()];
        for (int from = 0; from < ask.size(); from += batch) {
            int to = Math.min(ask.size(), from + batch);
            boolean[][] part = ask.subList(from, to).toArray(new boolean[0][]);
            double[] got = game.values(part);
            if (got.length != part.length) {
                throw new IllegalStateException("the game returned " + got.length + " values for " + part.length + " coalitions");
            }
            System.arraycopy(got, 0, v, from, got.length);
        }
        return v;
    }

    /** Options with documented defaults. */
    public static final class Builder {
        private int samples = 2048;
        private long seed = 0;
        private int batch = 256;

        private Builder() {
        }

        /** Coalition budget (default 2048); all 2^M coalitions are used when 2^M ≤ samples. */
        public Builder samples(int samples) {
            if (samples < 4) {
                throw new IllegalArgumentException("Kernel SHAP samples must be ≥ 4, got " + samples);
            }
            this.samples = samples;
            return this;
        }

        /** Seed of the coalition sampler (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Coalitions per call of {@link CoalitionGame#values} (default 256). */
        public Builder batch(int batch) {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
            }
            this.batch = batch;
            return this;
        }

        public KernelShapSolver build() {
            return new KernelShapSolver(this);
        }
    }
}
