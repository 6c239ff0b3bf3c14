/**
 * Attribution maps as PNG pictures: {@link dev.netlens.explain.render.Heatmap} (a map over the image
 * the model saw, with a colour bar), {@link dev.netlens.explain.render.GridRenderer} (several methods
 * side by side) and {@link dev.netlens.explain.render.Colormap} (perceptually uniform sequential and
 * diverging colormaps computed in OKLab). Non-negative maps use a sequential colormap, signed maps a
 * diverging one centred at 0 (DESIGN §4).
 */
package dev.netlens.explain.render;
