package dev.netlens.explain.shapley;

/**
 * Small dense least-squares solvers (normal equations with a Cholesky-type solve and partial
 * pivoting fallback), used by Kernel SHAP and LIME; problem sizes are tens of unknowns.
 */
public final class LeastSquares {
    private LeastSquares() {
    }

    /** A fitted linear model: coefficients, intercept and the weighted R² on the fitting data. */
    public record Fit(double[] coefficients, double intercept, double r2) {
    }

    /**
     * Weighted ridge regression with an unpenalised intercept (scikit-learn's
     * {@code Ridge(alpha=λ, fit_intercept=True).fit(X, y, sample_weight=w)}): minimises
     * Σ w_i (y_i − b − x_iβ)² + λ‖β‖². R² is {@code 1 − Σw(y−ŷ)² / Σw(y−ȳ_w)²}, scikit-learn's
     * weighted {@code score}.
     */
    public static Fit weightedRidge(double[][] x, double[] y, double[] w, double lambda) {
        int n = x.length;
        int p = n == 0 ? 0 : x[0].length;
        double sw = 0;
        double[] mx = new double[p];
        double my = 0;
        for (int i = 0; i < n; i++) {
            sw += w[i];
            my += w[i] * y[i];
            for (int j = 0; j < p; j++) {
                mx[j] += w[i] * x[i][j];
            }
        }
        if (!(sw > 0)) {
            throw new IllegalArgumentException("weighted ridge: the sample weights sum to " + sw + "; need a positive sum");
        }
        my /= sw;
        for (int j = 0; j < p; j++) {
            mx[j] /= sw;
        }
        double[][] a = new double[p][p];
        double[] b = new double[p];
        for (int i = 0; i < n; i++) {
            double yi = y[i] - my;
            for (int j = 0; j < p; j++) {
                double xj = (x[i][j] - mx[j]) * w[i];
                b[j] += xj * yi;
                for (int k = 0; k <= j; k++) {
                    a[j][k] += xj * (x[i][k] - mx[k]);
                }
            }
        }
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < j; k++) {
                a[k][j] = a[j][k];
            }
            a[j][j] += lambda;
        }
        double[] beta = solve(a, b);
        double intercept = my;
        for (int j = 0; j < p; j++) {
            intercept -= mx[j] * beta[j];
        }
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < n; i++) {
            double pred = intercept;
            for (int j = 0; j < p; j++) {
                pred += x[i][j] * beta[j];
            }
            ssRes += w[i] * (y[i] - pred) * (y[i] - pred);
            ssTot += w[i] * (y[i] - my) * (y[i] - my);
        }
        double r2 = ssTot > 0 ? 1 - ssRes / ssTot : (ssRes == 0 ? 1 : 0);
        return new Fit(beta, intercept, r2);
    }

    /**
     * Weighted least squares without intercept: argmin Σ w_i (y_i − x_iβ)². A tiny ridge
     * (1e-10 × the mean diagonal) keeps rank-deficient designs solvable.
     */
    public static double[] weighted(double[][] x, double[] y, double[] w) {
        int p = x.length == 0 ? 0 : x[0].length;
        double[][] a = new double[p][p];
        double[] b = new double[p];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < p; j++) {
                double xj = x[i][j] * w[i];
                if (xj == 0) {
                    continue;
                }
                b[j] += xj * y[i];
                for (int k = 0; k < p; k++) {
                    a[j][k] += xj * x[i][k];
                }
            }
        }
        double trace = 0;
        for (int j = 0; j < p; j++) {
            trace += a[j][j];
        }
        double eps = 1e-10 * (p == 0 ? 0 : trace / p);
        for (int j = 0; j < p; j++) {
            a[j][j] += eps;
        }
        return solve(a, b);
    }

    /** Solves A x = b by Gaussian elimination with partial pivoting (A is copied). */
    public static double[] solve(double[][] matrix, double[] rhs) {
        int n = rhs.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        double[] b = rhs.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            if (Math.abs(a[piv][c]) < 1e-300) {
                throw new IllegalArgumentException("least squares: singular system (column " + c
                        + " has no independent information); add samples or regularisation");
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            double tb = b[c];
            b[c] = b[piv];
            b[piv] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                if (f == 0) {
                    continue;
                }
                for (int k = c; k < n; k++) {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}
