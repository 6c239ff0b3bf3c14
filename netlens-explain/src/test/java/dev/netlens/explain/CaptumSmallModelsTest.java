package dev.netlens.explain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Always-on agreement with Captum 0.6 and zennit on three small committed models - tiny ResNet-,
 * VGG- and MobileNetV2-like CNNs at 3×32×32 with random weights (BatchNorm folded, ReLU/ReLU6,
 * residual additions, max/average/global pooling, depthwise convolutions, linear layers) - on a
 * downsampled photo, for the predicted class. Files and the script that made them:
 * {@code src/test/resources/goldens/attribution-small} and
 * {@code src/test/resources/goldens/make_attribution_goldens.py --set small}; what each case is
 * (Captum/zennit configuration, options) is in its manifest.tsv and manifest.json.
 *
 * <p>Acceptance per case: cosine similarity ≥ 0.999 and relative L2 error ≤ 1e-2 against the full
 * reference map. Cases marked "report" in the manifest (alternative conventions) are printed but do
 * not fail. All failures are collected into one message; a table of every case is printed.
 */
class CaptumSmallModelsTest {
    static final String DIR = "/goldens/attribution-small/models.tsv";

    static Path dir() throws URISyntaxException {
        URL u = CaptumSmallModelsTest.class.getResource(DIR);
        if (u == null) {
            throw new IllegalStateException("test resource " + DIR + " is missing (generate it with "
                    + "make_attribution_goldens.py --set small)");
        }
        return Path.of(u.toURI()).getParent();
    }

    /** The imported models, their CAM layers and plain gradients agree with PyTorch. */
    @Test
    void modelsLayersAndGradientsMatchPyTorch() throws Exception {
        AttributionGoldens.Report r = AttributionGoldens.plumbing(dir(), "small models vs PyTorch (extra = forward max rel err)");
        System.out.println(r.table("fwd err"));
        assertTrue(r.failures().isEmpty(), r.failureMessage());
    }

    /** Every registered method agrees with its Captum/zennit reference on the full maps. */
    @Test
    void methodsAgreeWithCaptumAndZennit() throws Exception {
        AttributionGoldens.Report r = AttributionGoldens.full(dir(), "small models: netlens vs Captum/zennit, full maps "
                + "(extra = L2 norm ratio)");
        System.out.println(r.table("norm ratio"));
        assertTrue(r.failures().isEmpty(), r.failureMessage());
    }

    /** The compact-summary check (what the torchvision summary uses) on the small models. */
    @Test
    void compactSummaryAgrees() throws Exception {
        Path d = dir();
        try (InputStream in = CaptumSmallModelsTest.class.getResourceAsStream("/goldens/attribution-small/summary.tsv")) {
            AttributionGoldens.Report r = AttributionGoldens.compact(d, AttributionGoldens.readTsv(in, "summary.tsv"),
                    "small models: netlens vs compact summary (extra = max of L2-norm and sum errors)");
            System.out.println(r.table("norm/sum"));
            assertTrue(r.failures().isEmpty(), r.failureMessage());
        }
    }
}
