/**
 * Evaluating explanations (SPECS §H, issue 9): how faithful, robust, model-dependent and
 * well-localised an attribution map is.
 *
 * <ul>
 *   <li>{@link dev.netlens.explain.metrics.DeletionInsertion} — deletion and insertion curves and
 *       their AUC (Petsiuk, Das, Saenko, "RISE", BMVC 2018);</li>
 *   <li>{@link dev.netlens.explain.metrics.PixelFlipping} — region perturbation and AOPC (Samek et
 *       al., IEEE TNNLS 2017);</li>
 *   <li>{@link dev.netlens.explain.metrics.FaithfulnessCorrelation} (Bhatt, Weller, Moura, IJCAI
 *       2020);</li>
 *   <li>{@link dev.netlens.explain.metrics.Infidelity} and
 *       {@link dev.netlens.explain.metrics.MaxSensitivity} (Yeh et al., NeurIPS 2019; Captum's
 *       definitions);</li>
 *   <li>{@link dev.netlens.explain.metrics.SanityCheck} — cascading and independent parameter
 *       randomisation (Adebayo et al., NeurIPS 2018), compared by
 *       {@link dev.netlens.explain.metrics.Statistics#spearman Spearman} and
 *       {@link dev.netlens.explain.metrics.Ssim SSIM};</li>
 *   <li>{@link dev.netlens.explain.metrics.PointingGame} — pointing game (Zhang et al., ECCV 2016)
 *       and energy-based pointing game (Wang et al., Score-CAM, 2020) against
 *       {@link dev.netlens.explain.metrics.ObjectMask object masks}.</li>
 * </ul>
 *
 * Every metric takes one image, its map in any shape the attribution methods produce (input-shaped
 * maps are summed over channels, lower-resolution maps resized bilinearly: {@link
 * dev.netlens.explain.metrics.PixelMaps}) and the explained class; randomness comes from explicit
 * seeds. {@link dev.netlens.explain.metrics.Evaluation} runs many images × methods × metrics with
 * progress and {@link dev.netlens.explain.metrics.EvaluationReport} writes CSV, JSON, PNG charts and
 * an HTML page.
 */
package dev.netlens.explain.metrics;
