package dev.netlens.explain.render;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A line chart of named series of (x, y) points with axis labels, ticks at round values, a legend
 * and a title: partial dependence curves, and — in the thin, transparent "many lines" mode — the
 * individual conditional expectation (ICE) curves of Goldstein et al. 2015 drawn under them. A
 * categorical x axis is supported by giving one tick label per x = 0, 1, 2, …
 *
 * <pre>{@code
 * LineChart.builder("Partial dependence of P(approved) on income")
 *         .xLabel("income").yLabel("P(approved)")
 *         .lines("ICE (200 rows)", grid, iceCurves)        // thin, transparent
 *         .series("PDP", grid, pdp)                        // thick, on top
 *         .build().write(Path.of("pdp.png"));
 * }</pre>
 */
public final class LineChart {
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color GRID = new Color(0xE2, 0xE2, 0xE2);
    /** Colour-blind-safe palette (Okabe–Ito), used in order for series without a colour. */
    private static final Color[] PALETTE = {
        new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73),
        new Color(0xCC, 0x79, 0xA7), new Color(0xE6, 0x9F, 0x00), new Color(0x56, 0xB4, 0xE9),
        new Color(0x00, 0x00, 0x00)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;
    private final List<String> xTickLabels;
    private final int width;
    private final int height;

    /**
     * One named set of lines: a single curve (ys has one row) or many thin, transparent curves over
     * the same xs (ICE), shown once in the legend.
     */
    public record Series(String name, double[] xs, double[][] ys, Color color, boolean thin) {
        public Series {
            Objects.requireNonNull(name, "name");
            for (double[] y : ys) {
                if (y.length != xs.length) {
                    throw new IllegalArgumentException("series '" + name + "': " + xs.length + " x values but a curve has "
                            + y.length + " y values");
                }
            }
        }
    }

    private LineChart(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.series = List.copyOf(b.series);
        this.xTickLabels = b.xTickLabels == null ? null : List.copyOf(b.xTickLabels);
        this.width = b.width;
        this.height = b.height;
    }

    /** A new chart with a title (may be empty). */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** The series in drawing order. */
    public List<Series> series() {
        return series;
    }

    /** Renders the chart on a white canvas. */
    public BufferedImage render() {
        Font titleFont = Text.font(18, true);
        Font labelFont = Text.font(14, false);
        Font smallFont = Text.font(12, false);
        double xlo = Double.POSITIVE_INFINITY;
        double xhi = Double.NEGATIVE_INFINITY;
        double ylo = Double.POSITIVE_INFINITY;
        double yhi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double x : s.xs()) {
                if (Double.isFinite(x)) {
                    xlo = Math.min(xlo, x);
                    xhi = Math.max(xhi, x);
                }
            }
            for (double[] ys : s.ys()) {
                for (double y : ys) {
                    if (Double.isFinite(y)) {
                        ylo = Math.min(ylo, y);
                        yhi = Math.max(yhi, y);
                    }
                }
            }
        }
        Axis xa = xTickLabels != null ? null : Axis.covering(xlo, xhi, 6);
        Axis ya = Axis.covering(ylo, yhi, 5);
        int legendW = 0;
        for (Series s : series) {
            legendW = Math.max(legendW, 34 + Text.width(smallFont, s.name()));
        }
        legendW = Math.min(legendW, width / 3);
        int yTickW = 0;
        for (double t : ya.ticks()) {
            yTickW = Math.max(yTickW, Text.width(smallFont, Text.number(t)));
        }
        int left = 16 + (yLabel.isEmpty() ? 0 : Text.height(labelFont) + 8) + yTickW + 8;
        int right = width - 20 - legendW - 16;
        int top = title.isEmpty() ? 20 : 24 + Text.height(titleFont) + 10;
        int bottom = height - (28 + (xLabel.isEmpty() ? 0 : Text.height(labelFont) + 8));
        BufferedImage img = Text.canvas(width, height);
        Graphics2D g = Text.graphics(img);
        if (!title.isEmpty()) {
            Text.drawFitted(g, titleFont, TEXT, title, width / 2, 20 + Text.height(titleFont) / 2, 1, width - 20);
        }
        g.setStroke(new BasicStroke(1f));
        for (double t : ya.ticks()) {
            int y = (int) Math.round(ya.map(t, bottom, top));
            g.setColor(GRID);
            g.drawLine(left, y, right, y);
            g.setColor(TEXT);
            g.drawLine(left - 4, y, left, y);
            Text.draw(g, smallFont, TEXT, Text.number(t), left - 7, y, 2);
        }
        double cxlo;
        double cxhi;
        if (xa == null) {
            cxlo = -0.5;
            cxhi = xTickLabels.size() - 0.5;
            int slot = (right - left) / Math.max(1, xTickLabels.size());
            for (int i = 0; i < xTickLabels.size(); i++) {
                int x = (int) Math.round(left + (i - cxlo) / (cxhi - cxlo) * (right - left));
                g.setColor(TEXT);
                g.drawLine(x, bottom, x, bottom + 4);
                Text.drawFitted(g, smallFont, TEXT, xTickLabels.get(i), x, bottom + 14, 1, Math.max(20, slot - 4));
            }
        } else {
            cxlo = xa.min;
            cxhi = xa.max;
            for (double t : xa.ticks()) {
                int x = (int) Math.round(xa.map(t, left, right));
                g.setColor(GRID);
                g.drawLine(x, top, x, bottom);
                g.setColor(TEXT);
                g.drawLine(x, bottom, x, bottom + 4);
                Text.draw(g, smallFont, TEXT, Text.number(t), x, bottom + 14, 1);
            }
        }
        g.setColor(TEXT);
        g.drawRect(left, top, right - left, bottom - top);
        if (!xLabel.isEmpty()) {
            Text.drawFitted(g, labelFont, TEXT, xLabel, (left + right) / 2, height - 12 - Text.height(labelFont) / 2, 1,
                    right - left);
        }
        if (!yLabel.isEmpty()) {
            Graphics2D r = (Graphics2D) g.create();
            int cx = 14 + Text.height(labelFont) / 2;
            int cy = (top + bottom) / 2;
            r.rotate(-Math.PI / 2, cx, cy);
            Text.drawFitted(r, labelFont, TEXT, yLabel, cx, cy, 1, bottom - top);
            r.dispose();
        }
        Graphics2D clip = (Graphics2D) g.create();
        clip.clipRect(left, top, right - left + 1, bottom - top + 1);
        int colorIndex = 0;
        Color[] colors = new Color[series.size()];
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            colors[i] = s.color() != null ? s.color() : PALETTE[colorIndex++ % PALETTE.length];
            Composite old = clip.getComposite();
            float alpha = s.thin() ? (float) Math.max(0.12, Math.min(0.6, 10.0 / Math.max(1, s.ys().length))) : 1f;
            clip.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, alpha));
            clip.setColor(colors[i]);
            clip.setStroke(new BasicStroke(s.thin() ? 1f : 2.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (double[] ys : s.ys()) {
                Path2D.Double path = new Path2D.Double();
                boolean pen = false;
                for (int k = 0; k < ys.length; k++) {
                    if (!Double.isFinite(ys[k]) || !Double.isFinite(s.xs()[k])) {
                        pen = false;
                        continue;
                    }
                    double px = left + (s.xs()[k] - cxlo) / (cxhi - cxlo) * (right - left);
                    double py = ya.map(ys[k], bottom, top);
                    if (pen) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                        pen = true;
                    }
                    if (!s.thin() && ys.length <= 30) {
                        clip.fill(new java.awt.geom.Ellipse2D.Double(px - 3, py - 3, 6, 6));
                    }
                }
                clip.draw(path);
            }
            clip.setComposite(old);
        }
        clip.dispose();
        int ly = top + 10;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int lx = right + 16;
            g.setColor(colors[i]);
            g.setStroke(new BasicStroke(s.thin() ? 1.5f : 2.6f));
            g.drawLine(lx, ly, lx + 24, ly);
            Text.drawFitted(g, smallFont, TEXT, s.name(), lx + 30, ly, 0, legendW - 34);
            ly += 22;
        }
        g.dispose();
        return img;
    }

    /** Renders and writes the chart as PNG. */
    public void write(Path png) {
        Heatmap.write(png, render());
    }

    /** Collects series and options; {@link #build()} validates. */
    public static final class Builder {
        private final String title;
        private String xLabel = "";
        private String yLabel = "";
        private final List<Series> series = new ArrayList<>();
        private List<String> xTickLabels;
        private int width = 820;
        private int height = 520;

        private Builder(String title) {
            this.title = title == null ? "" : title;
        }

        /** Label of the horizontal axis. */
        public Builder xLabel(String label) {
            this.xLabel = label == null ? "" : label;
            return this;
        }

        /** Label of the vertical axis (drawn rotated). */
        public Builder yLabel(String label) {
            this.yLabel = label == null ? "" : label;
            return this;
        }

        /** A curve drawn thick, with point markers when it has at most 30 points; colour from the palette. */
        public Builder series(String name, double[] xs, double[] ys) {
            return series(name, xs, ys, null);
        }

        /** A curve in a given colour. */
        public Builder series(String name, double[] xs, double[] ys, Color color) {
            series.add(new Series(name, xs.clone(), new double[][] {ys.clone()}, color, false));
            return this;
        }

        /**
         * Many curves over the same x values drawn thin and transparent (the more curves, the more
         * transparent), with one legend entry: ICE curves, bootstrap replicates.
         */
        public Builder lines(String name, double[] xs, double[][] curves, Color color) {
            double[][] copy = new double[curves.length][];
            for (int i = 0; i < curves.length; i++) {
                copy[i] = curves[i].clone();
            }
            series.add(new Series(name, xs.clone(), copy, color == null ? new Color(0x77, 0x77, 0x77) : color, true));
            return this;
        }

        /** Many thin grey curves (see {@link #lines(String, double[], double[][], Color)}). */
        public Builder lines(String name, double[] xs, double[][] curves) {
            return lines(name, xs, curves, null);
        }

        /**
         * A categorical x axis: series use x = 0, 1, …, labels.size() − 1 and the ticks show these
         * labels instead of numbers.
         */
        public Builder xCategories(List<String> labels) {
            this.xTickLabels = List.copyOf(labels);
            return this;
        }

        /** Image size in pixels (default 820 × 520). */
        public Builder size(int width, int height) {
            if (width < 300 || height < 200) {
                throw new IllegalArgumentException("line chart must be at least 300 × 200 pixels, got " + width + " × " + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        public LineChart build() {
            if (series.isEmpty()) {
                throw new IllegalArgumentException("a line chart needs at least one series");
            }
            if (xTickLabels != null && xTickLabels.isEmpty()) {
                throw new IllegalArgumentException("xCategories needs at least one label");
            }
            return new LineChart(this);
        }
    }
}
