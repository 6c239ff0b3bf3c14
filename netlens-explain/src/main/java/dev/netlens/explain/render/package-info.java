/**
 * Attribution maps as PNG pictures: {@link dev.netlens.explain.render.Heatmap} (a map over the image
 * the model saw, with a colour bar), {@link dev.netlens.explain.render.GridRenderer} (several methods
 * side by side) and {@link dev.netlens.explain.render.Colormap} (perceptually uniform sequential and
 * diverging colormaps computed in OKLab), and charts for model-agnostic and tabular explanations:
 * {@link dev.netlens.explain.render.BarChart} (signed horizontal bars: importances, LIME weights,
 * SHAP values) and {@link dev.netlens.explain.render.LineChart} (named curves, and thin transparent
 * many-line series for ICE). Everything is Java2D, antialiased, written as PNG. Non-negative maps use a sequential colormap, signed maps a
 * diverging one centred at 0 (DESIGN §4).
 */
package dev.netlens.explain.render;
