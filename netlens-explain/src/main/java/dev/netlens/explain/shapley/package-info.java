/**
 * Shapley values of cooperative games, independent of what the players are (tabular features,
 * image superpixels, tokens): a {@link dev.netlens.explain.shapley.CoalitionGame} maps coalitions
 * to values; {@link dev.netlens.explain.shapley.KernelShapSolver} estimates Shapley values by
 * Kernel SHAP (Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS
 * 2017: Shapley-kernel weighted least squares with the efficiency constraint), exactly when every
 * coalition can be enumerated; {@link dev.netlens.explain.shapley.ExactShapley} computes the
 * classic definition (Shapley 1953) by enumerating all 2^M coalitions, the reference used by tests.
 * {@link dev.netlens.explain.shapley.LeastSquares} holds the small dense weighted least squares and
 * ridge solvers shared with LIME.
 */
package dev.netlens.explain.shapley;
