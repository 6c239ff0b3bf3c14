/**
 * Attribution methods ("which pixels made the model say this?"): the gradient family, class
 * activation maps, rule-based backward passes (LRP, DeepLIFT) and perturbation methods, with
 * their common types — {@link dev.netlens.explain.ExplainedModel}, {@link dev.netlens.explain.Target},
 * {@link dev.netlens.explain.Attribution}, {@link dev.netlens.explain.Explanation} — and the registry
 * of methods by name. Specifications: SPECS.md §A–D (Captum/zennit conventions).
 */
package dev.netlens.explain;
