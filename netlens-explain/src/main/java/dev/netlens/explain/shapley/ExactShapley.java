package dev.netlens.explain.shapley;

/**
 * Shapley values by their definition (Shapley, "A value for n-person games", 1953):
 * φ_i = Σ_{S ⊆ N∖{i}} |S|! (M − |S| − 1)! / M! · (v(S ∪ {i}) − v(S)), evaluating all 2^M
 * coalitions (one batch). Exponential — meant for M ≤ 20 and as the reference Kernel SHAP is
 * tested against.
 *
 * <pre>{@code
 * double[] phi = ExactShapley.values(game);
 * }</pre>
 */
public final class ExactShapley {
    /** The largest number of players accepted (2^20 coalitions). */
    public static final int MAX_PLAYERS = 20;

    private ExactShapley() {
    }

    /** The Shapley value of every player of {@code game}. */
    public static double[] values(CoalitionGame game) {
        int m = game.players();
        if (m < 0 || m > MAX_PLAYERS) {
            throw new IllegalArgumentException("exact Shapley values need 0 ≤ players ≤ " + MAX_PLAYERS + ", got " + m);
        }
        int count = 1 << m;
        boolean[][] all = new boolean[count][m];
        for (int s = 0; s < count; s++) {
            for (int i = 0; i < m; i++) {
                all[s][i] = (s >> i & 1) != 0;
            }
        }
        double[] v = game.values(all);
        double[] weight = new double[m];
        for (int size = 0; size < m; size++) {
            // |S|! (M − |S| − 1)! / M! = 1 / (M · C(M − 1, |S|))
            weight[size] = 1.0 / (m * binomial(m - 1, size));
        }
        double[] phi = new double[m];
        for (int s = 0; s < count; s++) {
            int size = Integer.bitCount(s);
            for (int i = 0; i < m; i++) {
                if ((s >> i & 1) == 0) {
                    phi[i] += weight[size] * (v[s | 1 << i] - v[s]);
                }
            }
        }
        return phi;
    }

    static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
