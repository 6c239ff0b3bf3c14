package dev.netlens.explain.perturbation;

/**
 * Weighted ridge regression with an unpenalised intercept, as scikit-learn's {@code Ridge(alpha,
 * fit_intercept=True)} with sample weights (the surrogate LIME fits): minimises
 * Σ_i w_i (y_i − b − x_i·β)² + λ‖β‖². Solved in double precision by centring on the weighted means
 * and a Cholesky factorisation of XᵀWX + λI.
 *
 * @param coefficients β, one per column
 * @param intercept b
 * @param r2 the weighted coefficient of determination of the fit on its own data
 */
public record WeightedRidge(double[] coefficients, double intercept, double r2) {

    /** Fits rows x[i] (all of the same length) to y with weights w ≥ 0 and penalty λ ≥ 0. */
    public static WeightedRidge fit(double[][] x, double[] y, double[] w, double lambda) {
        int n = x.length;
        if (n == 0 || y.length != n || w.length != n) {
            throw new IllegalArgumentException("ridge: need as many targets and weights as rows, got " + n + " rows, "
                    + y.length + " targets, " + w.length + " weights");
        }
        int m = x[0].length;
        double sw = 0;
        double[] mx = new double[m];
        double my = 0;
        for (int i = 0; i < n; i++) {
            sw += w[i];
            my += w[i] * y[i];
            for (int j = 0; j < m; j++) {
                mx[j] += w[i] * x[i][j];
            }
        }
        if (!(sw > 0)) {
            throw new IllegalArgumentException("ridge: the sample weights sum to " + sw + "; at least one must be > 0");
        }
        my /= sw;
        for (int j = 0; j < m; j++) {
            mx[j] /= sw;
        }
        double[][] a = new double[m][m];
        double[] rhs = new double[m];
        double[] xc = new double[m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                xc[j] = x[i][j] - mx[j];
            }
            double yc = y[i] - my;
            for (int j = 0; j < m; j++) {
                double wx = w[i] * xc[j];
                rhs[j] += wx * yc;
                for (int k = 0; k <= j; k++) {
                    a[j][k] += wx * xc[k];
                }
            }
        }
        for (int j = 0; j < m; j++) {
            a[j][j] += lambda;
            for (int k = 0; k < j; k++) {
                a[k][j] = a[j][k];
            }
        }
        double[] beta = Cholesky.solve(a, rhs);
        double b = my;
        for (int j = 0; j < m; j++) {
            b -= mx[j] * beta[j];
        }
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < n; i++) {
            double pred = b;
            for (int j = 0; j < m; j++) {
                pred += x[i][j] * beta[j];
            }
            ssRes += w[i] * (y[i] - pred) * (y[i] - pred);
            ssTot += w[i] * (y[i] - my) * (y[i] - my);
        }
        double r2 = ssTot > 0 ? 1 - ssRes / ssTot : (ssRes == 0 ? 1 : 0);
        return new WeightedRidge(beta, b, r2);
    }

    /** Solves symmetric positive (semi-)definite systems. */
    static final class Cholesky {
        private Cholesky() {
        }

        /** Solves a·x = b for symmetric positive definite a (a tiny ridge is added if it is only semi-definite). */
        static double[] solve(double[][] a, double[] b) {
            int m = b.length;
            double[][] l = new double[m][m];
            double jitter = 0;
            for (int attempt = 0; attempt < 8; attempt++) {
                if (factor(a, l, jitter)) {
                    double[] z = new double[m];
                    for (int i = 0; i < m; i++) {
                        double s = b[i];
                        for (int k = 0; k < i; k++) {
                            s -= l[i][k] * z[k];
                        }
                        z[i] = s / l[i][i];
                    }
                    double[] x = new double[m];
                    for (int i = m - 1; i >= 0; i--) {
                        double s = z[i];
                        for (int k = i + 1; k < m; k++) {
                            s -= l[k][i] * x[k];
                        }
                        x[i] = s / l[i][i];
                    }
                    return x;
                }
                double scale = 0;
                for (int i = 0; i < m; i++) {
                    scale = Math.max(scale, Math.abs(a[i][i]));
                }
                jitter = jitter == 0 ? 1e-12 * Math.max(scale, 1) : jitter * 100;
            }
            throw new IllegalArgumentException("the least-squares system is singular (" + m + " unknowns)");
        }

        private static boolean factor(double[][] a, double[][] l, double jitter) {
            int m = a.length;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = a[i][j] + (i == j ? jitter : 0);
                    for (int k = 0; k < j; k++) {
                        s -= l[i][k] * l[j][k];
                    }
                    if (i == j) {
                        if (!(s > 0)) {
                            return false;
                        }
                        l[i][i] = Math.sqrt(s);
                    } else {
                        l[i][j] = s / l[j][j];
                    }
                }
            }
            return true;
        }
    }
}
