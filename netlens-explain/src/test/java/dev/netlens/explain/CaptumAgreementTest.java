package dev.netlens.explain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Agreement with Captum 0.6 and zennit on torchvision resnet18, vgg11_bn and mobilenet_v2 (random
 * weights, BatchNorm folded, 224×224 photo input, predicted class). The ONNX files (~590 MB) and
 * the reference maps (~29 MB) are generated on demand:
 *
 * <pre>
 * PYTHONPATH=/work/ext/captum:/work/ext/zennit/src /usr/bin/python3 \
 *     netlens-explain/src/test/resources/goldens/make_attribution_goldens.py --set torchvision \
 *     --models-dir DIR --goldens-dir DIR                    # ~5 min on 2 cores
 * mvn test -pl netlens-explain -am -Dtest=CaptumAgreementTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dnetlens.goldens.dir=DIR
 * </pre>
 *
 * {@link #methodsAgreeOnFullMaps} compares every case of DIR/manifest.tsv on the full maps (cosine
 * ≥ 0.999, relative L2 error ≤ 1e-2). {@link #methodsAgreeWithCommittedSummary} needs only the
 * models and inputs ({@code --models-only}, ~30 s) and compares against the committed compact
 * summary {@code goldens/attribution-torchvision-summary.tsv} (values at 200 fixed positions per map,
 * whole CAM maps, the maps' L2 norms and sums). Without {@code netlens.goldens.dir} (or the
 * environment variable NETLENS_GOLDENS_DIR) the tests are skipped, saying so. Loading vgg11_bn
 * (531 MB) fits the default surefire heap (-Xmx4g).
 */
class CaptumAgreementTest {
    static final String SUMMARY = "/goldens/attribution-torchvision-summary.tsv";

    static Path goldensDir() {
        String dir = System.getProperty("netlens.goldens.dir", System.getenv("NETLENS_GOLDENS_DIR"));
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    private static Path require(String file, String how) {
        Path dir = goldensDir();
        Assumptions.assumeTrue(dir != null, "no torchvision attribution goldens: generate them with "
                + "make_attribution_goldens.py --set torchvision and pass -Dnetlens.goldens.dir=DIR");
        Assumptions.assumeTrue(Files.exists(dir.resolve(file)), dir.resolve(file) + " does not exist: " + how);
        return dir;
    }

    @Test
    void modelsLayersAndGradientsMatchPyTorch() {
        Path dir = require("models.tsv", "run make_attribution_goldens.py --set torchvision (--models-only suffices)");
        AttributionGoldens.Report r = AttributionGoldens.plumbing(dir, "torchvision models vs PyTorch");
        System.out.println(r.table("fwd err"));
        assertTrue(r.failures().isEmpty(), r.failureMessage());
    }

    @Test
    void methodsAgreeOnFullMaps() {
        Path dir = require("manifest.tsv", "run make_attribution_goldens.py --set torchvision without --models-only");
        AttributionGoldens.Report r = AttributionGoldens.full(dir, "torchvision: netlens vs Captum/zennit, full maps "
                + "(extra = L2 norm ratio)");
        System.out.println(r.table("norm ratio"));
        assertTrue(r.failures().isEmpty(), r.failureMessage());
    }

    @Test
    void methodsAgreeWithCommittedSummary() throws Exception {
        Path dir = require("models.tsv", "run make_attribution_goldens.py --set torchvision --models-only");
        try (InputStream in = CaptumAgreementTest.class.getResourceAsStream(SUMMARY)) {
            Assumptions.assumeTrue(in != null, "test resource " + SUMMARY + " is missing");
            AttributionGoldens.Report r = AttributionGoldens.compact(dir, AttributionGoldens.readTsv(in, SUMMARY),
                    "torchvision: netlens vs committed compact summary (extra = max of L2-norm and sum errors)");
            System.out.println(r.table("norm/sum"));
            assertTrue(r.failures().isEmpty(), r.failureMessage());
        }
    }
}
