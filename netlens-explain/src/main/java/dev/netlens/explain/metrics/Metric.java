package dev.netlens.explain.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The metrics {@link Evaluation} runs, by the names {@code netlens evaluate --metrics} takes. */
public enum Metric {
    DELETION("deletion", false, false, "deletion AUC (Petsiuk et al. 2018)"),
    INSERTION("insertion", true, false, "insertion AUC (Petsiuk et al. 2018)"),
    AOPC("aopc", true, false, "pixel flipping, area over the MoRF curve (Samek et al. 2017)"),
    FAITHFULNESS("faithfulness-correlation", true, false, "faithfulness correlation (Bhatt et al. 2020)"),
    INFIDELITY("infidelity", false, false, "infidelity (Yeh et al. 2019, Captum)"),
    SENSITIVITY("max-sensitivity", false, false, "max-sensitivity (Yeh et al. 2019, Captum)"),
    POINTING("pointing-game", true, true, "pointing game hit rate (Zhang et al. 2016)"),
    ENERGY("energy-pointing-game", true, true, "energy-based pointing game (Wang et al. 2020)"),
    REGION("region-pointing-game", true, true, "the top-ranked region overlaps the object: the best segment for "
        + "segment methods (LIME, Kernel SHAP, Shapley sampling), else the maximum pixel"),
    SANITY("sanity", false, false,
        "cascading and independent parameter randomisation; Spearman and SSIM (Adebayo et al. 2018)");

    private final String id;
    private final boolean higherIsBetter;
    private final boolean needsMask;
    private final String description;

    Metric(String id, boolean higherIsBetter, boolean needsMask, String description) {
        this.id = id;
        this.higherIsBetter = higherIsBetter;
        this.needsMask = needsMask;
        this.description = description;
    }

    public String id() {
        return id;
    }

    /** Whether a larger value means a better explanation (for sanity: lower similarity is better). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether the metric needs object masks. */
    public boolean needsMask() {
        return needsMask;
    }

    public String description() {
        return description;
    }

    /** Parses a name ({@code pixel-flipping} is accepted for aopc, {@code all} for every metric). */
    public static List<Metric> parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("all")) {
            return List.of(values());
        }
        if (n.equals("pixel-flipping")) {
            return List.of(AOPC);
        }
        List<String> known = new ArrayList<>();
        for (Metric m : values()) {
            if (m.id.equals(n)) {
                return List.of(m);
            }
            known.add(m.id);
        }
        throw new IllegalArgumentException("unknown metric '" + name + "'; metrics: " + String.join(", ", known)
                + ", pixel-flipping (= aopc), all");
    }

    @Override
    public String toString() {
        return id;
    }
}
