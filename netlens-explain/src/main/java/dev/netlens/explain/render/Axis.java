package dev.netlens.explain.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Axis ticks at "nice" values (1, 2 or 5 × 10ᵏ apart) covering a data range, as plotting
 * libraries choose them; shared by {@link BarChart} and {@link LineChart}.
 */
final class Axis {
    final double min;
    final double max;
    final double step;

    private Axis(double min, double max, double step) {
        this.min = min;
        this.max = max;
        this.step = step;
    }

    /** An axis covering [lo, hi] with about {@code target} ticks; a degenerate range is widened. */
    static Axis covering(double lo, double hi, int target) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo <= 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
        double min = Math.floor(lo / step + 1e-9) * step;
        double max = Math.ceil(hi / step - 1e-9) * step;
        return new Axis(min, max, step);
    }

    /** Tick values from min to max. */
    List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        int n = (int) Math.round((max - min) / step);
        for (int i = 0; i <= n; i++) {
            double v = min + i * step;
            t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return t;
    }

    /** Pixel position of {@code v} when min maps to {@code p0} and max to {@code p1}. */
    double map(double v, double p0, double p1) {
        return p0 + (v - min) / (max - min) * (p1 - p0);
    }
}
