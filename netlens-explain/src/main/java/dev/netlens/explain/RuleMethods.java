package dev.netlens.explain;

import dev.netlens.explain.deeplift.DeepLift;
import dev.netlens.explain.deeplift.DeepLiftShap;
import dev.netlens.explain.lrp.Lrp;

/**
 * Registers the rule-based backward-pass methods (SPECS.md §C): "lrp" (default composite
 * epsilon-plus-flat, {@code --composite} chooses another), "deeplift" (rescale rule, zero
 * reference unless {@code --baseline}) and "deeplift-shap" (DeepLIFT averaged over the baseline
 * set given with {@code --baseline}). Registering twice is harmless.
 */
public final class RuleMethods {
    private static boolean registered;

    private RuleMethods() {
    }

    /** Adds the three methods to {@link AttributionMethods} (once). */
    public static synchronized void registerAll() {
        if (registered) {
            return;
        }
        registered = true;
        AttributionMethods.register(Lrp.NAME, "layer-wise relevance propagation (zennit rules; --composite "
                + "epsilon-plus-flat|epsilon-plus|epsilon-gamma-box|epsilon-alpha2-beta1|selector=rule,…)", false,
                Lrp::fromOptions);
        AttributionMethods.register(DeepLift.NAME, "DeepLIFT, rescale rule, (x − baseline) ⊙ multipliers "
                + "(--baseline, default zeros)", false, DeepLift::fromOptions);
        AttributionMethods.register(DeepLiftShap.NAME, "DeepLIFT averaged over a baseline set (--baseline B.npy "
                + "with a batch of baselines)", false, DeepLiftShap::fromOptions);
    }
}
