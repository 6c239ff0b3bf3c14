/**
 * The gradient family of attribution methods (SPECS §A): {@link dev.netlens.explain.gradient.InputGradient}
 * ({@code gradient}), {@link dev.netlens.explain.gradient.Saliency}, {@link dev.netlens.explain.gradient.InputXGradient},
 * {@link dev.netlens.explain.gradient.IntegratedGradients} with {@link dev.netlens.explain.gradient.Quadrature},
 * {@link dev.netlens.explain.gradient.NoiseTunnel} (SmoothGrad, SmoothGrad², VarGrad around any method),
 * {@link dev.netlens.explain.gradient.GradientShap}, {@link dev.netlens.explain.gradient.GuidedBackprop} and
 * {@link dev.netlens.explain.gradient.Deconvnet} (one {@link dev.netlens.explain.gradient.ReluFamilyRule}
 * passed to the backward pass as a composite), and the layer variants
 * {@link dev.netlens.explain.gradient.LayerGradientXActivation} and
 * {@link dev.netlens.explain.gradient.LayerIntegratedGradients}. Every method also explains a single unit
 * through {@link dev.netlens.explain.NeuronTarget}. Registry names: {@link dev.netlens.explain.GradientMethods}.
 */
package dev.netlens.explain.gradient;
