/**
 * Layer-wise relevance propagation, following zennit (SPECS.md §C): {@link dev.netlens.explain.lrp.Rules}
 * (ε, γ, α-β, z⁺, w², flat, z<sup>B</sup>, norm, pass) — small values built from the one mechanism
 * {@link dev.netlens.explain.lrp.BasicRule} (the gradient of a modified forward pass) —,
 * {@link dev.netlens.explain.lrp.LrpComposites} (lookups from nodes to rules: epsilon-plus-flat,
 * epsilon-plus, epsilon-gamma-box, epsilon-alpha2-beta1 and user composites),
 * {@link dev.netlens.explain.lrp.Canonizers} (graph rewrites returning a new graph: BatchNorm
 * folding, explicit residual sums) and the attribution method {@link dev.netlens.explain.lrp.Lrp}
 * ("lrp").
 *
 * <p>Bach et al. 2015 (PLoS ONE 10(7): e0130140); Montavon et al. 2019 (LNCS 11700, 193–209);
 * Montavon et al. 2017 (Pattern Recognition 65, 211–222) for the w² and z<sup>B</sup> rules.
 */
package dev.netlens.explain.lrp;
