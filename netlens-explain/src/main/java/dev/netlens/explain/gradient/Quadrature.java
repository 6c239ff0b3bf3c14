package dev.netlens.explain.gradient;

import java.util.Arrays;
import java.util.Locale;

/**
 * Nodes α_i ∈ [0, 1] and weights w_i of a rule approximating ∫₀¹ g(α) dα ≈ Σ_i w_i g(α_i), as used
 * by path methods (integrated gradients). The rules and their names are Captum's
 * ({@code captum.attr._utils.approximation_methods}):
 * <ul>
 *   <li>{@code gausslegendre} (default): α_i = (1 + t_i)/2, w_i = ω_i/2 with (t_i, ω_i) the n-point
 *       Gauss–Legendre nodes and weights on [−1, 1]; exact for polynomials of degree ≤ 2n − 1.
 *       Computed here by Newton's method on the Legendre polynomials, in double precision.</li>
 *   <li>{@code riemann_left}: α_i = i/n, w_i = 1/n (i = 0 … n−1).</li>
 *   <li>{@code riemann_right}: α_i = (i+1)/n, w_i = 1/n.</li>
 *   <li>{@code riemann_middle}: α_i = (i + ½)/n, w_i = 1/n.</li>
 *   <li>{@code riemann_trapezoid}: α_i = i/(n−1), w_i = 1/n except w_0 = w_{n−1} = 1/(2n) — exactly
 *       Captum's definition, whose weights sum to 1 − 1/n (so it is biased by O(1/n) even for a
 *       constant integrand; the textbook trapezoid rule would use 1/(n−1)).</li>
 * </ul>
 * Riemann rules need n ≥ 2 (as in Captum), Gauss–Legendre n ≥ 1. Nodes are in increasing order.
 *
 * <pre>{@code
 * Quadrature q = Quadrature.of(Quadrature.Method.GAUSS_LEGENDRE, 50);
 * double integral = 0;
 * for (int i = 0; i < q.size(); i++) {
 *     integral += q.weight(i) * g(q.alpha(i));
 * }
 * }</pre>
 */
public final class Quadrature {
    /** The integration rules by their Captum names. */
    public enum Method {
        GAUSS_LEGENDRE("gausslegendre"),
        RIEMANN_LEFT("riemann_left"),
        RIEMANN_RIGHT("riemann_right"),
        RIEMANN_MIDDLE("riemann_middle"),
        RIEMANN_TRAPEZOID("riemann_trapezoid");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        /** The Captum name, e.g. "riemann_left". */
        public String id() {
            return id;
        }

        /** Parses a Captum name (case-insensitive; "gauss-legendre" and "-" for "_" accepted). */
        public static Method parse(String name) {
            String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            if (n.equals("gauss_legendre")) {
                n = "gausslegendre";
            }
            for (Method m : values()) {
                if (m.id.equals(n)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown integration method '" + name + "'; valid: gausslegendre, "
                    + "riemann_left, riemann_right, riemann_middle, riemann_trapezoid");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private final Method method;
    private final double[] alphas;
    private final double[] weights;

    private Quadrature(Method method, double[] alphas, double[] weights) {
        this.method = method;
        this.alphas = alphas;
        this.weights = weights;
    }

    /** The n-point rule of this method on [0, 1]. */
    public static Quadrature of(Method method, int n) {
        int min = method == Method.GAUSS_LEGENDRE ? 1 : 2;
        if (n < min) {
            throw new IllegalArgumentException(method.id() + " needs at least " + min + " steps, got " + n);
        }
        double[] a = new double[n];
        double[] w = new double[n];
        switch (method) {
            case GAUSS_LEGENDRE -> {
                double[][] tw = legendre(n);
                for (int i = 0; i < n; i++) {
                    a[i] = 0.5 * (1 + tw[0][i]);
                    w[i] = 0.5 * tw[1][i];
                }
            }
            case RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE -> {
                double shift = method == Method.RIEMANN_LEFT ? 0 : method == Method.RIEMANN_RIGHT ? 1 : 0.5;
                for (int i = 0; i < n; i++) {
                    a[i] = (i + shift) / n;
                    w[i] = 1.0 / n;
                }
            }
            case RIEMANN_TRAPEZOID -> {
                for (int i = 0; i < n; i++) {
                    a[i] = (double) i / (n - 1);
                    w[i] = 1.0 / n;
                }
                w[0] /= 2;
                w[n - 1] /= 2;
            }
            default -> throw new AssertionError(method);
        }
        return new Quadrature(method, a, w);
    }

    /**
     * The n-point Gauss–Legendre nodes t_i (increasing) and weights ω_i on [−1, 1], as
     * {@code {nodes, weights}}: the roots of the Legendre polynomial P_n, found by Newton's method
     * from Chebyshev-like initial guesses, and ω_i = 2 / ((1 − t_i²) P_n′(t_i)²). Accurate to
     * about 1e-15.
     */
    public static double[][] legendre(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Gauss–Legendre needs n >= 1 nodes, got " + n);
        }
        double[] t = new double[n];
        double[] w = new double[n];
        int half = (n + 1) / 2;
        for (int i = 0; i < half; i++) {
            // Root i (largest first) of P_n.
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double[] pd = legendreAndDerivative(n, z);
                dp = pd[1];
                double dz = pd[0] / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-16) {
                    break;
                }
            }
            dp = legendreAndDerivative(n, z)[1];
            double weight = 2.0 / ((1 - z * z) * dp * dp);
            t[i] = -z;
            t[n - 1 - i] = z;
            w[i] = weight;
            w[n - 1 - i] = weight;
        }
        if (n % 2 == 1) {
            t[n / 2] = 0.0;
        }
        return new double[][] {t, w};
    }

    /** P_n(z) and P_n′(z) by the three-term recurrence. */
    private static double[] legendreAndDerivative(int n, double z) {
        double p0 = 1;
        double p1 = z;
        if (n == 0) {
            return new double[] {1, 0};
        }
        for (int k = 2; k <= n; k++) {
            double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        // P_n′(z) = n (z P_n − P_{n−1}) / (z² − 1); |z| < 1 for every root.
        double d = n * (z * p1 - p0) / (z * z - 1);
        return new double[] {p1, d};
    }

    public Method method() {
        return method;
    }

    /** Number of nodes. */
    public int size() {
        return alphas.length;
    }

    /** Node i in [0, 1]. */
    public double alpha(int i) {
        return alphas[i];
    }

    /** Weight of node i. */
    public double weight(int i) {
        return weights[i];
    }

    /**
     * Whether a node is at α = 0, the baseline itself (Riemann trapezoid and left): path methods
     * then prepare the baseline's values with uniform convolutions ({@link PathIntegral}).
     */
    boolean hasBaselineNode() {
        for (double a : alphas) {
            if (a == 0) {
                return true;
            }
        }
        return false;
    }

    /** All nodes (a copy). */
    public double[] alphas() {
        return alphas.clone();
    }

    /** All weights (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public String toString() {
        return method.id() + "(" + alphas.length + ") nodes " + Arrays.toString(alphas);
    }
}
