/**
 * Perturbation methods (SPECS §D): explanations from forward passes only, so they work on any
 * {@code x → scores} model. {@link dev.netlens.explain.perturbation.Occlusion} (Zeiler &amp; Fergus,
 * "Visualizing and Understanding Convolutional Networks", ECCV 2014; Captum's {@code Occlusion}
 * semantics), {@link dev.netlens.explain.perturbation.FeatureAblation} (Captum's
 * {@code FeatureAblation}: groups of elements given by a feature mask, replaced by the baseline
 * together) and {@link dev.netlens.explain.perturbation.Rise} (Petsiuk, Das, Saenko, "RISE:
 * Randomized Input Sampling for Explanation of Black-box Models", BMVC 2018). Every map has the
 * input's shape [N, C, H, W]. The perturbed inputs of one item are evaluated in forward batches of
 * {@code internalBatch} (default 32); results do not depend on that batch size. Registry names:
 * occlusion, feature-ablation, rise.
 */
package dev.netlens.explain.perturbation;
