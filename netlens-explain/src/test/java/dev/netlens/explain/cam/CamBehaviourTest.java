package dev.netlens.explain.cam;

import dev.netlens.explain.gradient.ReluFamilyRule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.ops.Clip;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.Attribution;
import dev.netlens.explain.AttributionMethods;
import dev.netlens.explain.CamMethods;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.MethodOptions;
import dev.netlens.explain.Target;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties of the CAM family on small random networks: channel selection, resizing, Score-CAM, batches. */
class CamBehaviourTest {
    private static final String LAYER = "layer2.0.relu2";
    private static final ExplainedModel RESNET = ExplainedModel.of(
            ResNets.basic(new int[] {4, 8}, new int[] {1, 1}, 3, 5, false, 11));

    private static Tensor images(int n, long seed) {
        return Tensor.randomNormal(new SplittableRandom(seed), 1f, n, 3, 12, 12);
    }

    /**
     * x [N, 3, 8, 8] → conv 3×3 (4 channels, random) → relu = "A" → global average pool → linear to 2
     * classes that read only channel 2: logit 0 = +0.8·mean(A_2), logit 1 = −0.8·mean(A_2).
     */
    private static ExplainedModel oneChannelModel() {
        SplittableRandom r = new SplittableRandom(5);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 3, 8, 8);
        b.parameter("k", Tensor.randomNormal(r, 0.5f, 4, 3, 3, 3));
        b.parameter("kb", Tensor.randomNormal(r, 0.1f, 4));
        b.parameter("w", Tensor.of(new float[] {0, 0, 0.8f, 0, 0, 0, -0.8f, 0}, 2, 4));
        b.parameter("b", Tensor.of(new float[] {0.3f, -0.1f}, 2));
        b.node("conv", Conv.of(1, 1), List.of("x", "k", "kb"), List.of("z"));
        b.node("relu", new Relu(), List.of("z"), List.of("A"));
        b.node("gap", new GlobalAveragePool(), List.of("A"), List.of("pooled"));
        b.node("flatten", new Flatten(1), List.of("pooled"), List.of("flat"));
        b.node("fc", Gemm.linear(), List.of("flat", "w", "b"), List.of("logits"));
        b.output("logits");
        return ExplainedModel.of(b.build());
    }

    @Test
    void gradCamHighlightsExactlyTheChannelTheTargetReads() {
        ExplainedModel m = oneChannelModel();
        Tensor x = Tensor.randomNormal(new SplittableRandom(3), 1f, 2, 3, 8, 8);
        Tensor a = m.graph().run().tap("A").forward(Map.of("x", x)).value("A");
        float w = 0.8f / 64; // ∂logit_0/∂A_2ij = 0.8/64 everywhere
        Explanation pos = GradCam.of(m, "A").explain(x, Target.classes(0));
        assertArrayEquals(new float[] {0, 0, w, 0, 0, 0, w, 0}, pos.extras().get("channel_weights").data(), 1e-9f);
        Explanation neg = GradCam.of(m, "A").explain(x, Target.classes(1));
        Explanation signed = GradCam.builder(m, "A").relu(false).build().explain(x, Target.classes(1));
        Explanation layerCam = LayerCam.of(m, "A").explain(x, Target.classes(0));
        Explanation xgrad = XGradCam.of(m, "A").explain(x, Target.classes(0));
        boolean anyPositive = false;
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    float a2 = a.get(n, 2, i, j);
                    anyPositive |= a2 > 0;
                    assertEquals(w * a2, pos.map().get(n, 0, i, j), 1e-7);
                    assertEquals(0f, neg.map().get(n, 0, i, j)); // negative evidence is cut by the ReLU
                    assertEquals(-w * a2, signed.map().get(n, 0, i, j), 1e-7); // and kept with relu(false)
                    assertEquals(w * a2, layerCam.map().get(n, 0, i, j), 1e-7);
                    assertEquals(w * a2, xgrad.map().get(n, 0, i, j), 1e-6);
                }
            }
        }
        assertTrue(anyPositive);
    }

    @Test
    void upsampleIsHalfPixelBilinearToTheInputSize() {
        Tensor x = images(2, 1);
        Target t = Target.classes(2);
        for (boolean relu : new boolean[] {true, false}) {
            Tensor small = GradCam.builder(RESNET, LAYER).relu(relu).build().explain(x, t).map();
            Explanation e = GradCam.builder(RESNET, LAYER).relu(relu).upsample(true).build().explain(x, t);
            assertArrayEquals(new int[] {2, 1, 6, 6}, small.shape());
            assertArrayEquals(new int[] {2, 1, 12, 12}, e.map().shape());
            assertEquals(true, e.parameters().get("upsample"));
            for (int n = 0; n < 2; n++) {
                HandCheckedCamTest.assertMap(Naive.bilinear(Naive.plane(small, n, 0), 12, 12), e.map(), n);
            }
        }
        for (Attribution method : List.<Attribution>of(
                GradCamPlusPlus.builder(RESNET, LAYER).upsample(true).build(),
                LayerCam.builder(RESNET, LAYER).upsample(true).build(),
                XGradCam.builder(RESNET, LAYER).upsample(true).build(),
                ScoreCam.builder(RESNET, LAYER).upsample(true).build())) {
            assertArrayEquals(new int[] {2, 1, 12, 12}, method.explain(x, t).map().shape(), method.name());
        }
    }

    @Test
    void resizingAgreesWithNaiveInterpolationOnOddSizes() {
        SplittableRandom r = new SplittableRandom(9);
        int[][] cases = {{5, 7, 13, 11}, {9, 4, 4, 9}, {3, 3, 224, 224}, {7, 7, 7, 7}, {1, 2, 5, 3}};
        for (int[] c : cases) {
            Tensor m = Tensor.randomNormal(r, 1f, 2, 3, c[0], c[1]);
            Tensor up = CamSupport.bilinear(m, c[2], c[3]);
            Tensor near = CamSupport.nearest(m, c[2], c[3]);
            assertArrayEquals(new int[] {2, 3, c[2], c[3]}, up.shape());
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 3; k++) {
                    double[][] expected = Naive.bilinear(Naive.plane(m, n, k), c[2], c[3]);
                    for (int i = 0; i < c[2]; i++) {
                        for (int j = 0; j < c[3]; j++) {
                            assertEquals(expected[i][j], up.get(n, k, i, j), 1e-5);
                            // PyTorch nearest: source floor(dst · in / out)
                            int si = (int) Math.floor(i * (double) c[0] / c[2]);
                            int sj = (int) Math.floor(j * (double) c[1] / c[3]);
                            assertEquals(m.get(n, k, si, sj), near.get(n, k, i, j));
                        }
                    }
                }
            }
        }
    }

    @Test
    void scoreCamMasksAreNormalisedAndConstantChannelsMaskToZero() {
        Tensor a = RESNET.graph().run().tap(LAYER).forward(Map.of("input", images(1, 2))).value(LAYER);
        // Make channel 3 constant (as a dead channel would be).
        float[] d = a.data();
        for (int p = 3 * 36; p < 4 * 36; p++) {
            d[p] = 0.7f;
        }
        Tensor masks = ScoreCam.masks(a, 12, 12);
        assertArrayEquals(new int[] {1, 8, 12, 12}, masks.shape());
        for (int k = 0; k < 8; k++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int p = k * 144; p < (k + 1) * 144; p++) {
                float v = masks.data()[p];
                assertTrue(v >= 0f && v <= 1f, "mask value " + v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (k == 3) {
                assertEquals(0f, max);
            } else {
                assertEquals(0f, min);
                assertEquals(1f, max);
            }
        }
    }

    @Test
    void scoreCamWeightsAreASoftmaxAndBatchingDoesNotChangeTheResult() {
        Tensor x = images(2, 3);
        Explanation one = ScoreCam.builder(RESNET, LAYER).internalBatch(1).build().explain(x, Target.predicted());
        Explanation three = ScoreCam.builder(RESNET, LAYER).internalBatch(3).build().explain(x, Target.predicted());
        Explanation dflt = ScoreCam.of(RESNET, LAYER).explain(x, Target.predicted());
        assertEquals(32, dflt.parameters().get("internal_batch"));
        Tensor w = dflt.extras().get("channel_weights");
        Tensor s = dflt.extras().get("channel_scores");
        assertArrayEquals(new int[] {2, 8}, w.shape());
        for (int n = 0; n < 2; n++) {
            double sum = 0;
            double z = 0;
            for (int k = 0; k < 8; k++) {
                assertTrue(w.get(n, k) > 0f);
                sum += w.get(n, k);
                z += Math.exp(s.get(n, k));
            }
            assertEquals(1.0, sum, 1e-6);
            for (int k = 0; k < 8; k++) {
                assertEquals(Math.exp(s.get(n, k)) / z, w.get(n, k), 1e-6);
            }
        }
        assertArrayEquals(dflt.map().data(), one.map().data(), 1e-6f);
        assertArrayEquals(dflt.map().data(), three.map().data(), 1e-6f);
        assertArrayEquals(s.data(), one.extras().get("channel_scores").data(), 1e-5f);
        // The predicted class is resolved once at x: the same as naming the argmax classes.
        Tensor y = RESNET.forward(x);
        int[] argmax = new int[2];
        for (int n = 0; n < 2; n++) {
            for (int c = 1; c < 5; c++) {
                if (y.get(n, c) > y.get(n, argmax[n])) {
                    argmax[n] = c;
                }
            }
        }
        Explanation pinned = ScoreCam.of(RESNET, LAYER).explain(x, Target.classes(argmax));
        assertArrayEquals(dflt.map().data(), pinned.map().data(), 0f);
    }

    @Test
    void aBatchOfThreeEqualsThreeSeparateCalls() {
        Tensor x = images(3, 4);
        int[] classes = {1, 3, 0};
        List<Attribution> methods = List.of(
                GradCam.of(RESNET, LAYER),
                GradCam.builder(RESNET, LAYER).upsample(true).relu(false).build(),
                GuidedGradCam.of(RESNET, LAYER),
                GradCamPlusPlus.of(RESNET, LAYER),
                LayerCam.of(RESNET, LAYER),
                XGradCam.of(RESNET, LAYER),
                ScoreCam.builder(RESNET, LAYER).internalBatch(5).build());
        for (Attribution method : methods) {
            Tensor batch = method.explain(x, Target.classes(classes)).map();
            int per = batch.size() / 3;
            boolean nonZero = false;
            for (int n = 0; n < 3; n++) {
                Tensor single = method.explain(Gradients.slice(x, n, n + 1), Target.classes(classes[n])).map();
                assertEquals(per, single.size(), method.name());
                for (int p = 0; p < per; p++) {
                    float v = single.data()[p];
                    nonZero |= v != 0f;
                    assertEquals(v, batch.data()[n * per + p], 1e-5f * Math.max(1f, Math.abs(v)),
                            method.name() + " item " + n);
                }
            }
            assertTrue(nonZero, method.name() + " gave an all-zero map");
        }
    }

    @Test
    void guidedGradCamHasTheInputShapeAndIsGradCamTimesGuidedGradient() {
        Tensor x = images(1, 6);
        Explanation e = GuidedGradCam.of(RESNET, LAYER).explain(x, Target.classes(4));
        assertArrayEquals(x.shape(), e.map().shape());
        Tensor cam = GradCam.of(RESNET, LAYER).explain(x, Target.classes(4)).map();
        Trace t = RESNET.graph().run().record().forward(Map.of("input", x));
        Tensor seed = Target.classes(4).seed(t.output());
        Tensor guided = t.gradients(Map.of("logits", seed), List.of("input"), ReluFamilyRule.GUIDED.composite(false)).get("input");
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 12; j++) {
                    float expected = cam.get(0, 0, i / 2, j / 2) * guided.get(0, c, i, j);
                    assertEquals(expected, e.map().get(0, c, i, j), 1e-6f);
                }
            }
        }
    }

    @Test
    void guidedRuleMasksReluAndRelu6AndOnlyPassesPositiveGradients() {
        Graph.Builder b = Graph.builder();
        b.input("x", 1, 1, 1, 4);
        b.parameter("w", Tensor.of(new float[] {1, -1, 1, 1, 1, 1, -1, 1}, 2, 4));
        b.node("relu6", Clip.between(0f, 6f), List.of("x"), List.of("h"));
        b.node("flatten", new Flatten(1), List.of("h"), List.of("flat"));
        b.node("fc", new Gemm(1f, 0f, false, true), List.of("flat", "w"), List.of("y"));
        b.output("y");
        Graph g = b.build();
        Tensor x = Tensor.of(new float[] {-1, 3, 7, 2}, 1, 1, 1, 4);
        Trace t = g.run().record().forward(Map.of("x", x));
        Tensor seed = Tensor.of(new float[] {1, 0}, 1, 2);
        // g_out = (1, −1, 1, 1); guided: max(g, 0)·[0 < x < 6] = (0, 0, 0, 1)
        assertArrayEquals(new float[] {0, 0, 0, 1},
                t.gradients(Map.of("y", seed), List.of("x"), ReluFamilyRule.GUIDED.composite(false)).get("x").data());
        // relu-only: Clip keeps its own derivative [0 ≤ x ≤ 6]: (0, −1, 0, 1)
        assertArrayEquals(new float[] {0, -1, 0, 1},
                t.gradients(Map.of("y", seed), List.of("x"), ReluFamilyRule.GUIDED.composite(true)).get("x").data());
        Graph.Builder r = Graph.builder();
        r.input("x", 1, 1, 1, 4);
        r.parameter("w", Tensor.of(new float[] {1, -1, 1, 1}, 1, 4));
        r.node("relu", new Relu(), List.of("x"), List.of("h"));
        r.node("flatten", new Flatten(1), List.of("h"), List.of("flat"));
        r.node("fc", new Gemm(1f, 0f, false, true), List.of("flat", "w"), List.of("y"));
        r.output("y");
        Trace tr = r.build().run().record().forward(Map.of("x", x));
        // Relu: max(g, 0)·[x > 0] = (0, 0, 1, 1)
        assertArrayEquals(new float[] {0, 0, 1, 1}, tr.gradients(Map.of("y", Tensor.ones(1, 1)), List.of("x"),
                ReluFamilyRule.GUIDED.composite(false)).get("x").data());
    }

    @Test
    void registryCreatesEveryCamMethodFromOptions() {
        CamMethods.registerAll();
        CamMethods.registerAll(); // idempotent
        List<String> names = List.of("grad-cam", "guided-grad-cam", "grad-cam-pp", "layer-cam", "xgrad-cam", "score-cam");
        Tensor x = images(1, 7);
        for (String name : names) {
            AttributionMethods.Entry entry = AttributionMethods.all().get(name);
            assertTrue(entry != null && entry.needsLayer(), name);
            IllegalArgumentException noLayer = assertThrows(IllegalArgumentException.class,
                    () -> AttributionMethods.create(name, RESNET, MethodOptions.defaults()));
            assertTrue(noLayer.getMessage().contains("--layer"), noLayer.getMessage());
            Attribution a = AttributionMethods.create(name, RESNET, MethodOptions.defaults().withLayer(LAYER));
            assertEquals(name, a.name());
            assertEquals(name, a.explain(x).method());
        }
        Attribution up = AttributionMethods.create("grad-cam", RESNET,
                MethodOptions.defaults().withLayer(LAYER).withUpsample(true));
        assertArrayEquals(GradCam.builder(RESNET, LAYER).upsample(true).build().explain(x).map().data(),
                up.explain(x).map().data(), 0f);
        MethodOptions signed = new MethodOptions(LAYER, null, null, null, null, null, null, null, null, null, 2, false,
                true, false);
        ScoreCam sc = (ScoreCam) AttributionMethods.create("score-cam", RESNET, signed);
        assertEquals(2, sc.internalBatch());
        assertEquals(false, sc.relu());
        assertEquals(32, ((ScoreCam) AttributionMethods.create("score-cam", RESNET,
                MethodOptions.defaults().withLayer(LAYER))).internalBatch());
    }

    @Test
    void badArgumentsFailWithHelpfulMessages() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> GradCam.of(RESNET, "layer9"));
        assertTrue(unknown.getMessage().contains("layer9"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradCam.of(RESNET, null));
        assertThrows(IllegalArgumentException.class, () -> LayerCam.of(null, LAYER));
        assertThrows(IllegalArgumentException.class, () -> XGradCam.of(RESNET, "logits"));
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> ScoreCam.builder(RESNET, LAYER).internalBatch(0));
        assertTrue(batch.getMessage().contains(">= 1"), batch.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> GradCam.of(RESNET, "flatten").explain(images(1, 8), Target.classes(0)));
        assertTrue(rank.getMessage().contains("[N, K, h, w]"), rank.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ScoreCam.of(RESNET, "flatten").explain(images(1, 8), Target.classes(0)));
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
                () -> GradCamPlusPlus.of(RESNET, LAYER).explain(Tensor.zeros(3, 12, 12), Target.classes(0)));
        assertTrue(input.getMessage().contains("[N, C, H, W]"), input.getMessage());
    }
}
