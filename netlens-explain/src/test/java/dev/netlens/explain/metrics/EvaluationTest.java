package dev.netlens.explain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.MethodOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
    private static final int C = 3;
    private static final int H = 12;
    private static final int W = 12;

    private static ExplainedModel model(float[] w) {
        return LinearModels.linear(w, 0.3f, C, H, W);
    }

    private static float[] weights() {
        SplittableRandom r = new SplittableRandom(21);
        float[] w = new float[C * H * W];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.1f;
        }
        return w;
    }

    private static List<EvaluationSample> samples(int n) {
        List<EvaluationSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor x = Tensor.randomUniform(new SplittableRandom(100 + i), 0, 1, C, H, W);
            boolean[] m = new boolean[H * W];
            for (int p = 0; p < H * W / 2; p++) {
                m[p] = true;
            }
            out.add(new EvaluationSample("img" + i, x, new ObjectMask(H, W, m), 0));
        }
        return out;
    }

    @Test
    void exactContributionsRankFirstAndTheReportIsComplete(@TempDir Path dir) throws Exception {
        ExplainedModel m = model(weights());
        EvaluationResult r = Evaluation.builder(m)
                .method("input-x-gradient", MethodOptions.defaults())   // = w ⊙ x, exact for a linear logit
                .method("saliency", MethodOptions.defaults())
                .method("grad-cam", MethodOptions.defaults().withLayer("x"))
                .metrics(List.of(Metric.DELETION, Metric.INSERTION, Metric.FAITHFULNESS, Metric.POINTING, Metric.ENERGY,
                        Metric.SANITY))
                .target(Evaluation.TargetPolicy.LABEL).sanityImages(2)
                .build().run(samples(3), (done, total, status) -> assertTrue(done <= total));
        assertEquals("input-x-gradient", r.ranking(Metric.DELETION).get(0));
        assertEquals("input-x-gradient", r.ranking(Metric.INSERTION).get(0));
        assertEquals(1.0, r.summary("input-x-gradient", Metric.FAITHFULNESS).mean(), 1e-4);
        assertEquals(3, r.summary("saliency", Metric.DELETION).n());
        assertEquals(2, r.summary("saliency", Metric.SANITY).n());
        assertEquals(r.values().get("saliency").get(Metric.DELETION)[1],
                DeletionInsertion.builder(DeletionInsertion.Mode.DELETION).build().evaluate(m, samples(3).get(1).image(),
                        dev.netlens.explain.AttributionMethods.create("saliency", m, MethodOptions.defaults())
                                .explain(PixelMaps.single(samples(3).get(1).image()),
                                        dev.netlens.explain.Target.classes(0)).map(), 0).auc(), 1e-9);

        Path index = new EvaluationReport().write(r, dir);
        List<String> rows = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals("image,class,method,metric,value", rows.get(0));
        // 3 images × 3 methods × 5 per-image metrics + 2 sanity images × 3 methods
        assertEquals(1 + 3 * 3 * 5 + 2 * 3, rows.size());
        assertTrue(Files.readString(dir.resolve("summary.csv")).contains("input-x-gradient,deletion,"));
        assertTrue(Files.readString(dir.resolve("sanity.csv")).contains("saliency,cascading,1,"));
        String html = Files.readString(index);
        Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (img.find()) {
            String src = img.group(1);
            assertTrue(!src.contains("/") && Files.size(dir.resolve(src)) > 1000, src);
            images++;
        }
        // deletion, insertion, 4 sanity charts, 6 bar charts
        assertEquals(12, images);
        String json = Files.readString(dir.resolve("result.json"));
        assertTrue(json.contains("\"input-x-gradient\": {") && json.contains("\"sanity\": {\"cascading\""));
        assertEquals(json.chars().filter(c -> c == '{').count(), json.chars().filter(c -> c == '}').count());
    }

    @Test
    void pointingGamesNeedMasks() {
        ExplainedModel m = model(weights());
        List<EvaluationSample> noMask = List.of(new EvaluationSample("a", Tensor.zeros(C, H, W), null, -1));
        Evaluation e = Evaluation.builder(m).method("saliency", MethodOptions.defaults())
                .metrics(List.of(Metric.ENERGY)).build();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.run(noMask, (a, b, c) -> { }));
        assertTrue(ex.getMessage().contains("needs object masks"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metric.parse("auc"));
        assertEquals(List.of(Metric.AOPC), Metric.parse("pixel-flipping"));
    }
}
