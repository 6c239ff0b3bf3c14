/**
 * DeepLIFT with the rescale rule ({@link dev.netlens.explain.deeplift.DeepLift}, "deeplift") and
 * its average over a baseline set ({@link dev.netlens.explain.deeplift.DeepLiftShap},
 * "deeplift-shap"), as backward rules over one forward pass of inputs and references together
 * ({@link dev.netlens.explain.deeplift.DeepLiftRules}). Shrikumar, Greenside, Kundaje, "Learning
 * Important Features Through Propagating Activation Differences", ICML 2017; SPECS.md §C.
 */
package dev.netlens.explain.deeplift;
