package dev.netlens.data.concepts;

/**
 * A filled region in an object's local frame (the object spans about [-1, 1]², y pointing down).
 * Membership is tested at pixel centres, so rasterisation is exact and deterministic.
 */
interface Region {
    boolean contains(double u, double v);

    /** An axis-aligned rectangle. */
    static Region rect(double u0, double v0, double u1, double v1) {
        return (u, v) -> u >= u0 && u <= u1 && v >= v0 && v <= v1;
    }

    /** An ellipse with centre (cu, cv), radii ru, rv, rotated by {@code degrees}. */
    static Region ellipse(double cu, double cv, double ru, double rv, double degrees) {
        double a = Math.toRadians(degrees);
        double c = StrictMath.cos(a);
        double s = StrictMath.sin(a);
        return (u, v) -> {
            double du = u - cu;
            double dv = v - cv;
            double x = (c * du + s * dv) / ru;
            double y = (-s * du + c * dv) / rv;
            return x * x + y * y <= 1;
        };
    }

    /** A circle. */
    static Region circle(double cu, double cv, double r) {
        return ellipse(cu, cv, r, r, 0);
    }

    /** A ring between radii r0 < r1. */
    static Region annulus(double cu, double cv, double r0, double r1) {
        return (u, v) -> {
            double d = (u - cu) * (u - cu) + (v - cv) * (v - cv);
            return d >= r0 * r0 && d <= r1 * r1;
        };
    }

    /** A simple polygon given as u0, v0, u1, v1, … (even-odd rule). */
    static Region polygon(double... uv) {
        int n = uv.length / 2;
        double[] us = new double[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            us[i] = uv[2 * i];
            vs[i] = uv[2 * i + 1];
        }
        return (u, v) -> {
            boolean inside = false;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                if ((vs[i] > v) != (vs[j] > v)
                        && u < (us[j] - us[i]) * (v - vs[i]) / (vs[j] - vs[i]) + us[i]) {
                    inside = !inside;
                }
            }
            return inside;
        };
    }

    /** A regular star with {@code points} points, outer radius r1, inner radius r0, first point up. */
    static Region star(int points, double r0, double r1) {
        double[] uv = new double[4 * points];
        for (int k = 0; k < 2 * points; k++) {
            double a = Math.PI * k / points - Math.PI / 2;
            double r = k % 2 == 0 ? r1 : r0;
            uv[2 * k] = r * StrictMath.cos(a);
            uv[2 * k + 1] = r * StrictMath.sin(a);
        }
        return polygon(uv);
    }

    /** The union of several regions. */
    static Region union(Region... regions) {
        return (u, v) -> {
            for (Region r : regions) {
                if (r.contains(u, v)) {
                    return true;
                }
            }
            return false;
        };
    }
}
