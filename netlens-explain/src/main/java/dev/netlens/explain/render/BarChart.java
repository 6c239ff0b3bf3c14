package dev.netlens.explain.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A horizontal bar chart of signed values with one label per bar: feature importances, LIME
 * weights, SHAP values. Positive bars are red and negative bars blue (the ends of
 * {@link Colormap#BLUE_WHITE_RED}, so a bar reads like a heatmap pixel of the same sign); each
 * bar carries its value, optionally ± an error (drawn as a whisker), and the axis has ticks at
 * round values with a line at 0.
 *
 * <pre>{@code
 * BarChart.builder("Kernel SHAP, row 3, class 1")
 *         .axisLabel("contribution to P(class 1)")
 *         .bar("income", 0.21).bar("age", -0.05)
 *         .build().write(Path.of("shap.png"));
 * }</pre>
 */
public final class BarChart {
    private static final Color POSITIVE = new Color(0xC9, 0x4A, 0x3C);
    private static final Color NEGATIVE = new Color(0x3A, 0x7B, 0xB8);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);

    private final String title;
    private final String axisLabel;
    private final List<Bar> bars;
    private final int width;

    /** One bar: label, value and error (0 = no whisker). */
    public record Bar(String label, double value, double error) {
        public Bar {
            Objects.requireNonNull(label, "label");
            if (!(error >= 0)) {
                throw new IllegalArgumentException("bar '" + label + "': error must be ≥ 0, got " + error);
            }
        }
    }

    private BarChart(Builder b) {
        this.title = b.title;
        this.axisLabel = b.axisLabel;
        this.bars = List.copyOf(b.bars);
        this.width = b.width;
    }

    /** A new chart with a title (may be empty). */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** The bars in drawing order (top to bottom). */
    public List<Bar> bars() {
        return bars;
    }

    /** Renders the chart on a white canvas. */
    public BufferedImage render() {
        Font titleFont = Text.font(18, true);
        Font labelFont = Text.font(14, false);
        Font smallFont = Text.font(12, false);
        int rowH = 28;
        int labelW = 0;
        for (Bar b : bars) {
            labelW = Math.max(labelW, Text.width(labelFont, b.label()));
        }
        labelW = Math.min(labelW, width / 3);
        int left = 20 + labelW + 12;
        int right = 70;
        int top = title.isEmpty() ? 20 : 20 + Text.height(titleFont) + 14;
        int plotH = Math.max(1, bars.size()) * rowH;
        int bottom = 34 + (axisLabel.isEmpty() ? 0 : Text.height(smallFont) + 6);
        int height = top + plotH + bottom;
        BufferedImage img = Text.canvas(width, height);
        Graphics2D g = Text.graphics(img);
        if (!title.isEmpty()) {
            Text.drawFitted(g, titleFont, TEXT, title, width / 2, 20 + Text.height(titleFont) / 2, 1, width - 20);
        }
        double lo = 0;
        double hi = 0;
        for (Bar b : bars) {
            if (Double.isFinite(b.value())) {
                lo = Math.min(lo, b.value() - b.error());
                hi = Math.max(hi, b.value() + b.error());
            }
        }
        Axis axis = Axis.covering(lo, hi, 5);
        int x0 = left;
        int x1 = width - right;
        int yAxis = top + plotH + 4;
        g.setStroke(new BasicStroke(1f));
        for (double t : axis.ticks()) {
            int x = (int) Math.round(axis.map(t, x0, x1));
            g.setColor(GRID);
            g.drawLine(x, top - 4, x, yAxis);
            g.setColor(TEXT);
            g.drawLine(x, yAxis, x, yAxis + 4);
            Text.draw(g, smallFont, TEXT, Text.number(t), x, yAxis + 14, 1);
        }
        g.setColor(TEXT);
        g.drawLine(x0, yAxis, x1, yAxis);
        if (!axisLabel.isEmpty()) {
            Text.drawFitted(g, smallFont, TEXT, axisLabel, (x0 + x1) / 2, yAxis + 22 + Text.height(smallFont) / 2, 1,
                    x1 - x0);
        }
        int zero = (int) Math.round(axis.map(0, x0, x1));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int yc = top + i * rowH + rowH / 2;
            Text.drawFitted(g, labelFont, TEXT, b.label(), left - 10, yc, 2, labelW);
            if (!Double.isFinite(b.value())) {
                Text.draw(g, smallFont, TEXT, Text.number(b.value()), zero + 4, yc, 0);
                continue;
            }
            int xv = (int) Math.round(axis.map(b.value(), x0, x1));
            int barH = rowH - 10;
            g.setColor(b.value() >= 0 ? POSITIVE : NEGATIVE);
            g.fillRect(Math.min(zero, xv), yc - barH / 2, Math.max(1, Math.abs(xv - zero)), barH);
            int textX = xv;
            if (b.error() > 0) {
                int e0 = (int) Math.round(axis.map(b.value() - b.error(), x0, x1));
                int e1 = (int) Math.round(axis.map(b.value() + b.error(), x0, x1));
                g.setColor(TEXT);
                g.drawLine(e0, yc, e1, yc);
                g.drawLine(e0, yc - 4, e0, yc + 4);
                g.drawLine(e1, yc - 4, e1, yc + 4);
                textX = b.value() >= 0 ? e1 : e0;
            }
            String v = Text.number(b.value()) + (b.error() > 0 ? " ± " + Text.number(b.error()) : "");
            if (b.value() >= 0) {
                Text.draw(g, smallFont, TEXT, v, textX + 5, yc, 0);
            } else {
                Text.draw(g, smallFont, TEXT, v, textX - 5, yc, 2);
            }
        }
        g.setColor(TEXT);
        g.drawLine(zero, top - 4, zero, yAxis);
        g.dispose();
        return img;
    }

    /** Renders and writes the chart as PNG. */
    public void write(Path png) {
        Heatmap.write(png, render());
    }

    /** Collects bars and options; {@link #build()} validates. */
    public static final class Builder {
        private final String title;
        private String axisLabel = "";
        private final List<Bar> bars = new ArrayList<>();
        private int width = 760;

        private Builder(String title) {
            this.title = title == null ? "" : title;
        }

        /** Text under the value axis (default none). */
        public Builder axisLabel(String label) {
            this.axisLabel = label == null ? "" : label;
            return this;
        }

        /** Adds a bar below the previous ones. */
        public Builder bar(String label, double value) {
            return bar(label, value, 0);
        }

        /** Adds a bar with a ± error whisker (e.g. one standard deviation). */
        public Builder bar(String label, double value, double error) {
            bars.add(new Bar(label, value, error));
            return this;
        }

        /** Image width in pixels (default 760, at least 300); the height follows from the number of bars. */
        public Builder width(int width) {
            if (width < 300) {
                throw new IllegalArgumentException("bar chart width must be ≥ 300 pixels, got " + width);
            }
            this.width = width;
            return this;
        }

        /** Orders the bars by decreasing |value| (largest on top). */
        public Builder sortByMagnitude() {
            bars.sort((a, b) -> Double.compare(Math.abs(b.value()), Math.abs(a.value())));
            return this;
        }

        public BarChart build() {
            if (bars.isEmpty()) {
                throw new IllegalArgumentException("a bar chart needs at least one bar");
            }
            return new BarChart(this);
        }
    }
}
